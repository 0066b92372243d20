// A 1 MiB message sent as a million 1-byte fragments (RFC 6455 §5.4 allows any fragmentation). Each
// frame costs 7 bytes on the wire but a parser may spend an object per fragment, so the server's
// memory and time per message can be far above the 1 MiB that MAX_MESSAGE_BYTES allows.
import type { Attack } from "../attack.ts";
import { runLanes } from "../attack-lanes.ts";
import { encodeFrame } from "../../test/support/wire/frame-encoder.ts";
import { Opcode } from "../../test/support/wire/opcodes.ts";

const connections = 4;
const messageBytes = 1024 * 1024;

/** The whole fragmented message as one byte string: binary FIN=0, continuations, the last with FIN=1. */
function fragmentedMessage(): { message: Uint8Array; frameBytes: number } {
  const byte = Uint8Array.of(0x66);
  const first = encodeFrame({ opcode: Opcode.binary, fin: false, payload: byte });
  const middle = encodeFrame({ opcode: Opcode.continuation, fin: false, payload: byte });
  const last = encodeFrame({ opcode: Opcode.continuation, fin: true, payload: byte });
  const message = new Uint8Array(first.length + middle.length * (messageBytes - 2) + last.length);
  message.set(first, 0);
  for (let offset = first.length; offset < message.length - last.length; offset += middle.length) message.set(middle, offset);
  message.set(last, message.length - last.length);
  return { message, frameBytes: middle.length };
}

export const fragments: Attack = {
  name: "fragments",
  summary: `${connections} connections send 1 MiB messages as 1-byte fragments, over and over, reading the echoes (reconnecting when dropped)`,
  async run({ target, stop, reactions, details }) {
    const { message, frameBytes } = fragmentedMessage();
    let bytesSent = 0;
    let wholeMessages = 0;
    let echoes = 0;
    const opened = await runLanes({
      target,
      reactions,
      stop,
      lanes: connections,
      reading: true,
      drainMs: 1000,
      attack: async (attacker) => {
        while (!stop.aborted && attacker.usable) await attacker.send(message, stop);
      },
      finished: (attacker) => {
        // The ~170 bytes of the handshake are not in bytesSent: it counts frames only.
        bytesSent += attacker.bytesSent;
        wholeMessages += Math.floor(attacker.bytesSent / message.length);
        echoes += attacker.skimmer.messages;
      },
    });
    // Taken by TCP is not read by the server: megabytes sit in the two kernels' buffers of a connection.
    Object.assign(details, { connectionsOpened: opened, fragmentsTakenByTcp: Math.floor(bytesSent / frameBytes), wholeMessagesTakenByTcp: wholeMessages, echoesReceived: echoes });
  },
};
