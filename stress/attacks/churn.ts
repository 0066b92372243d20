// Thousands of short, clean connections: handshake, close 1000, gone. The question is whether each one's
// memory comes back, so the runner reads the RSS again a few seconds after the last.
import { closePayload, encodeFrame } from "../../test/support/wire/frame-encoder.ts";
import { Opcode } from "../../test/support/wire/opcodes.ts";
import type { Attack } from "../attack.ts";
import { inLanes, openAttackers } from "../connections.ts";

const cycles = 5000;
const concurrency = 50;

export const churn: Attack = {
  name: "churn",
  summary: `${cycles} clean connect / handshake / close 1000 cycles, ${concurrency} at a time`,
  settleMs: 3000,
  async run({ baseUrl, stop, reactions, details }) {
    const close = encodeFrame({ opcode: Opcode.close, payload: closePayload(1000) });
    let completed = 0;
    const started = performance.now();
    await inLanes(cycles, concurrency, stop, async () => {
      const [connection] = await openAttackers(baseUrl, reactions, stop, { count: 1, reading: true });
      if (!connection) return;
      connection.socket.write(close);
      // Waits for the server's close frame (or its FIN) and records which it was.
      await connection.finish(reactions, 5000);
      completed++;
    });
    Object.assign(details, { cyclesCompleted: completed, cyclesPerSecond: Math.round(completed / ((performance.now() - started) / 1000)) });
  },
};
