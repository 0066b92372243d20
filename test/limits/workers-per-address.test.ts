// MAX_CONNECTIONS_PER_IP on Workers, against local workerd over TCP: a Durable Object per client
// address counts its open connections (worker/address-limit.ts). The address is the CF-Connecting-IP
// header Cloudflare sets; a local workerd has no Cloudflare in front, so each test sends its own.
// The process runtimes count their peers instead: test/process/per-address.test.ts.
import WebSocket from "ws";
import { describe, expect, it } from "vitest";
import { ownServer } from "../support/own-server.ts";
import { attemptUpgrade, closeAll, expectPerAddressRefusal, openSockets, type Attempt } from "../support/upgrade-attempt.ts";
import { wsUrl } from "../support/ws-client.ts";

const limit = 3;
// Workers only (vitest.config.ts).
const server = ownServer({ MAX_CONNECTIONS_PER_IP: String(limit) });

/** Opens a WebSocket to /echo as a client at `address`: the open socket, or the status it was refused with. */
const connectAs = (address: string): Promise<Attempt> => attemptUpgrade(wsUrl(server().baseUrl, "/echo"), { headers: { "CF-Connecting-IP": address } });

/** Retries until `address` may open again (the object gives the slot back just after the close). */
async function connectOnceFreed(address: string): Promise<Attempt> {
  let attempt = await connectAs(address);
  for (let tries = 0; attempt.status !== 101 && tries < 20; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    attempt = await connectAs(address);
  }
  return attempt;
}

describe("MAX_CONNECTIONS_PER_IP on Workers", () => {
  it("refuses the connection over the limit with 429, Retry-After and a log line, and only for that address", async () => {
    const { held: first, other } = await expectPerAddressRefusal(connectAs, limit, "203.0.113.1", "203.0.113.2");
    // The Worker's lines are JSON; workerd's own reports (verbose) are not.
    const entries = server().output.filter((line) => line.startsWith("{")).map((line) => JSON.parse(line) as Record<string, unknown>);
    const rejectLine = entries.find((entry) => entry.event === "reject" && entry.status === 429);
    expect(rejectLine).toMatchObject({ remote: "203.0.113.1", path: "/echo", reason: "per-address" });

    // A client that drops its TCP connection (workerd reports 1006) gives its slot back too.
    (first[0] as { socket: WebSocket }).socket.terminate();
    const again = await connectOnceFreed("203.0.113.1");
    expect(again.status).toBe(101);
    await closeAll(openSockets([...first.slice(1), other, again]));
  });

  it("holds under a burst of simultaneous upgrades from one address: exactly the limit opens", async () => {
    const attempts = await Promise.all(Array.from({ length: 12 }, () => connectAs("203.0.113.3")));
    // One object per address takes one lease at a time, so no upgrade races past the count.
    expect(attempts.filter((attempt) => attempt.status === 101)).toHaveLength(limit);
    expect(attempts.filter((attempt) => attempt.status === 429)).toHaveLength(12 - limit);
    await closeAll(openSockets(attempts));
  });

  it("a client without an address (no CF-Connecting-IP: no Cloudflare in front) is not limited", async () => {
    const sockets = await Promise.all(
      Array.from({ length: limit + 2 }, () => new Promise<WebSocket>((resolve, reject) => {
        const socket = new WebSocket(wsUrl(server().baseUrl, "/echo"));
        socket.once("open", () => resolve(socket));
        socket.once("error", reject);
      })),
    );
    expect(sockets).toHaveLength(limit + 2);
    await closeAll(sockets);
  });
});
