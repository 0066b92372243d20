// Flow control (MAX_BUFFERED_BYTES): a client that sends at the rate limit and reads nothing makes the
// server stop reading it, so its replies cannot pile up in the server; once it reads again, every
// reply arrives, in order, and nothing was closed. A good connection beside it keeps its service.
// Node, Deno and Bun; Workers cannot pause a connection (test/limits/workers-send-budget.test.ts).
import { describe, expect, it } from "vitest";
import { scrapeMetrics, watchMetrics } from "../support/metrics-scrape.ts";
import { probeRoundTrips } from "../support/good-client.ts";
import { indexOfMessage, numberedMessage } from "../support/numbered-message.ts";
import { ownServer } from "../support/own-server.ts";
import { encodeFrame } from "../support/wire/frame-encoder.ts";
import { upgrade } from "../support/wire/handshake.ts";
import { Opcode } from "../support/wire/opcodes.ts";
import { RawWebSocket } from "../support/wire/raw-websocket.ts";

const maxMessageBytes = 64 * 1024;
const maxBufferedBytes = 128 * 1024;
const rateLimit = 100;
const server = ownServer({ MAX_MESSAGE_BYTES: String(maxMessageBytes), MAX_BUFFERED_BYTES: String(maxBufferedBytes), RATE_LIMIT: String(rateLimit) });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const numbered = (index: number) => numberedMessage(index, maxMessageBytes);

describe("MAX_BUFFERED_BYTES (flow control)", () => {
  it("stops reading a client that does not read, keeps a good one answering, and loses nothing", async () => {
    const { baseUrl } = server();
    const good = probeRoundTrips(baseUrl, 50);
    const metrics = watchMetrics(baseUrl);
    // upgrade() leaves the socket paused: nothing is read until the RawWebSocket below takes it.
    const { socket, leftover } = await upgrade(baseUrl, "/echo");

    // 150 messages of 64 KiB at 90 a second, under RATE_LIMIT (and its burst of 200, which is what a
    // backlog read at once after a pause meets): 9.4 MiB of replies for a client that reads none.
    const count = 150;
    for (let index = 0; index < count; index++) {
      socket.write(encodeFrame({ opcode: Opcode.binary, payload: numbered(index) }));
      await sleep(1000 / 90);
    }
    await sleep(500);
    await metrics.stop();
    await good.stop();

    expect(metrics.peak.get("websocket_connections_paused")).toBeGreaterThanOrEqual(1);
    // The limit is a high-water mark: the reply that crosses it is queued whole, and replies to what the
    // runtime had already read when it paused follow (docs/security.md#what-a-client-can-make-the-server-hold).
    expect(metrics.peak.get("websocket_send_buffer_bytes")).toBeLessThanOrEqual(maxBufferedBytes + 2 * maxMessageBytes);
    expect(good.roundTrips.length).toBeGreaterThan(20);
    expect(Math.max(...good.roundTrips)).toBeLessThan(250);

    // Now it reads: every reply, in order, and no close frame among them.
    const reader = new RawWebSocket(socket, leftover);
    for (let index = 0; index < count; index++) {
      const message = await reader.nextMessage();
      expect(message.opcode).toBe(Opcode.binary);
      expect(indexOfMessage(message.payload)).toBe(index);
      expect(message.payload).toEqual(numbered(index));
    }
    const after = await scrapeMetrics(baseUrl);
    expect(after.get("websocket_connections_paused")).toBe(0);
    expect(after.get("websocket_send_buffer_bytes")).toBe(0);
    reader.destroy();
  });
});
