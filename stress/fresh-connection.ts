// After an attack: can a newcomer still use the service? One new handshake and one echo.
import { randomBytes } from "node:crypto";
import { RawWebSocket } from "../test/support/wire/raw-websocket.ts";
import { tryUpgrade } from "../test/support/wire/handshake.ts";
import { Opcode } from "../test/support/wire/opcodes.ts";

export interface FreshConnectionResult {
  ok: boolean;
  /** Handshake plus echo, in milliseconds. */
  ms: number;
  problem?: string;
}

export async function checkFreshConnection(baseUrl: string, timeoutMs = 5000): Promise<FreshConnectionResult> {
  const started = performance.now();
  const outcome = await tryUpgrade(baseUrl, "/echo", timeoutMs);
  let problem: string | undefined = outcome.kind === "refused" ? `handshake answered ${outcome.status}` : outcome.kind === "failed" ? `handshake ${outcome.code}` : undefined;
  if (outcome.kind === "open") {
    const connection = new RawWebSocket(outcome.socket, outcome.leftover);
    const payload = randomBytes(16);
    try {
      await connection.send({ opcode: Opcode.binary, payload });
      let frame = await connection.nextFrame(timeoutMs);
      while (frame.opcode === Opcode.ping) frame = await connection.nextFrame(timeoutMs);
      if (frame.opcode !== Opcode.binary || !payload.equals(frame.payload)) problem = `unexpected frame, opcode 0x${frame.opcode.toString(16)}`;
    } catch (error) {
      problem = (error as Error).message;
    }
    connection.destroy();
  }
  const ms = Math.round(performance.now() - started);
  return problem === undefined ? { ok: true, ms } : { ok: false, ms, problem };
}
