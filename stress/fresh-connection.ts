// After an attack: can a newcomer still use the service? One new handshake and one echo.
import { randomBytes } from "node:crypto";
import { encodeFrame } from "../test/support/wire/frame-encoder.ts";
import { ServerFrameDecoder } from "../test/support/wire/frame-decoder.ts";
import { Opcode } from "../test/support/wire/opcodes.ts";
import { openWebSocket } from "./handshake.ts";
import type { Target } from "./target.ts";

export interface FreshConnectionResult {
  ok: boolean;
  /** Handshake plus echo, in milliseconds. */
  ms: number;
  problem?: string;
}

export async function checkFreshConnection(target: Target, timeoutMs = 5000): Promise<FreshConnectionResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const outcome = await openWebSocket(target, "/echo", timeoutMs);
  if (outcome.kind !== "open") {
    return { ok: false, ms: elapsed(), problem: outcome.kind === "refused" ? `handshake answered ${outcome.status}` : `handshake ${outcome.reason}` };
  }
  const { socket, leftover } = outcome;
  const payload = randomBytes(16);
  const decoder = new ServerFrameDecoder();
  const problem = await new Promise<string | undefined>((resolve) => {
    const deadline = setTimeout(() => resolve(`no echo within ${timeoutMs} ms`), timeoutMs);
    const settle = (result: string | undefined) => {
      clearTimeout(deadline);
      resolve(result);
    };
    const receive = (chunk: Uint8Array) => {
      try {
        for (const frame of decoder.push(chunk)) {
          if (frame.opcode === Opcode.ping) continue;
          if (frame.opcode === Opcode.binary && Buffer.from(frame.payload).equals(payload)) return settle(undefined);
          return settle(`unexpected frame, opcode 0x${frame.opcode.toString(16)}`);
        }
      } catch (error) {
        settle(`bad frame: ${(error as Error).message}`);
      }
    };
    socket.on("data", receive);
    socket.on("close", () => settle("connection closed before the echo"));
    receive(leftover);
    socket.resume();
    socket.write(encodeFrame({ opcode: Opcode.binary, payload }));
  });
  const ms = elapsed();
  socket.destroy();
  return problem === undefined ? { ok: true, ms } : { ok: false, ms, problem };
}
