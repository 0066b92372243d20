// Large messages, replies never read: once TCP pushes back, does the server stop reading this client
// (MAX_BUFFERED_BYTES, docs/protocol.md#limits) or queue replies in its own memory? Binary echoes on
// /echo go back as they came; text on /ws becomes a new, longer reply string for every message.
import { encodeFrame } from "../../test/support/wire/frame-encoder.ts";
import { Opcode } from "../../test/support/wire/opcodes.ts";
import { sleep, type Attack } from "../attack.ts";
import { runLanes } from "../connections.ts";

/** Under RATE_LIMIT=100, so the rate limit is not what stops these clients. */
const messagesPerSecond = 90;

interface SlowReading {
  name: string;
  connections: number;
  messageBytes: number;
  opcode: typeof Opcode.binary | typeof Opcode.text;
  path: "/echo" | "/ws";
}

function slowReading({ name, connections, messageBytes, opcode, path }: SlowReading): Attack {
  const size = messageBytes >= 1024 * 1024 ? `${messageBytes / 1024 / 1024} MiB` : `${messageBytes / 1024} KiB`;
  return {
    name,
    summary: `${connections} connections send ${size} ${opcode === Opcode.text ? "text" : "binary"} messages to ${path} at ${messagesPerSecond}/s each and never read (reconnecting when dropped)`,
    async run(context) {
      // One frame, built (and masked) once and written again and again: the client stays cheap.
      const frame = encodeFrame({ opcode, payload: new Uint8Array(messageBytes).fill(0x61) });
      const counts = { messagesDue: 0, messagesQueued: 0, messagesWritten: 0, messagesBlockedByTcp: 0, echoesReadAtEnd: 0 };
      const opened = await runLanes(context, {
        lanes: connections,
        reading: false,
        path,
        // At the end every connection is read again: the replies the server kept come out now.
        drainMs: 2000,
        attack: async (attacker) => {
          const started = performance.now();
          let due = 0;
          while (!context.stop.aborted && attacker.usable) {
            for (const dueNow = Math.floor(((performance.now() - started) / 1000) * messagesPerSecond); due < dueNow; due++) {
              counts.messagesDue++;
              // A due message is skipped (blocked) while four are already queued in our socket.
              if (attacker.socket.writableLength >= 4 * messageBytes) {
                counts.messagesBlockedByTcp++;
                continue;
              }
              counts.messagesQueued++;
              attacker.socket.write(frame, (error) => {
                if (!error) counts.messagesWritten++;
              });
            }
            await sleep(10, context.stop);
          }
        },
        finished: (attacker) => void (counts.echoesReadAtEnd += attacker.messages),
      });
      // messagesWritten: taken by the kernel, what the server could read as far as TCP let us.
      Object.assign(context.details, { connectionsOpened: opened, ...counts });
    },
  };
}

export const slowReader = slowReading({ name: "slow-reader", connections: 4, messageBytes: 1024 * 1024, opcode: Opcode.binary, path: "/echo" });
export const slowTextReader = slowReading({ name: "slow-text-reader", connections: 8, messageBytes: 64 * 1024, opcode: Opcode.text, path: "/ws" });
