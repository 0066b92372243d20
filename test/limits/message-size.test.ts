// MAX_MESSAGE_BYTES: a message of exactly the limit passes, one byte more closes with 1009, and the
// server knows it from the frame headers, before it has buffered the message.
import { describe, expect, it } from "vitest";
import { ownServer, runtimeUnderTest } from "../support/own-server.ts";
import { parseClosePayload } from "../support/wire/frame-decoder.ts";
import { concatBytes, exampleMaskKey } from "../support/wire/frame-encoder.ts";
import { Opcode } from "../support/wire/opcodes.ts";
import { openRawWebSocket, WaitTimeout } from "../support/wire/raw-websocket.ts";
import { openSocket, wsUrl } from "../support/ws-client.ts";

const limit = 1024;
const server = ownServer({ MAX_MESSAGE_BYTES: String(limit) });

describe("MAX_MESSAGE_BYTES", () => {
  it("echoes a binary message of exactly the limit", async () => {
    const socket = await openSocket(wsUrl(server().baseUrl, "/echo"));
    socket.send(new Uint8Array(limit).fill(7));
    expect(((await socket.next()) as Uint8Array).byteLength).toBe(limit);
    socket.close();
  });

  it("closes with 1009 for a binary message one byte over", async () => {
    const socket = await openSocket(wsUrl(server().baseUrl, "/echo"));
    socket.send(new Uint8Array(limit + 1));
    expect((await socket.closed).code).toBe(1009);
  });

  it("closes with 1009 for a text message over the limit in UTF-8 bytes, on /ws too", async () => {
    const socket = await openSocket(wsUrl(server().baseUrl, "/ws"));
    // 513 two-byte characters: 513 UTF-16 units but 1026 bytes on the wire.
    socket.send("é".repeat(513));
    expect((await socket.closed).code).toBe(1009);
  });
});

// The limit must hold before the message is buffered: a server that reads a message whole and only
// then measures it can be made to hold 64 MiB (or 128 MiB, Deno's own ceiling) per connection.
describe("MAX_MESSAGE_BYTES before buffering", () => {
  const sixtyFourMiB = 64 * 1024 * 1024;

  it("closes with 1009 on a 64 MiB frame's header, without waiting for its payload", async () => {
    const socket = await openRawWebSocket(server().baseUrl, "/echo");
    const header = new Uint8Array(14);
    header[0] = 0x82; // FIN + binary
    header[1] = 0x80 | 127; // masked, 64-bit length follows
    new DataView(header.buffer).setBigUint64(2, BigInt(sixtyFourMiB));
    header.set(exampleMaskKey, 10);
    // The header and 1 KiB of the payload; the other 63.99 MiB never come.
    await socket.write(concatBytes([header, new Uint8Array(1024)]));
    const frame = await socket.nextFrame();
    expect(frame.opcode).toBe(Opcode.close);
    expect(parseClosePayload(frame.payload).code).toBe(1009);
    // workerd holds TCP for a while after failing a connection (docs/conformance.md#deviations).
    if (runtimeUnderTest() !== "workers") expect(await socket.tcpClosesWithin(2000)).toBe(true);
    socket.destroy();
  });

  it("counts the fragments of one message together", async () => {
    const socket = await openRawWebSocket(server().baseUrl, "/echo");
    const fragment = new Uint8Array(limit / 2 + 1);
    // Two fragments already pass the limit; the message is never finished.
    await socket.send([
      { opcode: Opcode.binary, payload: fragment, fin: false },
      { opcode: Opcode.continuation, payload: fragment, fin: false },
    ]);
    if (runtimeUnderTest() === "workers") {
      // workerd buffers a fragmented message up to its own 32 MiB ceiling and hands our code only whole
      // messages, so the limit applies once the message is finished (docs/runtimes.md#cloudflare-workers).
      await expect(socket.nextFrame(500)).rejects.toThrow(WaitTimeout);
      await socket.send({ opcode: Opcode.continuation, payload: fragment, fin: true });
    }
    const frame = await socket.nextFrame();
    expect(frame.opcode).toBe(Opcode.close);
    expect(parseClosePayload(frame.payload).code).toBe(1009);
    socket.destroy();
  });
});
