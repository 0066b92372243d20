// A group is a baseline and the servers judged against it (products, diagnostics). The group's
// servers run side by side, idle while it is not their turn, and take turns scenario by scenario:
// round 1 in order, round 2 in reverse, round 3 in order again, and each figure is the median of its
// rounds. Background drift (another process, a thermal step, the page cache) then hits a product
// and its baseline alike, instead of whichever server happened to be running at the time.
import { attempt, echoOnce, handshakesOnce, idleMemory, restartServer, startServer, stillMeasured, stopServer, type ServerUnderTest } from "./measure-server.ts";
import type { CpuFigures, EchoFigures, HandshakeFigures, IdleFigures, Method, ServerResult } from "./results.ts";
import { JUDGED_MIN_CONNECTIONS, type BenchSettings } from "./scenarios.ts";
import type { BenchServer } from "./servers.ts";

const PAUSE_BETWEEN_MS = 300;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Measures one group; never throws (failures are recorded per server). */
export async function measureGroup(servers: BenchServer[], settings: BenchSettings, extraEnv: Record<string, string>, method: Method, say: (line: string) => void): Promise<ServerResult[]> {
  const group: ServerUnderTest[] = [];
  try {
    for (const server of servers) group.push(await startServer(server, extraEnv, method, say));
    // Idle memory first, on fresh processes: what a newly started server pays per connection. RSS
    // moves by whole heap steps (V8's young generation grows to its cap, or not yet), so servers
    // that set or meet a target get more rounds, each on a restarted process, and the median counts.
    const idle = settings.idle;
    if (idle) {
      const judgedGroup = group.some((under) => under.server.judged);
      const samples = new Map<ServerUnderTest, IdleFigures[]>();
      for (let round = 0; round < settings.rounds; round += 1) {
        for (const under of round % 2 === 0 ? group : [...group].reverse()) {
          if (round > 0 && !(judgedGroup && (under.server.judged || under.server.kind === "baseline"))) continue;
          if (round > 0 && stillMeasured(under)) await restartServer(under, extraEnv, say);
          if (!stillMeasured(under)) continue;
          const figures = await attempt(under, say, () => idleMemory(under, idle));
          if (figures) samples.set(under, [...(samples.get(under) ?? []), figures]);
        }
      }
      for (const [under, runs] of samples) {
        if (!stillMeasured(under)) continue;
        const figures = medianIdle(runs);
        under.result.idle = figures;
        const rounds = runs.length > 1 ? ` (rounds: ${runs.map((run) => run.kibPerConnection.toFixed(2)).join(", ")})` : "";
        say(`${under.server.name}: idle ${figures.kibPerConnection.toFixed(2)} KiB/conn over ${figures.connections}${rounds}${figures.errors ? `, ${figures.errors} errors (${figures.firstError})` : ""}`);
      }
    }
    for (const scenario of settings.echo) {
      // One-connection figures are for information: one round is enough for them.
      const rounds = scenario.connections >= JUDGED_MIN_CONNECTIONS ? settings.rounds : 1;
      const samples = await inTurns(group, rounds, say, (under) => afterRestart(under, extraEnv, () => echoOnce(under, scenario, settings)));
      for (const [under, runs] of samples) {
        const figures = { ...medianOf(runs), scenario: scenario.id, connections: scenario.connections, cpu: medianCpu(runs) };
        under.result.echo.push(figures);
        say(`${under.server.name}: ${scenario.id}: ${Math.round(figures.perSecond)} msgs/s, p99 ${figures.p99Ms} / p999 ${figures.p999Ms} / max ${figures.maxMs} ms${cpuNote(figures.cpu)}${roundsNote(runs)}${figures.errors ? `, ${figures.errors} errors (${figures.firstError})` : ""}`);
      }
    }
    const handshake = settings.handshake;
    if (handshake) {
      const samples = await inTurns(group, settings.rounds, say, (under) => afterRestart(under, extraEnv, () => handshakesOnce(under, handshake)));
      for (const [under, runs] of samples) {
        under.result.handshake = medianOf(runs);
        say(`${under.server.name}: ${Math.round(under.result.handshake.perSecond)} handshakes/s${roundsNote(runs)}`);
      }
    }
  } finally {
    for (const under of group) await stopServer(under);
  }
  return group.map((under) => under.result);
}

/**
 * `measure` on a freshly started process. A V8 server's figures depend on what it went through: after
 * holding the idle part's 10,000 connections, raw ws's young generation stays grown (3 -> 25 MiB, past
 * the 4 MiB L2 cache), each scavenge takes 1-5 ms instead of 0.3, and its p99 at 64 connections doubles
 * (on Node and on Deno, raw and product alike). Which server's heap grew depended on the run, so every
 * measurement starts from the same state: a new process, warmed up by the scenario's own warm-up.
 */
async function afterRestart<T>(under: ServerUnderTest, extraEnv: Record<string, string>, measure: () => Promise<T>): Promise<T> {
  // Quietly: a restart that fails is reported by `attempt`, with the reason the start recorded.
  await restartServer(under, extraEnv, () => {});
  if (!stillMeasured(under)) throw new Error(`${under.server.name} did not start again: ${under.result.note ?? "no reason given"}`);
  return measure();
}

/** Every measured server of the group, `rounds` times, in alternating order; a failed server drops out. */
async function inTurns<T>(group: ServerUnderTest[], rounds: number, say: (line: string) => void, measure: (under: ServerUnderTest) => Promise<T>): Promise<Map<ServerUnderTest, T[]>> {
  const samples = new Map<ServerUnderTest, T[]>();
  for (let round = 0; round < rounds; round += 1) {
    const order = round % 2 === 0 ? group : [...group].reverse();
    for (const under of order) {
      if (!stillMeasured(under)) continue;
      await sleep(PAUSE_BETWEEN_MS);
      const figures = await attempt(under, say, () => measure(under));
      if (figures !== undefined) samples.set(under, [...(samples.get(under) ?? []), figures]);
    }
  }
  for (const under of samples.keys()) if (!stillMeasured(under)) samples.delete(under);
  return samples;
}

type Figures = EchoFigures | HandshakeFigures;

function median<T>(runs: T[], pick: (figures: T) => number): number {
  const sorted = runs.map(pick).sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The median run's rates and percentiles; the worst max; errors of every run; each run's rate and tails. */
function medianOf<T extends Figures>(runs: T[]): T {
  return {
    ...runs[0]!,
    perSecond: median(runs, (figures) => figures.perSecond),
    p50Ms: median(runs, (figures) => figures.p50Ms),
    p90Ms: median(runs, (figures) => figures.p90Ms),
    p99Ms: median(runs, (figures) => figures.p99Ms),
    p999Ms: median(runs, (figures) => figures.p999Ms),
    maxMs: Math.max(...runs.map((figures) => figures.maxMs)),
    count: runs.reduce((sum, figures) => sum + figures.count, 0),
    errors: runs.reduce((sum, figures) => sum + figures.errors, 0),
    firstError: runs.find((figures) => figures.firstError)?.firstError,
    rounds: runs.map((figures) => ({ perSecond: figures.perSecond, p99Ms: figures.p99Ms, p999Ms: figures.p999Ms, maxMs: figures.maxMs })),
  };
}

/** Median CPU figures of the rounds that have them (a round with no echo has none). */
function medianCpu(runs: EchoFigures[]): CpuFigures | undefined {
  const measured = runs.flatMap((figures) => (figures.cpu ? [figures.cpu] : []));
  if (measured.length === 0) return undefined;
  const servers = measured.filter((cpu) => cpu.serverUsPerMessage !== undefined);
  return {
    generator: measured[0]!.generator,
    generatorUsPerMessage: median(measured, (cpu) => cpu.generatorUsPerMessage),
    generatorBusy: median(measured, (cpu) => cpu.generatorBusy),
    serverUsPerMessage: servers.length ? median(servers, (cpu) => cpu.serverUsPerMessage!) : undefined,
    serverBusy: servers.length ? median(servers, (cpu) => cpu.serverBusy!) : undefined,
    generatorCpus: measured[0]!.generatorCpus,
  };
}

function cpuNote(cpu: CpuFigures | undefined): string {
  if (!cpu) return "";
  const server = cpu.serverUsPerMessage === undefined ? "" : `server ${cpu.serverUsPerMessage.toFixed(2)} us/msg (busy ${cpu.serverBusy!.toFixed(2)}), `;
  return `; ${server}generator (${cpu.generator}) ${cpu.generatorUsPerMessage.toFixed(2)} us/msg (busy ${cpu.generatorBusy.toFixed(2)})`;
}

/** The round with the median growth per connection (a whole round, so its figures stay consistent). */
function medianIdle(runs: IdleFigures[]): IdleFigures {
  const sorted = [...runs].sort((a, b) => a.kibPerConnection - b.kibPerConnection);
  return { ...sorted[Math.floor((sorted.length - 1) / 2)]!, rounds: runs.map((run) => run.kibPerConnection) };
}

function roundsNote(runs: Figures[]): string {
  return runs.length > 1 ? ` (rounds: ${runs.map((figures) => Math.round(figures.perSecond)).join(", ")})` : "";
}
