// Thousands of short, clean connections: handshake, close 1000, gone. Nothing here is hostile on
// its own; the question is whether every connection's memory comes back, so the runner reads the
// RSS again a few seconds after the last one.
import type { Attack } from "../attack.ts";
import { AttackerConnection } from "../attacker-connection.ts";
import { closePayload, encodeFrame } from "../../test/support/wire/frame-encoder.ts";
import { Opcode } from "../../test/support/wire/opcodes.ts";
import { openWebSocket } from "../handshake.ts";
import { runPool } from "../pool.ts";

const cycles = 5000;
const concurrency = 50;
const closeWaitMs = 5000;

export const churn: Attack = {
  name: "churn",
  summary: `${cycles} clean connect / handshake / close 1000 cycles, ${concurrency} at a time`,
  settleMs: 3000,
  async run({ target, stop, reactions, details }) {
    const close = encodeFrame({ opcode: Opcode.close, payload: closePayload(1000) });
    let completed = 0;
    const started = performance.now();
    await runPool(cycles, concurrency, stop, async () => {
      const outcome = await openWebSocket(target);
      if (outcome.kind !== "open") {
        reactions.handshakeAnswer(outcome.kind === "refused" ? outcome.status : outcome.reason);
        return;
      }
      const connection = new AttackerConnection(outcome.socket, outcome.leftover, true);
      connection.socket.write(close);
      // Waits for the server's close frame (or its FIN) and records which it was.
      await connection.finish(reactions, closeWaitMs);
      completed++;
    });
    const seconds = (performance.now() - started) / 1000;
    Object.assign(details, { cyclesCompleted: completed, cyclesPerSecond: Math.round(completed / seconds) });
  },
};
