// One measurement on a newly started server process (a V8 heap grown by an earlier burst slows every
// later scavenge). Nothing here throws: a failure is recorded, and the server takes no further turns.
import { resultOf, startGenerator } from "./generator.ts";
import { keepOnServerCpu, spawnOnServerCpu } from "./pinning.ts";
import type { CpuFigures, EchoFigures, HandshakeFigures, IdleFigures, Method, ServerResult } from "./results.ts";
import type { BenchSettings, EchoScenario } from "./scenarios.ts";
import type { BenchServer } from "./servers.ts";
import { allowedCpus, cpuMs, deepestPid, processTree, rssKiB } from "../test/support/processes.ts";

const IDLE_CONNECT_CONCURRENCY = 200;

/**
 * Every server's environment for echo runs: glibc's malloc keeps freed memory instead of trimming it
 * back to the kernel. Otherwise the 64 KiB message buffers that a full collection frees go back and
 * fault in again at moments that differ from one process start to the next, and that page-fault
 * cost, not the server's own, decides a 64 KiB figure. Ignored where malloc is not glibc's (Bun).
 */
export const echoProcessEnv: Record<string, string> = {
  GLIBC_TUNABLES: "glibc.malloc.trim_threshold=134217728:glibc.malloc.top_pad=16777216",
};

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const round3 = (value: number) => Math.round(value * 1000) / 1000;

/** A server of the bench with its results so far. */
export interface ServerTurns {
  server: BenchServer;
  result: ServerResult;
  method: Method;
  extraEnv: Record<string, string>;
  say: (line: string) => void;
  /** Whether its first start has been announced. */
  announced?: boolean;
}

/** A started server process: where it listens, the root of its tree (pinned and timed), and the process whose RSS is the server's. */
interface Running {
  host: string;
  port: number;
  root: number;
  pid: number;
}

/** Runs `measure` on a newly started process of the server; undefined (and the server failed) if anything throws. */
export async function onFreshProcess<T>(turns: ServerTurns, measure: (running: Running) => Promise<T>, env: Record<string, string> = {}): Promise<T | undefined> {
  const { server, result, method } = turns;
  if (result.status !== "measured") return undefined;
  let stop = async () => {};
  try {
    const started = await spawnOnServerCpu(method.pinning, () => server.start({ ...env, ...turns.extraEnv }));
    stop = started.stop;
    const root = started.child.pid ?? 0;
    const { hostname, port } = new URL(started.baseUrl);
    const running = { host: hostname, port: Number(port), root, pid: deepestPid(root, server.rssProcessName) };
    // Every thread of the server on its CPU (a new one inherits it; this checks).
    if (method.pinning.enabled) keepOnServerCpu(root, (result.pinning ??= { cpu: method.pinning.serverCpu!, repinned: 0, threads: 0 }));
    if (!turns.announced) {
      turns.announced = true;
      const placement = result.pinning ? `, ${result.pinning.threads} threads on CPU ${result.pinning.cpu}${result.pinning.repinned ? ` (${result.pinning.repinned} pinned again)` : ""}` : "";
      turns.say(`${server.name}: listening at ${started.baseUrl} (RSS of pid ${running.pid}${placement})`);
    }
    return await measure(running);
  } catch (error) {
    Object.assign(result, { status: "failed", note: (error instanceof Error ? error.message : String(error)).split("\n")[0] });
    turns.say(`${server.name}: failed (${result.note})`);
    return undefined;
  } finally {
    await stop();
  }
}

/** One closed-loop echo run, with the CPU both sides spent per message over the measured window. */
export async function echoOnce(running: Running, scenario: EchoScenario, settings: BenchSettings): Promise<EchoFigures> {
  const pids = processTree([running.root]).map((entry) => entry.pid);
  let serverCpuAtStart = 0;
  let serverCpuMs: number | undefined;
  let generatorCpus: string | undefined;
  const generator = startGenerator({ mode: "echo", host: running.host, port: running.port, path: scenario.path, connections: scenario.connections, bytes: scenario.bytes, frame: scenario.frame, warmupMs: settings.warmupMs, durationMs: settings.durationMs });
  const outcome = await resultOf(generator, (line) => {
    if (line.phase === "end") return void (serverCpuMs = cpuMs(pids) - serverCpuAtStart);
    serverCpuAtStart = cpuMs(pids);
    generatorCpus = allowedCpus(`/proc/${generator.pid}/status`);
  });
  const messages = outcome.latency?.count ?? 0;
  const wallMs = outcome.wallMs ?? 0;
  const generatorCpuMs = outcome.cpuMs ?? 0;
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
export async function handshakesOnce(running: Running, handshake: NonNullable<BenchSettings["handshake"]>): Promise<HandshakeFigures> {
  const outcome = await resultOf(startGenerator({ mode: "handshake", host: running.host, port: running.port, path: "/echo", ...handshake }));
  return { perSecond: outcome.perSecond ?? 0, ...outcome.latency!, errors: outcome.errors, firstError: outcome.firstError };
}

/** RSS growth per connection while `idle.connections` silent sockets are held open. */
export async function idleMemory(running: Running, idle: NonNullable<BenchSettings["idle"]>): Promise<IdleFigures> {
  await sleep(1_000);
  const rssBeforeKiB = rssKiB(running.pid) ?? 0;
  const hold = startGenerator({ mode: "idle", host: running.host, port: running.port, path: "/echo", concurrency: IDLE_CONNECT_CONCURRENCY, ...idle });
  const held = await hold.next();
  if (held.event !== "holding") throw new Error(`load generator (idle) did not hold its sockets: ${JSON.stringify(held)}`);
  // RSS once it stops moving (the server may still be finishing handshakes), at most ~4 s later.
  let rssAfterKiB = rssKiB(running.pid) ?? 0;
  for (let check = 0, previous = -1; check < 16 && Math.abs(rssAfterKiB - previous) > previous * 0.005; check += 1) {
    await sleep(250);
    [previous, rssAfterKiB] = [rssAfterKiB, rssKiB(running.pid) ?? 0];
  }
  hold.release();
  const finished = await resultOf(hold);
  return {
    connections: held.opened,
    rssBeforeKiB,
    rssAfterKiB,
    kibPerConnection: held.opened > 0 ? (rssAfterKiB - rssBeforeKiB) / held.opened : 0,
    errors: finished.errors,
    firstError: finished.firstError,
  };
}
