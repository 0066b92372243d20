// Opens the attacking WebSockets of an attack, a bounded number of handshakes at a time; refusals
// and failed handshakes count as the server's reaction.
import { AttackerConnection } from "./attacker-connection.ts";
import { openWebSocket } from "./handshake.ts";
import { runPool } from "./pool.ts";
import type { Reactions } from "./reactions.ts";
import type { Target } from "./target.ts";

export interface OpenOptions {
  count: number;
  /** Read server frames all along (true) or leave them unread in the kernel (false). */
  reading: boolean;
  path?: string;
  concurrency?: number;
  /** Told of each handshake that did not open, with how many were open at that moment. */
  onRefused?: (answer: number | string, openSoFar: number) => void;
}

/** The connections that got a 101; the rest are tallied in `reactions`. */
export async function openAttackers(target: Target, reactions: Reactions, stop: AbortSignal, options: OpenOptions): Promise<AttackerConnection[]> {
  const open: AttackerConnection[] = [];
  await runPool(options.count, options.concurrency ?? 50, stop, async () => {
    const outcome = await openWebSocket(target, options.path ?? "/echo");
    if (outcome.kind === "open") open.push(new AttackerConnection(outcome.socket, outcome.leftover, options.reading));
    else {
      const answer = outcome.kind === "refused" ? outcome.status : outcome.reason;
      reactions.handshakeAnswer(answer);
      options.onRefused?.(answer, open.length);
    }
  });
  return open;
}

/** Ends every connection, giving the server `drainMs` to have its last say, and records each reaction. */
export async function finishAll(connections: AttackerConnection[], reactions: Reactions, drainMs: number): Promise<void> {
  await Promise.all(connections.map((connection) => connection.finish(reactions, drainMs)));
}
