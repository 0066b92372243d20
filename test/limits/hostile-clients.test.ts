// What a hostile client can make the server hold, each bounded, while a good connection beside it keeps
// its service: pings never read, a message in thousands of 1-byte fragments, many never-finished
// messages, a trickled or oversized request head. Node, Deno and Bun (docs/security.md#what-a-client-can-make-the-server-hold).
import { connect } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { scrapeMetrics, watchMetrics } from "../support/metrics-scrape.ts";
import { worstRoundTripDuring as goodClientWorstRoundTrip } from "../support/good-client.ts";
import { ownServer, runtimeUnderTest } from "../support/own-server.ts";
import { hostAndPort } from "../support/raw-http.ts";
import { encodeFrame } from "../support/wire/frame-encoder.ts";
import { parseClosePayload } from "../support/wire/frame-decoder.ts";
import { upgrade } from "../support/wire/handshake.ts";
import { Opcode } from "../support/wire/opcodes.ts";
import { RawWebSocket } from "../support/wire/raw-websocket.ts";

const maxMessageBytes = 64 * 1024;
const server = ownServer({ MAX_MESSAGE_BYTES: String(maxMessageBytes), MAX_BUFFERED_BYTES: String(maxMessageBytes) });
const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

const worstRoundTripDuring = (attack: () => Promise<void>) => goodClientWorstRoundTrip(server().baseUrl, attack);

/**
 * The open-connections gauge once closes in flight have landed (the good client's, a dropped holder's):
 * the value it reaches, or `expected` as soon as it gets there.
 */
async function openConnectionsSettled(sample: string, expected?: number): Promise<number> {
  let previous = Number.NaN;
  for (let tries = 0; tries < 30; tries++) {
    const value = (await scrapeMetrics(server().baseUrl)).get(sample) ?? 0;
    if (value === expected || value === previous) return value;
    previous = value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return previous;
}

/** A raw connection that is never read: what it is sent piles up unless the server stops reading it. */
async function nonReadingConnection() {
  const { socket } = await upgrade(server().baseUrl, "/echo");
  socket.on("error", () => {});
  cleanups.push(() => socket.destroy());
  return socket;
}

describe("hostile clients", () => {
  it("bounds a client that floods pings and never reads the pongs", async () => {
    const metrics = watchMetrics(server().baseUrl);
    let dropped = false;
    const worst = await worstRoundTripDuring(async () => {
      const socket = await nonReadingConnection();
      socket.once("close", () => (dropped = true));
      // 100,000 pings of 125 bytes: 12.7 MB of pongs, more than loopback's TCP buffers hold.
      const ping = encodeFrame({ opcode: Opcode.ping, payload: new Uint8Array(125) });
      const batch = Buffer.concat(Array.from({ length: 1000 }, () => ping));
      for (let sent = 0; sent < 100 && !socket.destroyed; sent++) socket.write(batch);
      await new Promise((resolve) => setTimeout(resolve, 1500));
    });
    await metrics.stop();
    if (runtimeUnderTest() === "bun") {
      // Bun answers every ping; flow control stops reading once the pongs pass MAX_BUFFERED_BYTES.
      expect(metrics.peak.get("websocket_connections_paused")).toBeGreaterThanOrEqual(1);
    } else {
      // ws drops a peer with more than 60 pongs not yet written (its maxPendingAutoPongs).
      expect(dropped).toBe(true);
    }
    // High-water mark plus what the runtime had read when it paused: one read's worth of pongs.
    expect(metrics.peak.get("websocket_send_buffer_bytes")).toBeLessThanOrEqual(maxMessageBytes + 1024 * 1024);
    expect(worst).toBeLessThan(1000);
  });

  it("bounds a message sent as thousands of 1-byte fragments", async () => {
    const fragments = 20_000;
    let outcome: "echoed" | number | undefined;
    const worst = await worstRoundTripDuring(async () => {
      const { socket, leftover } = await upgrade(server().baseUrl, "/echo");
      const raw = new RawWebSocket(socket, leftover);
      cleanups.push(() => raw.destroy());
      const one = new Uint8Array([7]);
      await raw.send([
        { opcode: Opcode.binary, payload: one, fin: false },
        ...Array.from({ length: fragments - 2 }, () => ({ opcode: Opcode.continuation, payload: one, fin: false })),
        { opcode: Opcode.continuation, payload: one, fin: true },
      ]);
      const frame = await raw.nextFrame();
      outcome = frame.opcode === Opcode.close ? parseClosePayload(frame.payload).code : frame.payload.byteLength === fragments ? "echoed" : frame.opcode;
    });
    // ws (Node, Deno) keeps each fragment as a Buffer of its own until the last, and the server refuses a
    // message of more than 1,024 fragments (maxFragments, 1008); uWS (Bun) appends fragments to one buffer
    // and has no such limit.
    expect(outcome).toBe(runtimeUnderTest() === "bun" ? "echoed" : 1008);
    expect(worst).toBeLessThan(1000);
  });

  it("holds many never-finished messages at no more than their bytes, and frees them on close", async () => {
    const holders = 50;
    const worst = await worstRoundTripDuring(async () => {
      for (let index = 0; index < holders; index++) {
        const socket = await nonReadingConnection();
        // A frame header announcing the largest message, and all of it but the last 1 KiB.
        const frame = encodeFrame({ opcode: Opcode.binary, payload: new Uint8Array(maxMessageBytes) });
        socket.write(frame.subarray(0, frame.byteLength - 1024));
      }
      await new Promise((resolve) => setTimeout(resolve, 300));
    });
    expect(worst).toBeLessThan(1000);
    const open = 'websocket_connections_open{runtime="' + runtimeUnderTest() + '"}';
    const before = (await openConnectionsSettled(open)) - holders;
    for (const cleanup of cleanups.splice(0)) cleanup();
    expect(await openConnectionsSettled(open, before)).toBe(before);
  });

  it("answers a request head over 16 KiB 431, and closes one of 1 MiB without reading it all", async () => {
    const { host, port } = hostAndPort(server().baseUrl);
    const answerTo = (headerBytes: number) =>
      new Promise<string>((resolve) => {
        const socket = connect({ host, port });
        let received = "";
        socket.on("data", (chunk) => (received += chunk.toString("latin1")));
        socket.on("close", () => resolve(received));
        socket.on("error", () => {});
        socket.write(`GET /echo HTTP/1.1\r\nHost: ${host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nX-Big: ${"a".repeat(headerBytes)}\r\n\r\n`);
        setTimeout(() => (socket.destroy(), resolve(`${received} (still open after 5 s)`)), 5000);
      });
    expect(await answerTo(20_000)).toMatch(/^HTTP\/1\.1 431 /);
    // With most of a megabyte unread when the server closes, the kernel may reset the connection and
    // discard the 431 before the client reads it (Bun nearly always): closed, never upgraded, is what holds.
    expect(await answerTo(1024 * 1024)).toMatch(/^(HTTP\/1\.1 431 |$)/);
  });

  it("gives up on an upgrade request whose head trickles in (slowloris) within about 10 s", async () => {
    const { host, port } = hostAndPort(server().baseUrl);
    const head = `GET /echo HTTP/1.1\r\nHost: ${host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nX-Slow: `;
    const startedAt = performance.now();
    const closedAfter = await new Promise<number>((resolve) => {
      const socket = connect({ host, port });
      let sent = 0;
      // A byte every 250 ms: never idle, never finished.
      const trickle = setInterval(() => socket.write(sent < head.length ? head[sent++]! : "a"), 250);
      socket.on("close", () => (clearInterval(trickle), resolve(performance.now() - startedAt)));
      socket.on("error", () => {});
      setTimeout(() => (clearInterval(trickle), socket.destroy(), resolve(Number.POSITIVE_INFINITY)), 16_000);
    });
    expect(closedAfter).toBeLessThan(15_000);
  }, 20_000);
});
