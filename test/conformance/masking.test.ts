// RFC 6455 §5.1: a client MUST mask every frame, and a server MUST close the connection on an unmasked
// one (with 1002, §7.4.1).
import { describe, it } from "vitest";
import { Opcode } from "../support/wire/opcodes.ts";
import { conformanceGroup } from "./conformance-group.ts";
import { failWith } from "./outcome.ts";

const { connect, expectOutcome } = conformanceGroup("masking");

describe("unmasked client frames (§5.1)", () => {
  it.each([
    ["text", Opcode.text, new TextEncoder().encode("not masked")],
    ["binary", Opcode.binary, Uint8Array.of(1, 2, 3)],
    ["ping", Opcode.ping, new TextEncoder().encode("not masked")],
  ])("an unmasked %s frame fails with 1002", async (name, opcode, payload) => {
    const connection = await connect();
    await connection.send({ opcode, payload, mask: false });
    await expectOutcome(connection, `unmasked-${name}`, failWith(1002));
  });
});
