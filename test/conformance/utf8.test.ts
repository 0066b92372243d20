// Autobahn group 6 (UTF-8 handling), RFC 6455 §5.6 and §8.1: a text message MUST be valid UTF-8
// (RFC 3629) as a whole, fragments may split a code point, and invalid text fails the connection
// with 1007 (§7.4.1), after which the server closes TCP.
import { describe, expect, it } from "vitest";
import { Opcode } from "../support/wire/opcodes.ts";
import { conformanceGroup } from "./conformance-group.ts";
import { failWith } from "./outcome.ts";

const { connect, expectOutcome } = conformanceGroup("utf8");
const bytes = (...values: number[]) => Uint8Array.from(values);
const hex = (data: Uint8Array) => Buffer.from(data).toString("hex");

/** Valid UTF-8, from 1 to 4 bytes per code point, at the borders of each length. */
const valid: Array<[string, Uint8Array]> = [
  ["mixed Latin-1 text", new TextEncoder().encode("Hello-µ@ßöäüàá-UTF-8!!")],
  ["U+007F (largest 1-byte)", bytes(0x7f)],
  ["U+0080 (smallest 2-byte)", bytes(0xc2, 0x80)],
  ["U+07FF (largest 2-byte)", bytes(0xdf, 0xbf)],
  ["U+0800 (smallest 3-byte)", bytes(0xe0, 0xa0, 0x80)],
  ["U+D7FF (just below the surrogates)", bytes(0xed, 0x9f, 0xbf)],
  ["U+E000 (just above the surrogates)", bytes(0xee, 0x80, 0x80)],
  ["U+FFFD and U+FFFF (valid code points)", bytes(0xef, 0xbf, 0xbd, 0xef, 0xbf, 0xbf)],
  ["U+10000 (smallest 4-byte)", bytes(0xf0, 0x90, 0x80, 0x80)],
  ["U+1D11E musical G clef (4-byte)", bytes(0xf0, 0x9d, 0x84, 0x9e)],
  ["U+10FFFF (largest code point)", bytes(0xf4, 0x8f, 0xbf, 0xbf)],
];

/** Invalid under RFC 3629; the case names say which rule each breaks. */
const invalid: Array<[string, Uint8Array]> = [
  ["overlong-2-byte-slash", bytes(0xc0, 0xaf)],
  ["overlong-3-byte-slash", bytes(0xe0, 0x80, 0xaf)],
  ["overlong-4-byte-slash", bytes(0xf0, 0x80, 0x80, 0xaf)],
  ["high-surrogate-U+D800", bytes(0xed, 0xa0, 0x80)],
  ["low-surrogate-U+DFFF", bytes(0xed, 0xbf, 0xbf)],
  ["surrogate-pair-encoded-as-CESU-8", bytes(0xed, 0xa0, 0xbd, 0xed, 0xb2, 0x8a)],
  ["past-U+10FFFF", bytes(0xf4, 0x90, 0x80, 0x80)],
  ["byte-0xF5", bytes(0x61, 0xf5, 0x80, 0x80, 0x80)],
  ["byte-0xFE", bytes(0x61, 0xfe)],
  ["byte-0xFF", bytes(0x61, 0xff)],
  ["lone-continuation-byte", bytes(0x61, 0x80, 0x62)],
  ["truncated-2-byte-at-end", bytes(0x61, 0xc2)],
  ["truncated-4-byte-at-end", bytes(0x61, 0xf0, 0x9d, 0x84)],
  ["truncated-3-byte-before-ascii", bytes(0xe2, 0x82, 0x61)],
];

describe("UTF-8 in text messages (§8.1)", () => {
  it.each(valid)("valid %s is echoed exactly", async (_name, payload) => {
    const connection = await connect();
    await connection.send({ opcode: Opcode.text, payload });
    const echoed = await connection.nextMessage();
    expect([echoed.opcode, hex(echoed.payload)]).toEqual([Opcode.text, hex(payload)]);
  });

  it.each([
    ["after its first byte", 1],
    ["after its second byte", 2],
    ["after its third byte", 3],
  ])("a 4-byte code point split across fragments %s is echoed whole", async (_name, at) => {
    const connection = await connect();
    const payload = new TextEncoder().encode("κόσμε 𝄞 end");
    const cut = payload.indexOf(0xf0) + at;
    await connection.send([
      { opcode: Opcode.text, payload: payload.subarray(0, cut), fin: false },
      { opcode: Opcode.continuation, payload: payload.subarray(cut) },
    ]);
    expect(hex((await connection.nextMessage()).payload)).toBe(hex(payload));
  });

  it("multi-byte text in 1-byte fragments is echoed whole", async () => {
    const connection = await connect();
    const payload = new TextEncoder().encode("κόσμε𝄞");
    await connection.send([...payload].map((byte, i) => ({ opcode: i === 0 ? Opcode.text : Opcode.continuation, payload: bytes(byte), fin: i === payload.length - 1 })));
    expect(hex((await connection.nextMessage()).payload)).toBe(hex(payload));
  });

  it.each(invalid)("invalid %s fails with 1007", async (name, payload) => {
    const connection = await connect();
    await connection.send({ opcode: Opcode.text, payload });
    await expectOutcome(connection, name, failWith(1007));
  });

  it("invalid UTF-8 in a later fragment fails with 1007", async () => {
    const connection = await connect();
    await connection.send([
      { opcode: Opcode.text, payload: "valid start ", fin: false },
      { opcode: Opcode.continuation, payload: "still valid ", fin: false },
      { opcode: Opcode.continuation, payload: bytes(0xed, 0xa0, 0x80) },
    ]);
    await expectOutcome(connection, "invalid-in-later-fragment", failWith(1007));
  });

  it("an invalid sequence split across fragments fails with 1007", async () => {
    const connection = await connect();
    await connection.send([
      { opcode: Opcode.text, payload: bytes(0x61, 0xf4), fin: false },
      { opcode: Opcode.continuation, payload: bytes(0x90, 0x80, 0x80) },
    ]);
    await expectOutcome(connection, "invalid-split-across-fragments", failWith(1007));
  });

  it("a binary message is never checked for UTF-8", async () => {
    const connection = await connect();
    const payload = bytes(0xc0, 0xaf, 0xed, 0xa0, 0x80, 0xff);
    await connection.send({ opcode: Opcode.binary, payload });
    const echoed = await connection.nextMessage();
    expect([echoed.opcode, hex(echoed.payload)]).toEqual([Opcode.binary, hex(payload)]);
  });
});
