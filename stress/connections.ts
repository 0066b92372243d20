// Opening attacking connections, never more than a fixed number of handshakes at once, so the tool's
// own memory and ports stay bounded; refusals count as the server's reaction.
import { tryUpgrade } from "../test/support/wire/handshake.ts";
import { sleep } from "./attack.ts";
import { AttackerConnection } from "./attacker-connection.ts";
import type { Reactions } from "./reactions.ts";

/** Runs `task(0..count-1)` with at most `concurrency` in flight; starts no new one once `stop` fires. */
export async function inLanes(count: number, concurrency: number, stop: AbortSignal, task: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < count && !stop.aborted) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
}

/** Opens `count` connections to `path` (/echo by default), `reading` server frames all along or leaving them in the kernel;
 * those that got no 101 are tallied in `reactions` and told to `onRefused` with how many were open then. */
export async function openAttackers(
  baseUrl: string,
  reactions: Reactions,
  stop: AbortSignal,
  options: { count: number; reading: boolean; path?: string; onRefused?: (answer: number | string, openSoFar: number) => void },
): Promise<AttackerConnection[]> {
  const open: AttackerConnection[] = [];
  await inLanes(options.count, 50, stop, async () => {
    const outcome = await tryUpgrade(baseUrl, options.path ?? "/echo");
    if (outcome.kind === "open") return void open.push(new AttackerConnection(outcome.socket, outcome.leftover, options.reading));
    const answer = outcome.kind === "refused" ? outcome.status : outcome.code;
    reactions.count("handshakeAnswers", answer);
    options.onRefused?.(answer, open.length);
  });
  return open;
}

// Keeps `lanes` connections busy, as a real attacker would: a dropped one is replaced after a pause (four
// flooders stay four, not a handshake flood). Finished ones are summed by `finished`; resolves with the count opened.
export async function runLanes(
  { baseUrl, reactions, stop }: { baseUrl: string; reactions: Reactions; stop: AbortSignal },
  options: { lanes: number; reading: boolean; path?: string; drainMs: number; attack: (attacker: AttackerConnection) => Promise<void>; finished: (attacker: AttackerConnection) => void },
): Promise<number> {
  let opened = 0;
  const lane = async () => {
    while (!stop.aborted) {
      const [attacker] = await openAttackers(baseUrl, reactions, stop, { count: 1, reading: options.reading, path: options.path });
      if (attacker) {
        opened++;
        await options.attack(attacker);
        // Dropped by the server mid-attack: record how, then reconnect. At the end: read what is left.
        await attacker.finish(reactions, stop.aborted ? options.drainMs : 0);
        options.finished(attacker);
      }
      await sleep(100, stop);
    }
  };
  await Promise.all(Array.from({ length: options.lanes }, lane));
  return opened;
}

/** A lane's attack: writes `bytes` again and again while the connection takes them. */
export const repeatedly = (bytes: Uint8Array, stop: AbortSignal) => async (attacker: AttackerConnection) => {
  while (!stop.aborted && attacker.usable) await attacker.send(bytes, stop);
};
