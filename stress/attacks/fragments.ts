// A 1 MiB message as a million 1-byte fragments (RFC 6455 §5.4): 7 bytes each on the wire, but a parser
// may spend an object per fragment, far above the 1 MiB MAX_MESSAGE_BYTES allows.
import { concatBytes, encodeFrame } from "../../test/support/wire/frame-encoder.ts";
import { Opcode } from "../../test/support/wire/opcodes.ts";
import type { Attack } from "../attack.ts";
import { repeatedly, runLanes } from "../connections.ts";

const connections = 4;
const messageBytes = 1024 * 1024;

export const fragments: Attack = {
  name: "fragments",
  summary: `${connections} connections send 1 MiB messages as 1-byte fragments, over and over, reading the echoes (reconnecting when dropped)`,
  async run(context) {
    const fragment = (opcode: number, fin: boolean) => encodeFrame({ opcode, fin, payload: Uint8Array.of(0x66) });
    const middle = fragment(Opcode.continuation, false);
    // Binary FIN=0, continuations, the last with FIN=1.
    const message = concatBytes([fragment(Opcode.binary, false), ...Array.from({ length: messageBytes - 2 }, () => middle), fragment(Opcode.continuation, true)]);
    let bytesSent = 0;
    let wholeMessages = 0;
    let echoes = 0;
    const opened = await runLanes(context, {
      lanes: connections,
      reading: true,
      drainMs: 1000,
      attack: repeatedly(message, context.stop),
      finished: (attacker) => {
        // The handshake's bytes are not in bytesSent: it counts frames only.
        bytesSent += attacker.bytesSent;
        wholeMessages += Math.floor(attacker.bytesSent / message.length);
        echoes += attacker.messages;
      },
    });
    // Taken by TCP is not read by the server: megabytes sit in the two kernels' buffers of a connection.
    Object.assign(context.details, { connectionsOpened: opened, fragmentsTakenByTcp: Math.floor(bytesSent / middle.length), wholeMessagesTakenByTcp: wholeMessages, echoesReceived: echoes });
  },
};
