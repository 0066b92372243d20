// Autobahn group 7 (close handling), RFC 6455 §5.5.1, §7.1 and §7.4: the server answers a close with a
// close (echoing the code), sends nothing after it, then closes TCP; a malformed close body or a code
// that may not be sent on the wire fails the connection with 1002.
import { describe, expect, it } from "vitest";
import { closePayload } from "../support/wire/frame-encoder.ts";
import { Opcode } from "../support/wire/opcodes.ts";
import { conformanceGroup } from "./conformance-group.ts";
import { failWith, type Outcome } from "./outcome.ts";

const { connect, expectOutcome } = conformanceGroup("close");

/** §5.5.1: the answer to a close is a close, typically with the same code; then the server closes TCP. */
const closedWith = (code: number | undefined): Outcome => ({ kind: "close", code, tcp: "closed-by-server" });

// §7.4.1 defines 1000-1003 and 1007-1011 for use on the wire (1012-1014 were registered later, §11.7);
// 3000-3999 are registered, 4000-4999 private.
const validCodes = [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999];
// 1004 is reserved, 1005/1006/1015 MUST NOT be sent (§7.4.1), 1016-2999 are unassigned (§7.4.2),
// 0-999 are not used, 5000 and up are outside the ranges.
const invalidCodes = [0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535];

describe("the close handshake (§5.5.1, §7.1)", () => {
  it.each(validCodes)("a close with code %i is answered with a close with the same code, then TCP closes", async (code) => {
    const connection = await connect();
    await connection.send({ opcode: Opcode.close, payload: closePayload(code) });
    await expectOutcome(connection, `valid-code-${code}`, closedWith(code));
  });

  it("a close with a UTF-8 reason is answered with the same code", async () => {
    const connection = await connect();
    await connection.send({ opcode: Opcode.close, payload: closePayload(1000, "done, κόσμε 𝄞") });
    await expectOutcome(connection, "utf8-reason", closedWith(1000));
  });

  it("a close with a 123-byte reason (the 125-byte limit) is answered", async () => {
    const connection = await connect();
    await connection.send({ opcode: Opcode.close, payload: closePayload(1000, "r".repeat(123)) });
    await expectOutcome(connection, "reason-123-bytes", closedWith(1000));
  });

  it("an empty close is answered with a close without a code or with 1000", async () => {
    const connection = await connect();
    await connection.send({ opcode: Opcode.close });
    await expectOutcome(connection, "empty-body", [closedWith(undefined), closedWith(1000)]);
  });

  it("a message before the close is echoed, then the close is answered (§7.1.1: frames keep their order)", async () => {
    const connection = await connect();
    await connection.send([
      { opcode: Opcode.text, payload: "last words" },
      { opcode: Opcode.close, payload: closePayload(1000) },
    ]);
    expect(new TextDecoder().decode((await connection.nextMessage()).payload)).toBe("last words");
    await expectOutcome(connection, "message-then-close", closedWith(1000));
  });

  it("a message after the client's close is not echoed (§5.5.1: no data after a close)", async () => {
    const connection = await connect();
    await connection.send([
      { opcode: Opcode.close, payload: closePayload(1000) },
      { opcode: Opcode.text, payload: "after the close" },
    ]);
    await expectOutcome(connection, "message-after-close", closedWith(1000));
  });

  it("a ping after the client's close is not answered", async () => {
    const connection = await connect();
    await connection.send([
      { opcode: Opcode.close, payload: closePayload(1000) },
      { opcode: Opcode.ping, payload: "after the close" },
    ]);
    await expectOutcome(connection, "ping-after-close", closedWith(1000));
  });

  it("a close with a 1-byte body fails with 1002 (§5.5.1: a body starts with a 2-byte code)", async () => {
    const connection = await connect();
    await connection.send({ opcode: Opcode.close, payload: Uint8Array.of(0x03) });
    await expectOutcome(connection, "one-byte-body", failWith(1002));
  });

  it.each(invalidCodes)("a close with code %i fails with 1002 (§7.4)", async (code) => {
    const connection = await connect();
    await connection.send({ opcode: Opcode.close, payload: closePayload(code) });
    await expectOutcome(connection, `invalid-code-${code}`, failWith(1002));
  });

  it("a close whose reason is invalid UTF-8 fails with 1007 or 1002 (§5.5.1, §8.1)", async () => {
    const connection = await connect();
    await connection.send({ opcode: Opcode.close, payload: closePayload(1000, Uint8Array.of(0x61, 0xce, 0xba, 0xe1, 0xbd, 0xb9, 0xcf, 0x83, 0xed, 0xa0, 0x80)) });
    await expectOutcome(connection, "invalid-utf8-reason", [failWith(1007), failWith(1002)]);
  });

  it("a close frame over 125 bytes fails with 1002 (§5.5)", async () => {
    const connection = await connect();
    await connection.send({ opcode: Opcode.close, payload: closePayload(1000, "r".repeat(124)) });
    await expectOutcome(connection, "body-126-bytes", failWith(1002));
  });
});
