// One server in the bench: started, measured part by part (idle memory, echo and handshake runs when
// its turn comes), restarted between measurements, then stopped. Nothing here throws: a failure is
// recorded in the server's result and the server takes no further turns.
import { holdIdle, startGenerator } from "./generator.ts";
import { keepOnServerCpu, spawnOnServerCpu } from "./pinning.ts";
import type { CpuFigures, EchoFigures, HandshakeFigures, IdleFigures, Method, ServerResult } from "./results.ts";
import type { BenchSettings, EchoScenario } from "./scenarios.ts";
import type { BenchServer } from "./servers.ts";
import { allowedCpus, cpuMs, deepestPid, openFileLimit, processTree, rssKiB } from "../test/support/processes.ts";
import type { ServerProcess } from "../test/support/server-process.ts";

const SETTLE_MS = 1_000;
// Sockets a process needs besides the idle ones (stdio, its listener, runtime internals).
const SPARE_FILES = 256;
const IDLE_CONNECT_CONCURRENCY = 200;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const firstLine = (error: unknown) => (error instanceof Error ? error.message : String(error)).split("\n")[0] ?? "";
const round3 = (value: number) => Math.round(value * 1000) / 1000;

/** A started server and what has been measured on it so far. */
export interface ServerUnderTest {
  server: BenchServer;
  result: ServerResult;
  process?: ServerProcess;
  host: string;
  port: number;
  /** The launched process, root of the server's process tree (what is pinned and timed). */
  root: number;
  /** The process whose RSS is the server's. */
  pid: number;
  method: Method;
}

/** Starts `server` on the server CPU; one that does not start comes back with status "failed". */
export async function startServer(server: BenchServer, extraEnv: Record<string, string>, method: Method, say: (line: string) => void): Promise<ServerUnderTest> {
  const result: ServerResult = { name: server.name, kind: server.kind, baseline: server.baseline, judged: server.judged, status: "measured", echo: [] };
  if (server.env) result.env = { ...server.env, ...extraEnv };
  try {
    const started = await spawnOnServerCpu(method.pinning, () => server.start(extraEnv));
    const root = started.child.pid ?? 0;
    const { hostname, port } = new URL(started.baseUrl);
    const under: ServerUnderTest = { server, result, process: started, host: hostname, port: Number(port), root, pid: deepestPid(root, server.rssProcessName), method };
    let placement = "";
    if (method.pinning.enabled) {
      result.pinning = { cpu: method.pinning.serverCpu!, repinned: 0, threads: 0 };
      keepOnServerCpu(root, result.pinning);
      placement = `, ${result.pinning.threads} threads on CPU ${result.pinning.cpu}${result.pinning.repinned ? ` (${result.pinning.repinned} pinned again)` : ""}`;
    }
    say(`${server.name}: listening at ${started.baseUrl} (RSS of pid ${under.pid}${placement})`);
    return under;
  } catch (error) {
    Object.assign(result, { status: "failed", note: firstLine(error) });
    say(`${server.name}: failed (${result.note})`);
    return { server, result, host: "", port: 0, root: 0, pid: 0, method };
  }
}

/** True while the server is up and has not failed a measurement. */
export function stillMeasured(under: ServerUnderTest): boolean {
  return under.result.status === "measured" && under.process !== undefined;
}

/** Runs `measure`; a throw marks the server failed (it takes no further turns). */
export async function attempt<T>(under: ServerUnderTest, say: (line: string) => void, measure: () => Promise<T>): Promise<T | undefined> {
  try {
    // Before each measurement, every thread of the server still on its CPU (a new one inherits it; this checks).
    if (under.result.pinning) keepOnServerCpu(under.root, under.result.pinning);
    return await measure();
  } catch (error) {
    Object.assign(under.result, { status: "failed", note: firstLine(error) });
    say(`${under.server.name}: failed (${under.result.note})`);
    return undefined;
  }
}

/** One closed-loop echo run, with the CPU both sides spent per message over the measured window. */
export async function echoOnce(under: ServerUnderTest, scenario: EchoScenario, settings: BenchSettings): Promise<EchoFigures> {
  const pids = processTree([under.root]).map((entry) => entry.pid);
  let serverCpuAtStart = 0;
  let serverCpuMs: number | undefined;
  let generatorCpus: string | undefined;
  const generator = startGenerator(
    { mode: "echo", host: under.host, port: under.port, path: scenario.path, connections: scenario.connections, bytes: scenario.bytes, frame: scenario.frame, warmupMs: settings.warmupMs, durationMs: settings.durationMs },
    (line) => {
      if (line.phase === "end") return void (serverCpuMs = cpuMs(pids) - serverCpuAtStart);
      serverCpuAtStart = cpuMs(pids);
      generatorCpus = allowedCpus(`/proc/${generator.pid}/status`);
    },
  );
  const outcome = await generator.result;
  const messages = outcome.latency?.count ?? 0;
  const wallMs = outcome.wallMs ?? 0;
  const generatorCpuMs = (outcome.cpuUserMs ?? 0) + (outcome.cpuSystemMs ?? 0);
  const cpu: CpuFigures | undefined =
    messages === 0 || wallMs <= 0
      ? undefined
      : {
          generator: "c",
          generatorUsPerMessage: round3((generatorCpuMs * 1000) / messages),
          generatorBusy: round3(generatorCpuMs / wallMs),
          serverUsPerMessage: serverCpuMs === undefined ? undefined : round3((serverCpuMs * 1000) / messages),
          serverBusy: serverCpuMs === undefined ? undefined : round3(serverCpuMs / wallMs),
          generatorCpus,
        };
  return { scenario: scenario.id, connections: scenario.connections, perSecond: outcome.perSecond ?? 0, ...outcome.latency!, errors: outcome.errors, firstError: outcome.firstError, cpu };
}

/** One handshake-rate run. */
export async function handshakesOnce(under: ServerUnderTest, handshake: NonNullable<BenchSettings["handshake"]>): Promise<HandshakeFigures> {
  const outcome = await startGenerator({ mode: "handshake", host: under.host, port: under.port, path: "/echo", ...handshake }).result;
  return { perSecond: outcome.perSecond ?? 0, ...outcome.latency!, errors: outcome.errors, firstError: outcome.firstError };
}

/** RSS growth per connection while `idle.connections` silent sockets are held open. */
export async function idleMemory(under: ServerUnderTest, idle: NonNullable<BenchSettings["idle"]>): Promise<IdleFigures> {
  await sleep(SETTLE_MS);
  const rssBeforeKiB = rssKiB(under.pid) ?? 0;
  // One generator holds as many sockets as its open-file limit allows; more are split over two or more.
  const parts = Math.ceil(idle.connections / Math.max(1, openFileLimit() - SPARE_FILES));
  const hold = holdIdle({ mode: "idle", host: under.host, port: under.port, path: "/echo", concurrency: IDLE_CONNECT_CONCURRENCY, ...idle }, parts);
  const held = await hold.holding;
  const rssAfterKiB = await settledRss(under.pid);
  const finished = await hold.release();
  await sleep(SETTLE_MS);
  return {
    connections: held.opened,
    rssBeforeKiB,
    rssAfterKiB,
    kibPerConnection: held.opened > 0 ? (rssAfterKiB - rssBeforeKiB) / held.opened : 0,
    errors: finished.reduce((sum, line) => sum + line.errors, 0),
    firstError: finished.find((line) => line.firstError)?.firstError,
  };
}

/** Stops the server and starts it again: every measurement runs on a fresh process. */
export async function restartServer(under: ServerUnderTest, extraEnv: Record<string, string>, say: (line: string) => void): Promise<void> {
  await stopServer(under);
  const fresh = await startServer(under.server, extraEnv, under.method, say);
  Object.assign(under, { process: fresh.process, host: fresh.host, port: fresh.port, root: fresh.root, pid: fresh.pid });
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
  for (let check = 0; check < 16; check += 1) {
    await sleep(250);
    const current = rssKiB(pid) ?? 0;
    if (Math.abs(current - previous) <= previous * 0.005) return current;
    previous = current;
  }
  return previous;
}
