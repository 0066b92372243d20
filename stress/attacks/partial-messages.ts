// Many connections each start a message and never finish it: a server that buffers it holds up to
// MAX_MESSAGE_BYTES per connection for as long as the client likes, for one write.
import { encodeFrame } from "../../test/support/wire/frame-encoder.ts";
import { Opcode } from "../../test/support/wire/opcodes.ts";
import { untilStopped, type Attack } from "../attack.ts";
import { openAttackers } from "../connections.ts";

const connections = 200;
const messageBytes = 1024 * 1024;

export const partialMessages: Attack = {
  name: "partial-messages",
  summary: `${connections} connections each send ~1 MiB of a message (a cut-short frame, or a non-final fragment) and hold it`,
  async run({ baseUrl, stop, reactions, details }) {
    // Alternating: a frame announcing 1 MiB with all but its last byte, and a non-final fragment of 1 MiB - 1 bytes.
    const announced = encodeFrame({ opcode: Opcode.binary, payload: new Uint8Array(messageBytes) });
    const variants = [announced.subarray(0, announced.length - 1), encodeFrame({ opcode: Opcode.binary, fin: false, payload: new Uint8Array(messageBytes - 1) })];
    const attackers = await openAttackers(baseUrl, reactions, stop, { count: connections, reading: false });
    await Promise.all(attackers.map((attacker, index) => attacker.send(variants[index % 2]!, stop)));
    await untilStopped(stop);
    const bytesSent = attackers.reduce((sum, attacker) => sum + attacker.bytesSent, 0);
    await Promise.all(attackers.map((attacker) => attacker.finish(reactions, 1000)));
    Object.assign(details, { connections: attackers.length, partialMiBSent: Math.round((bytesSent / 2 ** 20) * 10) / 10 });
  },
};
