// PING_INTERVAL_S: a peer that never answers pings is terminated after two intervals; a live one stays.
import { connect, type Socket } from "node:net";
import { describe, expect, it } from "vitest";
import { ownServer } from "../support/own-server.ts";
import { getRequest, hostAndPort } from "../support/raw-http.ts";
import { openSocket, wsUrl } from "../support/ws-client.ts";

// 4 s, because Bun's native heartbeat (uWS) counts in 4-second steps.
const intervalMs = 4000;
const server = ownServer({ PING_INTERVAL_S: String(intervalMs / 1000), IDLE_TIMEOUT_S: "0" });

/** Upgrades a raw TCP socket and then never reads a frame or answers a ping: a dead peer. */
function silentPeer(): Promise<{ socket: Socket; closedAfterMs: Promise<number> }> {
  const { host, port } = hostAndPort(server().baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    const opened = Date.now();
    const closedAfterMs = new Promise<number>((done) => socket.on("close", () => done(Date.now() - opened)));
    socket.once("data", (chunk) => {
      if (!chunk.toString("latin1").startsWith("HTTP/1.1 101")) reject(new Error(`no 101: ${chunk.toString("latin1")}`));
      else resolve({ socket, closedAfterMs });
    });
    socket.on("error", () => {});
    socket.write(getRequest(server().baseUrl, "/echo", ["Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Key: x3JJHMbDL1EzLkh9GBhXDw==", "Sec-WebSocket-Version: 13"]));
  });
}

describe("heartbeat", () => {
  it("terminates a peer that misses its pongs and keeps a peer that answers", { timeout: 30_000 }, async () => {
    const live = await openSocket(wsUrl(server().baseUrl, "/echo"));
    const dead = await silentPeer();
    const giveUp = new Promise<number>((resolve) => setTimeout(() => resolve(-1), 4 * intervalMs));
    const closedAfter = await Promise.race([dead.closedAfterMs, giveUp]);
    dead.socket.destroy();
    // Silent for two intervals, checked once an interval: gone after 2 and before 3 intervals (+ slack).
    expect(closedAfter).toBeGreaterThanOrEqual(2 * intervalMs - 500);
    expect(closedAfter).toBeLessThan(3 * intervalMs + 1500);

    live.send("alive");
    expect(await live.next()).toBe("alive");
    live.close();
  });
});
