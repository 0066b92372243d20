// Autobahn group 3 (reserved bits), RFC 6455 §5.2: RSV1-3 MUST be 0 unless an extension defines them;
// /echo negotiates no extension, so any set bit fails the connection with 1002 (§7.4.1).
import { describe, expect, it } from "vitest";
import { Opcode } from "../support/wire/opcodes.ts";
import { conformanceGroup } from "./conformance-group.ts";
import { failWith } from "./outcome.ts";

const { connect, expectOutcome } = conformanceGroup("reserved-bits");

const rsvCombinations = [
  ["RSV1", 0b100],
  ["RSV2", 0b010],
  ["RSV3", 0b001],
  ["RSV1+RSV2", 0b110],
  ["RSV1+RSV2+RSV3", 0b111],
] as const;

describe("reserved bits without an extension (§5.2)", () => {
  it.each(rsvCombinations)("a text frame with %s set fails with 1002", async (name, rsv) => {
    const connection = await connect();
    await connection.send({ opcode: Opcode.text, payload: "reserved", rsv });
    await expectOutcome(connection, `text-${name}`, failWith(1002));
  });

  it.each([
    ["binary", Opcode.binary],
    ["ping", Opcode.ping],
    ["close", Opcode.close],
  ])("a %s frame with RSV2 set fails with 1002", async (name, opcode) => {
    const connection = await connect();
    await connection.send({ opcode, payload: opcode === Opcode.close ? Uint8Array.of(0x03, 0xe8) : "reserved", rsv: 0b010 });
    await expectOutcome(connection, `${name}-RSV2`, failWith(1002));
  });

  it("a valid message before the bad frame is still echoed, then the connection fails with 1002", async () => {
    const connection = await connect();
    await connection.send({ opcode: Opcode.text, payload: "before" });
    expect(new TextDecoder().decode((await connection.nextMessage()).payload)).toBe("before");
    await connection.send([
      { opcode: Opcode.text, payload: "reserved", rsv: 0b001 },
      { opcode: Opcode.ping, payload: "never answered" },
    ]);
    await expectOutcome(connection, "after-valid-message", failWith(1002));
  });
});
