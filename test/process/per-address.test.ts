// MAX_CONNECTIONS_PER_IP: one client address cannot take every slot. Over the limit an upgrade gets
// 429 with Retry-After, a log line and a /metrics count; other addresses are not affected. Loopback
// has a whole /8, so 127.0.0.2 and 127.0.0.3 are other clients of the server on 127.0.0.1.
import WebSocket from "ws";
import { describe, expect, it } from "vitest";
import { scrapeMetrics } from "../support/metrics-scrape.ts";
import { ownServer } from "../support/own-server.ts";
import { attemptUpgrade, closeAll, expectPerAddressRefusal, openSockets, type Attempt } from "../support/upgrade-attempt.ts";
import { wsUrl } from "../support/ws-client.ts";

const limit = 3;
const server = ownServer({ MAX_CONNECTIONS_PER_IP: String(limit) });

/** Opens a WebSocket to /echo from `localAddress`: the open socket, or the status it was refused with. */
const connectFrom = (localAddress: string): Promise<Attempt> => attemptUpgrade(wsUrl(server().baseUrl, "/echo"), { localAddress });

describe("MAX_CONNECTIONS_PER_IP", () => {
  it("refuses the connection over the limit with 429 and Retry-After, and only for that address", async () => {
    const before = await scrapeMetrics(server().baseUrl);
    const { held: first, other } = await expectPerAddressRefusal(connectFrom, limit, "127.0.0.1", "127.0.0.2");

    const after = await scrapeMetrics(server().baseUrl);
    const refusals = 'websocket_upgrades_refused_total{reason="per-address"}';
    expect((after.get(refusals) ?? 0) - (before.get(refusals) ?? 0)).toBe(1);
    const rejectLine = server().output.map((line) => JSON.parse(line) as Record<string, unknown>).find((entry) => entry.event === "reject" && entry.status === 429);
    expect(rejectLine).toMatchObject({ remote: "127.0.0.1", path: "/echo" });

    // A freed slot is usable again, once the server has seen the close.
    await closeAll(openSockets(first.slice(0, 1)));
    let again = await connectFrom("127.0.0.1");
    for (let attempt = 0; again.status !== 101 && attempt < 20; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      again = await connectFrom("127.0.0.1");
    }
    expect(again.status).toBe(101);
    await closeAll(openSockets([...first.slice(1), other, again]));
  });

  it("holds under a burst of simultaneous upgrades from one address", async () => {
    const attempts = await Promise.all(Array.from({ length: 12 }, () => connectFrom("127.0.0.3")));
    // Upgrades that arrive together may all pass the check before any opens: those over the limit are
    // then closed with 1013 (try again later) right after their 101. Either way, `limit` stay open.
    const sockets = openSockets(attempts);
    const closes = await Promise.all(
      attempts.flatMap((attempt) =>
        "closed" in attempt ? [Promise.race([attempt.closed, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 1000))])] : [],
      ),
    );
    expect(closes.filter((code) => code === undefined)).toHaveLength(limit);
    expect(closes.filter((code) => code !== undefined).every((code) => code === 1013)).toBe(true);
    const refused = attempts.filter((attempt) => attempt.status === 429).length;
    expect(refused + closes.filter((code) => code === 1013).length).toBe(12 - limit);
    await closeAll(sockets.filter((socket) => socket.readyState === WebSocket.OPEN));
  });
});
