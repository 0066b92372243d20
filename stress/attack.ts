// What every attack is given and what it hands back. An attack runs in a worker thread
// (attack-worker.ts) so that its busy writing cannot delay the canary's timers in the main thread.
import type { Reactions } from "./reactions.ts";
import type { Target } from "./target.ts";

/** Attack-specific figures for the report, e.g. `messagesWritten`. */
export type AttackDetails = Record<string, number | string>;

export interface AttackContext {
  target: Target;
  /** Fires when the attack must wind down: its time is up, or the server's RSS passed the guard. */
  stop: AbortSignal;
  reactions: Reactions;
  details: AttackDetails;
}

export interface Attack {
  name: string;
  /** One line: what an attacker does. */
  summary: string;
  /** How long to wait after the attack before reading the "after" RSS (churn asks for a few seconds). */
  settleMs?: number;
  /**
   * Does the damage until `stop` fires (or its work is done), then closes every socket it opened,
   * recording the server's reaction to each.
   */
  run(context: AttackContext): Promise<void>;
}
