// Autobahn group 5 (fragmentation), RFC 6455 §5.4: a message may come in fragments (first frame with
// its opcode and FIN clear, then continuations), control frames may be interleaved, and any other
// order fails the connection with 1002.
import { describe, expect, it } from "vitest";
import { Opcode } from "../support/wire/opcodes.ts";
import type { FrameSpec } from "../support/wire/frame-encoder.ts";
import { conformanceGroup } from "./conformance-group.ts";
import { failWith } from "./outcome.ts";

const { connect, expectOutcome } = conformanceGroup("fragmentation");

/** `parts` as one message: the first frame carries `opcode`, the rest are continuations, the last has FIN. */
function fragments(opcode: number, parts: Array<string | Uint8Array>): FrameSpec[] {
  return parts.map((payload, i) => ({ opcode: i === 0 ? opcode : Opcode.continuation, payload, fin: i === parts.length - 1 }));
}

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe("fragmented messages (§5.4)", () => {
  it.each([
    ["whole", undefined],
    ["a byte at a time", 1],
  ])("a text message in 3 fragments, written %s, is echoed whole", async (_how, chunkSize) => {
    const connection = await connect();
    await connection.send(fragments(Opcode.text, ["frag", "men", "ted"]), { chunkSize });
    const echoed = await connection.nextMessage();
    expect([echoed.opcode, text(echoed.payload)]).toEqual([Opcode.text, "fragmented"]);
  });

  it("a binary message in 3 fragments is echoed whole", async () => {
    const connection = await connect();
    await connection.send(fragments(Opcode.binary, [Uint8Array.of(0, 1), Uint8Array.of(2), Uint8Array.of(3, 255)]));
    const echoed = await connection.nextMessage();
    expect([echoed.opcode, [...echoed.payload]]).toEqual([Opcode.binary, [0, 1, 2, 3, 255]]);
  });

  it("a text message whose fragments are all empty is echoed as an empty text message", async () => {
    const connection = await connect();
    await connection.send(fragments(Opcode.text, ["", "", ""]));
    const echoed = await connection.nextMessage();
    expect([echoed.opcode, echoed.payload.length]).toEqual([Opcode.text, 0]);
  });

  it("a text message in 1-byte fragments is echoed whole", async () => {
    const connection = await connect();
    const message = "one fragment per byte";
    await connection.send(fragments(Opcode.text, [...message]));
    expect(text((await connection.nextMessage()).payload)).toBe(message);
  });

  it.each([
    ["whole", undefined],
    ["a byte at a time", 1],
  ])("a ping between fragments, written %s, gets its pong at once and the message is echoed whole (§5.4, §5.5)", async (_how, chunkSize) => {
    const connection = await connect();
    await connection.send(
      [
        { opcode: Opcode.text, payload: "inter", fin: false },
        { opcode: Opcode.ping, payload: "in the middle" },
        { opcode: Opcode.continuation, payload: "leaved" },
      ],
      { chunkSize },
    );
    const pong = await connection.nextFrame();
    expect([pong.opcode, text(pong.payload)]).toEqual([Opcode.pong, "in the middle"]);
    expect(text((await connection.nextMessage()).payload)).toBe("interleaved");
  });

  it("the pong for an interleaved ping comes before the message is complete", async () => {
    const connection = await connect();
    await connection.send([
      { opcode: Opcode.text, payload: "first half, ", fin: false },
      { opcode: Opcode.ping, payload: "now" },
    ]);
    const pong = await connection.nextFrame();
    expect([pong.opcode, text(pong.payload)]).toEqual([Opcode.pong, "now"]);
    await connection.send({ opcode: Opcode.continuation, payload: "second half" });
    expect(text((await connection.nextMessage()).payload)).toBe("first half, second half");
  });

  it.each([
    ["with FIN set", true],
    ["with FIN clear", false],
  ])("a continuation frame %s and no message started fails with 1002", async (name, fin) => {
    const connection = await connect();
    await connection.send({ opcode: Opcode.continuation, payload: "orphan", fin });
    await expectOutcome(connection, `orphan-continuation-fin-${fin ? "set" : "clear"}`, failWith(1002));
  });

  it("a continuation after a complete message fails with 1002", async () => {
    const connection = await connect();
    await connection.send({ opcode: Opcode.text, payload: "complete" });
    expect(text((await connection.nextMessage()).payload)).toBe("complete");
    await connection.send({ opcode: Opcode.continuation, payload: "too late" });
    await expectOutcome(connection, "continuation-after-complete-message", failWith(1002));
  });

  it.each([
    ["text", Opcode.text],
    ["binary", Opcode.binary],
  ])("a new %s frame inside a fragmented message fails with 1002", async (name, opcode) => {
    const connection = await connect();
    await connection.send([
      { opcode: Opcode.text, payload: "started", fin: false },
      { opcode, payload: "interrupting" },
    ]);
    await expectOutcome(connection, `new-${name}-inside-fragmented-message`, failWith(1002));
  });
});
