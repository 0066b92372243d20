// A deploy without dropped users: after SIGTERM the server keeps listening while it drains. /healthz
// answers 503 "draining" (a load balancer stops sending), a new upgrade gets 503 + Retry-After, the
// open connections keep working for SHUTDOWN_DELAY_S and are then closed with 1001, and the process
// exits 0.
import { describe, expect, it } from "vitest";
import { httpGet } from "../support/http-client.ts";
import { runtimeUnderTest } from "../support/own-server.ts";
import { getRequest, rawRequest } from "../support/raw-http.ts";
import { startRuntime } from "../support/runtimes.ts";
import { openSocket, wsUrl } from "../support/ws-client.ts";

const delayMs = 2000;

const upgradeRequest = (baseUrl: string) =>
  getRequest(baseUrl, "/echo", ["Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Key: x3JJHMbDL1EzLkh9GBhXDw==", "Sec-WebSocket-Version: 13"]);

describe("draining after SIGTERM", () => {
  it("answers 503 to /healthz and to upgrades, keeps open connections until the delay, then 1001 and exit 0", async () => {
    const server = await startRuntime(runtimeUnderTest(), { env: { SHUTDOWN_DELAY_S: String(delayMs / 1000), SHUTDOWN_GRACE_S: "5" } });
    try {
      expect((await httpGet(new URL("/healthz", server.baseUrl))).status).toBe(200);
      const clients = await Promise.all([openSocket(wsUrl(server.baseUrl, "/ws")), openSocket(wsUrl(server.baseUrl, "/echo"))]);
      const sentAt = Date.now();
      const exited = new Promise<{ code: number | null; afterMs: number }>((resolve) => {
        server.child.once("exit", (code) => resolve({ code, afterMs: Date.now() - sentAt }));
      });
      server.child.kill("SIGTERM");
      const closedAfterMs = clients.map((client) => client.closed.then((closed) => ({ ...closed, afterMs: Date.now() - sentAt })));

      // The signal is handled at once, but not before this request could be on its way: poll briefly.
      let health = await httpGet(new URL("/healthz", server.baseUrl));
      for (let attempt = 0; health.status !== 503 && attempt < 20; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 25));
        health = await httpGet(new URL("/healthz", server.baseUrl));
      }
      expect(health.status).toBe(503);
      expect(await health.json()).toMatchObject({ status: "draining", runtime: runtimeUnderTest() });

      const refused = await rawRequest(server.baseUrl, upgradeRequest(server.baseUrl));
      expect(refused.status).toBe(503);
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);

      // Still served during the delay: the users are not dropped before the load balancer has moved on.
      clients[1]!.send("still here");
      expect(await clients[1]!.next()).toBe("still here");
      expect(Date.now() - sentAt).toBeLessThan(delayMs);

      for (const closed of await Promise.all(closedAfterMs)) {
        expect(closed.code).toBe(1001);
        expect(closed.afterMs).toBeGreaterThanOrEqual(delayMs - 100);
      }
      const { code, afterMs } = await exited;
      expect(code).toBe(0);
      expect(afterMs).toBeLessThan(delayMs + 5000);
      const shutdownLines = server.output.filter((line) => line.includes('"event":"shutdown"')).map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(shutdownLines.at(-1)).toMatchObject({ drained: true, open: 0 });
    } finally {
      await server.stop();
    }
  });
});
