// A client that sends large messages but never reads the echoes. TCP pushes back once the kernel
// buffers are full; what matters is whether the server then stops reading this client (bounded
// memory, MAX_BUFFERED_BYTES in docs/protocol.md#limits) or keeps queueing replies in its own memory.
import type { Attack } from "../attack.ts";
import { runLanes } from "../attack-lanes.ts";
import { encodeFrame } from "../../test/support/wire/frame-encoder.ts";
import { Opcode } from "../../test/support/wire/opcodes.ts";
import { sleep } from "../waits.ts";

const connections = 4;
const messageBytes = 1024 * 1024;
/** Under RATE_LIMIT=100, so the rate limit is not what stops this client. */
const messagesPerSecond = 90;
/** A due message is skipped (counted as blocked) while this much is already queued in our socket. */
const clientQueueLimit = 4 * messageBytes;

export const slowReader: Attack = {
  name: "slow-reader",
  summary: `${connections} connections send 1 MiB binary messages at ${messagesPerSecond}/s each and never read (reconnecting when dropped)`,
  async run({ target, stop, reactions, details }) {
    // One frame, built (and masked) once and written again and again: the client stays cheap.
    const frame = encodeFrame({ opcode: Opcode.binary, payload: new Uint8Array(messageBytes) });
    let due = 0;
    let queued = 0;
    let written = 0;
    let blocked = 0;
    let replies = 0;
    const opened = await runLanes({
      target,
      reactions,
      stop,
      lanes: connections,
      reading: false,
      // At the end every connection is read again: the echoes the server kept come out now.
      drainMs: 2000,
      attack: async (attacker) => {
        const started = performance.now();
        let dueHere = 0;
        while (!stop.aborted && attacker.usable) {
          const dueNow = Math.floor(((performance.now() - started) / 1000) * messagesPerSecond);
          for (; dueHere < dueNow; dueHere++, due++) {
            if (attacker.socket.writableLength >= clientQueueLimit) {
              blocked++;
              continue;
            }
            queued++;
            attacker.socket.write(frame, (error) => {
              if (!error) written++;
            });
          }
          await sleep(10, stop);
        }
      },
      finished: (attacker) => {
        replies += attacker.skimmer.messages;
      },
    });
    Object.assign(details, {
      connectionsOpened: opened,
      messagesDue: due,
      messagesQueued: queued,
      // Taken by the kernel: what the server could read, as far as TCP let us.
      messagesWritten: written,
      messagesBlockedByTcp: blocked,
      echoesReadAtEnd: replies,
    });
  },
};
