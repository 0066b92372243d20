// Autobahn group 2 (pings and pongs), RFC 6455 §5.5.2-5.5.3: a ping is answered by a pong with the
// same payload, an unsolicited pong is ignored, and control frames are never over 125 bytes or fragmented.
import { describe, expect, it } from "vitest";
import { Opcode } from "../support/wire/opcodes.ts";
import { conformanceGroup } from "./conformance-group.ts";
import { failWith } from "./outcome.ts";

const { connect, expectOutcome } = conformanceGroup("ping-pong");

function allByteValues(length: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (i * 2 + 1) & 0xff);
}

describe("ping and pong (§5.5.2, §5.5.3)", () => {
  it.each([
    ["no payload", new Uint8Array(0)],
    ["a 10-byte text payload", new TextEncoder().encode("Hello, pong")],
    ["a 125-byte binary payload (the largest allowed)", allByteValues(125)],
  ])("a ping with %s gets a pong with the same payload", async (_name, payload) => {
    const connection = await connect();
    await connection.send({ opcode: Opcode.ping, payload });
    const pong = await connection.nextFrame();
    expect(pong.opcode).toBe(Opcode.pong);
    expect([...pong.payload]).toEqual([...payload]);
  });

  it("a ping written a byte at a time gets its pong", async () => {
    const connection = await connect();
    const payload = allByteValues(125);
    await connection.send({ opcode: Opcode.ping, payload }, { chunkSize: 1 });
    const pong = await connection.nextFrame();
    expect(pong.opcode).toBe(Opcode.pong);
    expect([...pong.payload]).toEqual([...payload]);
  });

  it.each([
    ["no payload", new Uint8Array(0)],
    ["a payload", new TextEncoder().encode("unsolicited")],
  ])("an unsolicited pong with %s is ignored (§5.5.3)", async (_name, payload) => {
    const connection = await connect();
    await connection.send([
      { opcode: Opcode.pong, payload },
      { opcode: Opcode.text, payload: "after the pong" },
    ]);
    // The first thing back is the echo: no answer to the pong, and no close.
    const echoed = await connection.nextMessage();
    expect(new TextDecoder().decode(echoed.payload)).toBe("after the pong");
  });

  it("a ping with a 126-byte payload fails the connection with 1002 (§5.5: control payload <= 125)", async () => {
    const connection = await connect();
    await connection.send({ opcode: Opcode.ping, payload: allByteValues(126) });
    await expectOutcome(connection, "ping-126-bytes", failWith(1002));
  });

  it("a fragmented ping (FIN clear) fails the connection with 1002 (§5.5: control frames are not fragmented)", async () => {
    const connection = await connect();
    await connection.send([
      { opcode: Opcode.ping, payload: "frag", fin: false },
      { opcode: Opcode.continuation, payload: "ment" },
    ]);
    await expectOutcome(connection, "fragmented-ping", failWith(1002));
  });

  it("a fragmented pong (FIN clear) fails the connection with 1002 (§5.5)", async () => {
    const connection = await connect();
    await connection.send([
      { opcode: Opcode.pong, payload: "frag", fin: false },
      { opcode: Opcode.continuation, payload: "ment" },
    ]);
    await expectOutcome(connection, "fragmented-pong", failWith(1002));
  });
});
