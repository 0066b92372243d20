// One attack from start to finish: RSS window open, canary on, the attack in a worker thread until its
// time is up (or the RSS guard fires), then canary off, a fresh connection, a pause, and the RSS after.
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { setTimeout as delay } from "node:timers/promises";
import { Worker } from "node:worker_threads";
import WebSocket from "ws";
import { sleep, type Attack, type AttackDetails } from "./attack.ts";
import type { AttackJob, AttackReport } from "./attack-worker.ts";
import { Canary, type CanaryReport } from "./canary.ts";
import { Reactions, type ReactionTally } from "./reactions.ts";
import type { RssSampler } from "./rss-sampler.ts";

/** Beyond its own time, how long an attack may take to close its sockets before its thread is ended. */
const windDownMs = 15_000;

export interface AttackResult {
  attack: string;
  summary: string;
  /** Why the attack ended before its time (the RSS guard), if it did; null rather than left out of the JSON. */
  stoppedEarly: string | null;
  /** The attack's own failure (a bug in the tool, or a thread that would not wind down). */
  failed: string | null;
  seconds: number;
  rss: Record<"beforeMiB" | "peakMiB" | "afterMiB" | "growthMiB", number | undefined>;
  canary: CanaryReport;
  attackers: ReactionTally;
  details: AttackDetails;
  freshConnection: FreshConnectionResult;
  /** The server process was seen and then disappeared. */
  serverGone: boolean;
}

const mib = (kib: number | undefined) => (kib === undefined ? undefined : Math.round((kib / 1024) * 10) / 10);

export async function runAttack(attack: Attack, { baseUrl, durationMs, rssLimitKiB, sampler }: { baseUrl: string; durationMs: number; rssLimitKiB: number; sampler: RssSampler }): Promise<AttackResult> {
  const started = performance.now();
  sampler.restart();
  const canary = new Canary(baseUrl);
  // Let the canary connect and take a few undisturbed samples first.
  await sleep(300);

  const worker = new Worker(new URL("./attack-worker.ts", import.meta.url), { workerData: { attack: attack.name, baseUrl, durationMs } satisfies AttackJob });
  let guardReason: string | undefined;
  sampler.onSample = (kib) => {
    if (kib <= rssLimitKiB || guardReason) return;
    guardReason = `RSS guard: server reached ${mib(kib)} MiB (limit ${mib(rssLimitKiB)})`;
    worker.postMessage(guardReason);
  };
  const failed = (message: string): AttackReport => ({ type: "failed", message, reactions: new Reactions(), details: {} });
  const report = await Promise.race([
    // An error thrown in the thread rejects the wait for its report.
    once(worker, "message").then(([message]) => message as AttackReport, (error: Error) => failed(error.stack ?? error.message)),
    once(worker, "exit").then(([code]) => failed(`attack thread exited (${code}) without a report`)),
    delay(durationMs + windDownMs, undefined, { ref: false }).then(() => failed(`did not wind down within ${windDownMs / 1000} s of its end; its thread (and sockets) were terminated`)),
  ]);
  sampler.onSample = () => {};
  await worker.terminate();

  const canaryReport = await canary.stop();
  const freshConnection = await checkFreshConnection(baseUrl);
  await sleep(attack.settleMs ?? 1000);
  const afterKiB = sampler.sample();
  const { beforeKiB, peakKiB } = sampler;
  return {
    attack: attack.name,
    summary: attack.summary,
    stoppedEarly: (report.type === "done" ? report.stopReason : guardReason) ?? null,
    failed: report.type === "failed" ? report.message : null,
    seconds: Math.round((performance.now() - started) / 100) / 10,
    rss: { beforeMiB: mib(beforeKiB), peakMiB: mib(peakKiB), afterMiB: mib(afterKiB), growthMiB: beforeKiB === undefined || afterKiB === undefined ? undefined : mib(afterKiB - beforeKiB) },
    canary: canaryReport,
    attackers: report.reactions,
    details: report.details,
    freshConnection,
    serverGone: sampler.vanished,
  };
}

export interface FreshConnectionResult {
  ok: boolean;
  /** Handshake plus echo, in milliseconds. */
  ms: number;
  problem?: string;
}

/** After an attack: can a newcomer still use the service? One new handshake and one echo. */
function checkFreshConnection(baseUrl: string, timeoutMs = 5000): Promise<FreshConnectionResult> {
  const started = performance.now();
  const payload = randomBytes(16);
  const socket = new WebSocket(`${baseUrl.replace(/^http/, "ws")}/echo`, { handshakeTimeout: timeoutMs });
  return new Promise((resolve) => {
    // The first outcome counts; ending the socket may report more.
    const done = (problem?: string) => {
      clearTimeout(timer);
      socket.terminate();
      const ms = Math.round(performance.now() - started);
      resolve(problem === undefined ? { ok: true, ms } : { ok: false, ms, problem });
    };
    const timer = setTimeout(() => done(`no echo within ${timeoutMs} ms of the handshake`), 2 * timeoutMs);
    socket.on("unexpected-response", (_request, response) => done(`handshake answered ${response.statusCode}`));
    socket.on("error", (error: NodeJS.ErrnoException) => done(error.code ?? error.message));
    socket.on("open", () => socket.send(payload));
    socket.on("message", (data, isBinary) => done(isBinary && payload.equals(data as Buffer) ? undefined : "the echo differs"));
    socket.on("close", (code) => done(`closed with ${code}`));
  });
}
