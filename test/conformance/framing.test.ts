// Autobahn group 1 (framing): text and binary messages at each payload length encoding of RFC 6455
// §5.2 (7-bit up to 125, 16-bit from 126 to 65535, 64-bit from 65536), written whole and a byte at a time.
import { describe, expect, it } from "vitest";
import { Opcode } from "../support/wire/opcodes.ts";
import { conformanceGroup } from "./conformance-group.ts";

const { connect } = conformanceGroup("framing");
const lengths = [0, 125, 126, 65535, 65536];
const writes = [
  { how: "whole", chunkSize: undefined },
  { how: "a byte at a time", chunkSize: 1 },
];

function patternText(length: number): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  let text = "";
  for (let i = 0; i < length; i++) text += alphabet[i % alphabet.length];
  return text;
}

function patternBytes(length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = (i * 31 + 7) & 0xff;
  return bytes;
}

describe("framing: every length encoding is echoed exactly (§5.2)", () => {
  for (const { how, chunkSize } of writes) {
    it.each(lengths)(`a %i-byte text message written ${how}`, async (length) => {
      const connection = await connect();
      const payload = new TextEncoder().encode(patternText(length));
      await connection.send({ opcode: Opcode.text, payload }, { chunkSize });
      const echoed = await connection.nextMessage(15_000);
      expect(echoed.opcode).toBe(Opcode.text);
      expect(Buffer.from(echoed.payload).equals(Buffer.from(payload))).toBe(true);
    });

    it.each(lengths)(`a %i-byte binary message written ${how}`, async (length) => {
      const connection = await connect();
      const payload = patternBytes(length);
      await connection.send({ opcode: Opcode.binary, payload }, { chunkSize });
      const echoed = await connection.nextMessage(15_000);
      expect(echoed.opcode).toBe(Opcode.binary);
      expect(Buffer.from(echoed.payload).equals(Buffer.from(payload))).toBe(true);
    });
  }

  // §5.3: the key is the client's choice; the server unmasks with whatever key it is given.
  it.each([
    ["all-zero", Uint8Array.of(0, 0, 0, 0)],
    ["all-ones", Uint8Array.of(0xff, 0xff, 0xff, 0xff)],
  ])("a message masked with an %s key", async (_name, mask) => {
    const connection = await connect();
    const payload = patternBytes(300);
    await connection.send({ opcode: Opcode.binary, payload, mask });
    const echoed = await connection.nextMessage();
    expect(Buffer.from(echoed.payload).equals(Buffer.from(payload))).toBe(true);
  });

  it("two messages in one TCP write are echoed in order", async () => {
    const connection = await connect();
    await connection.send([
      { opcode: Opcode.text, payload: "first" },
      { opcode: Opcode.binary, payload: Uint8Array.of(1, 2, 3) },
    ]);
    const first = await connection.nextMessage();
    const second = await connection.nextMessage();
    expect([first.opcode, new TextDecoder().decode(first.payload)]).toEqual([Opcode.text, "first"]);
    expect([second.opcode, [...second.payload]]).toEqual([Opcode.binary, [1, 2, 3]]);
  });
});
