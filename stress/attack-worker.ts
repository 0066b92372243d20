// Worker-thread entry: runs one attack and posts its outcome. If it fails to wind down, the runner
// terminates the thread, which closes every socket the attack still holds.
import { parentPort, workerData } from "node:worker_threads";
import type { AttackDetails } from "./attack.ts";
import { attacks } from "./attack-list.ts";
import { Reactions, type ReactionTally } from "./reactions.ts";

/** What the runner passes in; it may later post why the attack must stop now (the RSS guard fired). */
export interface AttackJob {
  attack: string;
  baseUrl: string;
  durationMs: number;
}

/** Worker to runner, once the attack has closed its sockets. */
export type AttackReport = { reactions: ReactionTally; details: AttackDetails } & ({ type: "done"; stopReason: string | undefined } | { type: "failed"; message: string });

const job = workerData as AttackJob;
const port = parentPort;
if (!port) throw new Error("attack-worker.ts runs as a worker thread (see run-attack.ts)");

// The first reason to stop is the signal's reason; a later abort changes nothing.
const controller = new AbortController();
const timeUp = setTimeout(() => controller.abort("time"), job.durationMs);
port.on("message", (reason: string) => controller.abort(reason));

const reactions = new Reactions();
const details: AttackDetails = {};
let report: AttackReport;
try {
  await attacks.find((attack) => attack.name === job.attack)!.run({ baseUrl: job.baseUrl, stop: controller.signal, reactions, details });
  // "time" is the normal end; any other reason (the RSS guard) is worth reporting.
  const reason = controller.signal.reason as string | undefined;
  report = { type: "done", stopReason: reason === "time" ? undefined : reason, reactions, details };
} catch (error) {
  report = { type: "failed", message: error instanceof Error ? (error.stack ?? error.message) : String(error), reactions, details };
}
clearTimeout(timeUp);
port.postMessage(report);
port.close();
