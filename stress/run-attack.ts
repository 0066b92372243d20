// One attack from start to finish: RSS window open, canary on, the attack in a worker thread until its
// time is up (or the RSS guard fires), then canary off, a fresh connection, a pause, and the RSS after.
import { Worker } from "node:worker_threads";
import { sleep, type Attack, type AttackDetails } from "./attack.ts";
import type { AttackJob, AttackReport, StopRequest } from "./attack-worker.ts";
import { Canary, type CanaryReport } from "./canary.ts";
import { checkFreshConnection, type FreshConnectionResult } from "./fresh-connection.ts";
import { emptyTally, type ReactionTally } from "./reactions.ts";
import type { RssSampler } from "./rss-sampler.ts";

/** Beyond its own time, how long an attack may take to close its sockets before its thread is ended. */
const windDownMs = 15_000;
const defaultSettleMs = 1000;

export interface RssFigures {
  beforeMiB: number | undefined;
  peakMiB: number | undefined;
  afterMiB: number | undefined;
  growthMiB: number | undefined;
}

export interface AttackResult {
  attack: string;
  summary: string;
  /** Why the attack ended before its time (the RSS guard), if it did. */
  stoppedEarly: string | null;
  /** The attack's own failure (a bug in the tool, or a thread that would not wind down). */
  failed: string | null;
  seconds: number;
  rss: RssFigures;
  canary: CanaryReport;
  attackers: ReactionTally;
  details: AttackDetails;
  freshConnection: FreshConnectionResult;
  /** The server process was seen and then disappeared. */
  serverGone: boolean;
}

export interface AttackSettings {
  baseUrl: string;
  durationMs: number;
  rssLimitKiB: number;
  sampler: RssSampler;
}

const mib = (kib: number | undefined) => (kib === undefined ? undefined : Math.round((kib / 1024) * 10) / 10);

export async function runAttack(attack: Attack, settings: AttackSettings): Promise<AttackResult> {
  const { baseUrl, durationMs, rssLimitKiB, sampler } = settings;
  const started = performance.now();
  const rss = sampler.watch();
  const canary = new Canary(baseUrl);
  // Let the canary connect and take a few undisturbed samples first.
  await sleep(300);

  const job: AttackJob = { attack: attack.name, baseUrl, durationMs };
  const worker = new Worker(new URL("./attack-worker.ts", import.meta.url), { workerData: job });
  let guardReason: string | undefined;
  const stopGuard = sampler.onSample((kib) => {
    if (kib <= rssLimitKiB || guardReason) return;
    guardReason = `RSS guard: server reached ${mib(kib)} MiB (limit ${mib(rssLimitKiB)})`;
    worker.postMessage({ type: "stop", reason: guardReason } satisfies StopRequest);
  });
  const report = await new Promise<AttackReport>((resolve) => {
    const empty = { reactions: emptyTally(), details: {} };
    const hardStop = setTimeout(() => {
      resolve({ type: "failed", message: `did not wind down within ${windDownMs / 1000} s of its end; its thread (and sockets) were terminated`, ...empty });
    }, durationMs + windDownMs);
    const settle = (result: AttackReport) => {
      clearTimeout(hardStop);
      resolve(result);
    };
    worker.once("message", settle);
    worker.once("error", (error) => settle({ type: "failed", message: error.stack ?? error.message, ...empty }));
    worker.once("exit", (code) => settle({ type: "failed", message: `attack thread exited (${code}) without a report`, ...empty }));
  });
  stopGuard();
  await worker.terminate();

  const canaryReport = await canary.stop();
  const freshConnection = await checkFreshConnection(baseUrl);
  await sleep(attack.settleMs ?? defaultSettleMs);
  const afterKiB = sampler.sample();
  rss.close();

  const { beforeKiB, peakKiB } = rss.window;
  return {
    attack: attack.name,
    summary: attack.summary,
    // null rather than undefined, so the JSON results say "not stopped" instead of leaving the field out.
    stoppedEarly: (report.type === "done" ? report.stopReason : guardReason) ?? null,
    failed: report.type === "failed" ? report.message : null,
    seconds: Math.round((performance.now() - started) / 100) / 10,
    rss: {
      beforeMiB: mib(beforeKiB),
      peakMiB: mib(peakKiB),
      afterMiB: mib(afterKiB),
      growthMiB: beforeKiB === undefined || afterKiB === undefined ? undefined : mib(afterKiB - beforeKiB),
    },
    canary: canaryReport,
    attackers: report.reactions,
    details: report.details,
    freshConnection,
    serverGone: sampler.vanished,
  };
}
