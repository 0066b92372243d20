// What every attack is given and hands back. An attack runs in a worker thread (attack-worker.ts), so
// its busy writing cannot delay the canary's timers in the main thread.
import { setTimeout as delay } from "node:timers/promises";
import type { Reactions } from "./reactions.ts";

/** Attack-specific figures for the report, e.g. `messagesWritten`. */
export type AttackDetails = Record<string, number | string>;

export interface Attack {
  name: string;
  /** One line: what an attacker does. */
  summary: string;
  /** How long to wait after the attack before reading the "after" RSS (churn asks for a few seconds). */
  settleMs?: number;
  /** Does the damage to the server at `baseUrl` until `stop` fires (time is up, or the RSS guard) or its work is done,
   * then closes every socket it opened, recording the server's reaction to each. */
  run(context: { baseUrl: string; stop: AbortSignal; reactions: Reactions; details: AttackDetails }): Promise<void>;
}

/** Resolves after `ms`, or at once when `stop` fires. */
export const sleep = (ms: number, stop?: AbortSignal): Promise<void> => delay(ms, undefined, { signal: stop }).catch(() => {});

/** Resolves when `stop` fires (at once if it already has). */
export const untilStopped = (stop: AbortSignal): Promise<void> => new Promise((resolve) => (stop.aborted ? resolve() : stop.addEventListener("abort", () => resolve(), { once: true })));
