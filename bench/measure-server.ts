// One server in the bench: started once, then measured part by part (idle memory on the fresh
// process, echo and handshake runs when its turn comes), then stopped. Nothing here throws: a
// failure is recorded in the server's result and the server takes no further turns.
import { holdIdle, runEcho, runHandshakes } from "./generator.ts";
import { keepOnServerCpu, spawnOnServerCpu } from "./pinning.ts";
import type { LoadResult } from "./plan.ts";
import { deepestPid, treeCpuMs, treePids } from "./process-tree.ts";
import type { CpuFigures, EchoFigures, HandshakeFigures, IdleFigures, Method, ServerResult } from "./results.ts";
import { openFileLimit, rssKiB } from "./rss.ts";
import type { BenchSettings, EchoScenario } from "./scenarios.ts";
import { isMissingLauncher, type BenchServer } from "./servers.ts";
import type { ServerProcess } from "../test/support/server-process.ts";

const SETTLE_MS = 1_000;
// Sockets a process needs besides the idle ones (stdio, its listener, runtime internals).
const SPARE_FILES = 256;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A started server and what has been measured on it so far. */
export interface ServerUnderTest {
  server: BenchServer;
  result: ServerResult;
  process?: ServerProcess;
  /** ws:// origin of the server. */
  origin: string;
  /** The launched process, root of the server's process tree (what is pinned and timed). */
  root: number;
  /** The process whose RSS is the server's. */
  pid: number;
  method: Method;
}

/** Starts `server` on the server CPU; a server that does not start comes back with status "skipped" or "failed". */
export async function startServer(server: BenchServer, extraEnv: Record<string, string>, method: Method, say: (line: string) => void): Promise<ServerUnderTest> {
  const result: ServerResult = { name: server.name, kind: server.kind, baseline: server.baseline, judged: server.judged, status: "measured", echo: [] };
  if (server.env) result.env = { ...server.env, ...extraEnv };
  try {
    const started = await spawnOnServerCpu(method.pinning, () => server.start(extraEnv));
    const root = started.child.pid ?? 0;
    const pid = deepestPid(root, server.rssProcessName);
    const under: ServerUnderTest = { server, result, process: started, origin: started.baseUrl.replace(/^http/, "ws"), root, pid, method };
    let placement = "";
    if (method.pinning.enabled) {
      result.pinning = { cpu: method.pinning.serverCpu!, repinned: 0, threads: 0 };
      keepOnServerCpu(root, result.pinning);
      placement = `, ${result.pinning.threads} threads on CPU ${result.pinning.cpu}${result.pinning.repinned ? ` (${result.pinning.repinned} pinned again)` : ""}`;
    }
    say(`${server.name}: listening at ${started.baseUrl} (RSS of pid ${pid}${placement})`);
    return under;
  } catch (error) {
    result.status = isMissingLauncher(error) ? "skipped" : "failed";
    result.note = isMissingLauncher(error) ? "no launcher in test/support/runtimes.ts yet" : firstLine(error);
    say(`${server.name}: ${result.status} (${result.note})`);
    return { server, result, origin: "", root: 0, pid: 0, method };
  }
}

/** Before a measurement: every thread of the server still on its CPU (a new one inherits it; this checks). */
function checkPlacement(under: ServerUnderTest): void {
  if (under.result.pinning) keepOnServerCpu(under.root, under.result.pinning);
}

/** True while the server is up and has not failed a measurement. */
export function stillMeasured(under: ServerUnderTest): boolean {
  return under.result.status === "measured" && under.process !== undefined;
}

/** Runs `measure`; a throw marks the server failed (it takes no further turns). */
export async function attempt<T>(under: ServerUnderTest, say: (line: string) => void, measure: () => Promise<T>): Promise<T | undefined> {
  try {
    return await measure();
  } catch (error) {
    under.result.status = "failed";
    under.result.note = firstLine(error);
    say(`${under.server.name}: failed (${under.result.note})`);
    return undefined;
  }
}

/** CPU time per message of generator and server over the measured window. */
function cpuFigures(outcome: LoadResult, serverCpuMs: number | undefined): CpuFigures | undefined {
  const messages = outcome.latency?.count ?? 0;
  const wallMs = outcome.wallMs ?? 0;
  if (messages === 0 || wallMs <= 0) return undefined;
  const generatorCpuMs = (outcome.cpuUserMs ?? 0) + (outcome.cpuSystemMs ?? 0);
  const round = (value: number) => Math.round(value * 1000) / 1000;
  return {
    generator: outcome.generator ?? "node",
    generatorUsPerMessage: round((generatorCpuMs * 1000) / messages),
    generatorBusy: round(generatorCpuMs / wallMs),
    serverUsPerMessage: serverCpuMs === undefined ? undefined : round((serverCpuMs * 1000) / messages),
    serverBusy: serverCpuMs === undefined ? undefined : round(serverCpuMs / wallMs),
    generatorCpus: outcome.cpus,
  };
}

/** One closed-loop echo run. */
export async function echoOnce(under: ServerUnderTest, scenario: EchoScenario, settings: BenchSettings): Promise<EchoFigures> {
  checkPlacement(under);
  const pids = treePids(under.root);
  let serverCpuAtStart: number | undefined;
  let serverCpuMs: number | undefined;
  const outcome = await runEcho(
    { mode: "echo", url: `${under.origin}${scenario.path}`, connections: scenario.connections, bytes: scenario.bytes, frame: scenario.frame, warmupMs: settings.warmupMs, durationMs: settings.durationMs },
    under.method.echoGenerator,
    (line) => {
      if (line.phase === "start") serverCpuAtStart = treeCpuMs(pids);
      else if (serverCpuAtStart !== undefined) serverCpuMs = treeCpuMs(pids) - serverCpuAtStart;
    },
  );
  return { scenario: scenario.id, connections: scenario.connections, perSecond: outcome.perSecond ?? 0, ...outcome.latency!, errors: outcome.errors, firstError: outcome.firstError, cpu: cpuFigures(outcome, serverCpuMs) };
}

/** One handshake-rate run. */
export async function handshakesOnce(under: ServerUnderTest, handshake: NonNullable<BenchSettings["handshake"]>): Promise<HandshakeFigures> {
  checkPlacement(under);
  const outcome = await runHandshakes({ mode: "handshake", url: `${under.origin}/echo`, ...handshake });
  return { perSecond: outcome.perSecond ?? 0, ...outcome.latency!, errors: outcome.errors, firstError: outcome.firstError };
}

/** RSS growth per connection while `idle.connections` silent sockets are held open. */
export async function idleMemory(under: ServerUnderTest, idle: NonNullable<BenchSettings["idle"]>): Promise<IdleFigures> {
  checkPlacement(under);
  await sleep(SETTLE_MS);
  const rssBeforeKiB = rssKiB(under.pid) ?? 0;
  // One generator holds as many sockets as its open-file limit allows; more are split over two or more.
  const perProcess = Math.max(1, openFileLimit() - SPARE_FILES);
  const hold = holdIdle({ mode: "idle", url: `${under.origin}/echo`, connections: idle.connections, holdMs: idle.holdMs }, Math.ceil(idle.connections / perProcess));
  const held = await hold.holding;
  const rssAfterKiB = await settledRss(under.pid);
  const finished = await hold.release();
  await sleep(SETTLE_MS);
  const errors = finished.reduce((sum, line) => sum + line.errors, 0);
  return {
    connections: held.opened,
    rssBeforeKiB,
    rssAfterKiB,
    kibPerConnection: held.opened > 0 ? (rssAfterKiB - rssBeforeKiB) / held.opened : 0,
    errors,
    firstError: finished.find((line) => line.firstError)?.firstError,
  };
}

/** Stops the server and starts it again: a fresh process for another idle-memory round. */
export async function restartServer(under: ServerUnderTest, extraEnv: Record<string, string>, say: (line: string) => void): Promise<void> {
  await stopServer(under);
  const fresh = await startServer(under.server, extraEnv, under.method, say);
  Object.assign(under, { process: fresh.process, origin: fresh.origin, root: fresh.root, pid: fresh.pid });
  if (fresh.result.pinning && under.result.pinning) under.result.pinning.repinned += fresh.result.pinning.repinned;
  if (fresh.result.status !== "measured") Object.assign(under.result, { status: fresh.result.status, note: fresh.result.note });
}

/** Stops the server (if it ever started). */
export async function stopServer(under: ServerUnderTest): Promise<void> {
  await under.process?.stop();
}

/** RSS once it stops moving (the server may still be finishing handshakes), at most ~4 s later. */
async function settledRss(pid: number): Promise<number> {
  let previous = rssKiB(pid) ?? 0;
  for (let attempt = 0; attempt < 16; attempt += 1) {
    await sleep(250);
    const current = rssKiB(pid) ?? 0;
    if (Math.abs(current - previous) <= previous * 0.005) return current;
    previous = current;
  }
  return previous;
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0] ?? "";
}
