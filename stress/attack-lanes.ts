// Attacks that keep a fixed number of connections busy. When the server drops one, its lane opens
// another, as a real attacker would: the attack then measures what the server does over its whole
// time, not just to the first few connections. Finished connections are summed, not kept, so a
// server that drops thousands does not grow the tool's memory.
import type { AttackerConnection } from "./attacker-connection.ts";
import { openAttackers } from "./open-attackers.ts";
import type { Reactions } from "./reactions.ts";
import type { Target } from "./target.ts";
import { sleep } from "./waits.ts";

/**
 * A lane waits this long before it reconnects (after a refusal or a drop), so that four lanes stay
 * four flooding connections instead of turning into a handshake flood when the server drops each
 * one within milliseconds.
 */
const reconnectAfterMs = 100;

export interface LaneOptions {
  target: Target;
  reactions: Reactions;
  stop: AbortSignal;
  lanes: number;
  reading: boolean;
  /** When the attack ends, how long each connection may still be read for the server's last word. */
  drainMs: number;
  /** Does the damage with one connection; returns when it is unusable or `stop` fires. */
  attack: (attacker: AttackerConnection) => Promise<void>;
  /** Called once per connection after it is closed, to add its figures to the attack's. */
  finished: (attacker: AttackerConnection) => void;
}

/** Runs the lanes until `stop`; resolves with the number of connections opened. */
export async function runLanes(options: LaneOptions): Promise<number> {
  const { target, reactions, stop } = options;
  let opened = 0;
  const lane = async () => {
    while (!stop.aborted) {
      const [attacker] = await openAttackers(target, reactions, stop, { count: 1, reading: options.reading });
      if (!attacker) {
        await sleep(reconnectAfterMs, stop);
        continue;
      }
      opened++;
      await options.attack(attacker);
      // Dropped by the server mid-attack: record how, then reconnect. At the end: read what is left.
      await attacker.finish(reactions, stop.aborted ? options.drainMs : 0);
      options.finished(attacker);
      await sleep(reconnectAfterMs, stop);
    }
  };
  await Promise.all(Array.from({ length: options.lanes }, lane));
  return opened;
}
