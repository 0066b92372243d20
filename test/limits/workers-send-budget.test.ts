// MAX_BUFFERED_BYTES on Workers, against local workerd over TCP. A Durable Object cannot see its send
// buffer (cloudflare/workerd#988), so it models it: reply bytes drain at one MAX_BUFFERED_BYTES a
// second, and while the model is over the limit the object holds its input gate, so workerd reads
// nothing more from the socket (worker/connection-object.ts). A peer that does not answer our close
// within two ping intervals is dropped with its queue. The process runtimes pause on their real
// buffer instead: flow-control.test.ts and stalled-reader.test.ts.
import { describe, expect, it } from "vitest";
import { numberedMessage } from "../support/numbered-message.ts";
import { ownServer } from "../support/own-server.ts";
import { parseClosePayload } from "../support/wire/frame-decoder.ts";
import { encodeFrame } from "../support/wire/frame-encoder.ts";
import { upgrade } from "../support/wire/handshake.ts";
import { Opcode } from "../support/wire/opcodes.ts";
import { RawWebSocket } from "../support/wire/raw-websocket.ts";

const KiB = 1024;
// The smallest budget the settings allow (one largest message), so the model drains 64 KiB a second.
const maxMessageBytes = 64 * KiB;
const maxBufferedBytes = 64 * KiB;
const pingIntervalS = 1;
// Workers only (vitest.config.ts): the process runtimes pause on their real buffer instead.
const server = ownServer({ MAX_MESSAGE_BYTES: String(maxMessageBytes), MAX_BUFFERED_BYTES: String(maxBufferedBytes), PING_INTERVAL_S: String(pingIntervalS) });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const numbered = (index: number) => numberedMessage(index, maxMessageBytes);

describe("MAX_BUFFERED_BYTES on Workers (a modelled send buffer)", () => {
  it("stops reading a client that does not read: what it writes stays on its side of TCP", async () => {
    const { socket } = await upgrade(server().baseUrl, "/echo");
    socket.on("error", () => {});
    // 24 MiB as fast as TCP takes it: more than loopback's buffers hold (a few MiB here). Without the
    // budget workerd reads it all within a second and queues every echo in memory.
    const frame = encodeFrame({ opcode: Opcode.binary, payload: new Uint8Array(maxMessageBytes) });
    const written = 384 * frame.length;
    for (let index = 0; index < 384; index++) socket.write(frame);
    await sleep(3000);
    // The object read at most the budget, one crossing reply and 3 s at 64 KiB/s: the rest is in the
    // kernel's buffers (bounded) or still in this client.
    expect(socket.writableLength).toBeGreaterThan(written / 2);
    socket.destroy();
  });

  it("a client that reads gets every echo, in order, at MAX_BUFFERED_BYTES a second, and is not closed", async () => {
    const { socket, leftover } = await upgrade(server().baseUrl, "/echo");
    const client = new RawWebSocket(socket, leftover);
    const count = 6;
    const startedAt = performance.now();
    await client.send(Array.from({ length: count }, (_, index) => ({ opcode: Opcode.binary, payload: numbered(index) })));
    for (let index = 0; index < count; index++) {
      const message = await client.nextMessage(5000);
      expect(message.opcode).toBe(Opcode.binary);
      expect(message.payload).toEqual(numbered(index));
    }
    // 384 KiB against a 64 KiB budget: the object stops reading for 1.5 s after the second message
    // and 1 s after each further one (down to half the budget, at 64 KiB/s), 5.5 s in all.
    const elapsedMs = performance.now() - startedAt;
    expect(elapsedMs).toBeGreaterThan(4500);
    expect(elapsedMs).toBeLessThan(12_000);
    await client.send({ opcode: Opcode.close, payload: Uint8Array.of(0x03, 0xe8) });
    const answer = await client.nextFrame();
    expect(answer.opcode).toBe(Opcode.close);
    expect(parseClosePayload(answer.payload).code).toBe(1000);
    client.destroy();
  });

  it("a client that does not answer our close is dropped (TCP closed) two ping intervals after it", async () => {
    const { baseUrl, output } = server();
    const { socket, leftover } = await upgrade(baseUrl, "/ws");
    const client = new RawWebSocket(socket, leftover);
    socket.pause();
    // Echoes it does not read, then bye: the object answers and closes, and the close goes unanswered.
    await client.send([
      { opcode: Opcode.binary, payload: numbered(0) },
      { opcode: Opcode.binary, payload: numbered(1) },
      { opcode: Opcode.text, payload: "bye" },
    ]);
    const sentAt = performance.now();
    const dropped = () => output.some((line) => line.includes('"reason":"close not answered"'));
    while (!dropped() && performance.now() - sentAt < 10_000) await sleep(100);
    // bye is read 1.5 s later (the budget), then 2 x PING_INTERVAL_S; slack for a busy machine.
    expect(dropped()).toBe(true);
    expect(performance.now() - sentAt).toBeLessThan(8000);

    // Everything that was on the wire before the drop arrives, then TCP closes.
    socket.resume();
    expect((await client.nextMessage()).payload).toEqual(numbered(0));
    expect((await client.nextMessage()).payload).toEqual(numbered(1));
    expect(new TextDecoder().decode((await client.nextMessage()).payload)).toBe("bye");
    const close = await client.nextFrame();
    expect(close.opcode).toBe(Opcode.close);
    expect(parseClosePayload(close.payload)).toEqual({ code: 1000, reason: "bye" });
    expect(await client.tcpClosesWithin(2000)).toBe(true);
  });
});
