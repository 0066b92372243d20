// Autobahn group 4 (opcodes), RFC 6455 §5.2: 0x3-0x7 are reserved for further data frames and
// 0xB-0xF for further control frames; receiving one fails the connection with 1002 (§7.4.1).
import { describe, expect, it } from "vitest";
import { Opcode } from "../support/wire/opcodes.ts";
import { conformanceGroup } from "./conformance-group.ts";
import { failWith } from "./outcome.ts";

const { connect, expectOutcome } = conformanceGroup("opcodes");
const named = (opcodes: number[]) => opcodes.map((opcode) => [`0x${opcode.toString(16)}`, opcode] as const);
const reservedData = named([0x3, 0x4, 0x5, 0x6, 0x7]);
const reservedControl = named([0xb, 0xc, 0xd, 0xe, 0xf]);

describe("reserved opcodes (§5.2)", () => {
  it.each(reservedData)("reserved data opcode %s fails with 1002", async (name, opcode) => {
    const connection = await connect();
    await connection.send({ opcode, payload: "reserved" });
    await expectOutcome(connection, `reserved-${name}`, failWith(1002));
  });

  it.each(reservedControl)("reserved control opcode %s fails with 1002", async (name, opcode) => {
    const connection = await connect();
    await connection.send({ opcode, payload: "reserved" });
    await expectOutcome(connection, `reserved-${name}`, failWith(1002));
  });

  it("a valid message before a reserved opcode is echoed, then the connection fails with 1002", async () => {
    const connection = await connect();
    await connection.send({ opcode: Opcode.text, payload: "before" });
    expect(new TextDecoder().decode((await connection.nextMessage()).payload)).toBe("before");
    await connection.send({ opcode: 0x5, payload: "" });
    await expectOutcome(connection, "after-valid-message", failWith(1002));
  });
});
