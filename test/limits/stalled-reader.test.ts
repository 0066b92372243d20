// A client that stops reading for good must not hold its replies in the server forever: once paused by
// flow control without draining for two ping intervals, it is dropped. Node, Deno and Bun (Workers:
// test/limits/workers-send-budget.test.ts).
import { describe, expect, it } from "vitest";
import { scrapeMetrics } from "../support/metrics-scrape.ts";
import { ownServer } from "../support/own-server.ts";
import { encodeFrame } from "../support/wire/frame-encoder.ts";
import { upgrade } from "../support/wire/handshake.ts";
import { Opcode } from "../support/wire/opcodes.ts";

const pingIntervalS = 1;
const server = ownServer({ MAX_MESSAGE_BYTES: "65536", MAX_BUFFERED_BYTES: "65536", PING_INTERVAL_S: String(pingIntervalS) });

describe("a client that stops reading for good", () => {
  it("is dropped within two ping intervals of being paused, and its buffer with it", async () => {
    const { baseUrl } = server();
    const { socket } = await upgrade(baseUrl, "/echo");
    const tcpClosed = new Promise<number>((resolve) => socket.once("close", () => resolve(performance.now())));
    socket.on("error", () => {});

    // 300 x 64 KiB (19 MiB): more than loopback's TCP buffers take in both directions (up to ~10 MiB
    // here), so the rest waits in the server; under the suites' rate limit burst (2,000).
    for (let index = 0; index < 300; index++) socket.write(encodeFrame({ opcode: Opcode.binary, payload: new Uint8Array(65536) }));
    let paused = 0;
    for (let tries = 0; tries < 40 && paused === 0; tries++) {
      paused = (await scrapeMetrics(baseUrl)).get("websocket_connections_paused") ?? 0;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(paused).toBe(1);
    const pausedAt = performance.now();

    // The bound is 2 x PING_INTERVAL_S, checked by a one-second sweep: 3 s, plus slack for a busy machine.
    const closedAt = await Promise.race([tcpClosed, new Promise<number>((resolve) => setTimeout(() => resolve(Number.NaN), 6000))]);
    expect(closedAt - pausedAt).toBeLessThan(6000);
    const after = await scrapeMetrics(baseUrl);
    expect(after.get("websocket_connections_paused")).toBe(0);
    expect(after.get("websocket_send_buffer_bytes")).toBe(0);
    socket.destroy();
  });
});
