// Many connections each start a message and never finish it. A server that buffers an incomplete
// message holds up to MAX_MESSAGE_BYTES per connection for as long as the client likes: 200 of them
// are 200 MiB, sent at the cost of one write each.
import type { Attack } from "../attack.ts";
import { encodeFrame } from "../../test/support/wire/frame-encoder.ts";
import { Opcode } from "../../test/support/wire/opcodes.ts";
import { finishAll, openAttackers } from "../open-attackers.ts";
import { untilStopped } from "../waits.ts";

const connections = 200;
const messageBytes = 1024 * 1024;
const drainMs = 1000;

/**
 * Two ways to leave a message unfinished, alternating between connections: a frame whose header
 * announces 1 MiB followed by all but its last byte, and a whole non-final fragment of 1 MiB - 1
 * bytes with no continuation ever.
 */
function unfinishedMessages(): Uint8Array[] {
  const announced = encodeFrame({ opcode: Opcode.binary, payload: new Uint8Array(messageBytes) });
  const fragment = encodeFrame({ opcode: Opcode.binary, fin: false, payload: new Uint8Array(messageBytes - 1) });
  return [announced.subarray(0, announced.length - 1), fragment];
}

export const partialMessages: Attack = {
  name: "partial-messages",
  summary: `${connections} connections each send ~1 MiB of a message (a cut-short frame, or a non-final fragment) and hold it`,
  async run({ target, stop, reactions, details }) {
    const variants = unfinishedMessages();
    const attackers = await openAttackers(target, reactions, stop, { count: connections, reading: false });
    await Promise.all(attackers.map((attacker, index) => attacker.send(variants[index % variants.length] ?? new Uint8Array(0), stop)));
    await untilStopped(stop);
    const bytesSent = attackers.reduce((sum, attacker) => sum + attacker.bytesSent, 0);
    await finishAll(attackers, reactions, drainMs);
    Object.assign(details, {
      connections: attackers.length,
      partialMiBSent: Math.round((bytesSent / 2 ** 20) * 10) / 10,
    });
  },
};
