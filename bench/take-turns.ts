// A group (a baseline and the servers measured against it) takes turns scenario by scenario, in order,
// reversed, in order again; a figure is the median of its rounds, so drift hits every server alike.
import { echoOnce, handshakesOnce, idleMemory, onFreshProcess, type ServerTurns } from "./measure-server.ts";
import type { CpuFigures, EchoFigures, HandshakeFigures, IdleFigures, Method, ServerResult } from "./results.ts";
import { JUDGED_MIN_CONNECTIONS, type BenchSettings } from "./scenarios.ts";
import type { BenchServer } from "./servers.ts";

const PAUSE_BETWEEN_MS = 300;

/** Measures one group; never throws (failures are recorded per server). */
export async function measureGroup(servers: BenchServer[], settings: BenchSettings, extraEnv: Record<string, string>, method: Method, say: (line: string) => void): Promise<ServerResult[]> {
  const group: ServerTurns[] = servers.map((server) => ({
    server,
    result: { name: server.name, kind: server.kind, baseline: server.baseline, judged: server.judged, status: "measured", echo: [], ...(server.env && { env: { ...server.env, ...extraEnv } }) },
    method,
    extraEnv,
    say,
  }));
  // Only servers that are judged, the baselines they are judged against, and diagnostics that split a
  // judged figure into its parts get more than one round; the others are shown for information.
  const judgedGroup = group.some((turns) => turns.server.judged);
  const wanted = (turns: ServerTurns, round: number) => round === 0 || (judgedGroup && (turns.server.judged || turns.server.kind === "baseline" || turns.server.diagnostic === true));
  const idle = settings.idle;
  if (idle) {
    for (const [turns, runs] of await inTurns(group, settings.rounds, wanted, (turns) => onFreshProcess(turns, (running) => idleMemory(running, idle)))) {
      // The round with the median growth per connection (a whole round, so its figures agree).
      const figures: IdleFigures = { ...[...runs].sort((a, b) => a.kibPerConnection - b.kibPerConnection)[Math.floor((runs.length - 1) / 2)]!, rounds: runs.map((run) => run.kibPerConnection) };
      turns.result.idle = figures;
      const rounds = runs.length > 1 ? ` (rounds: ${runs.map((run) => run.kibPerConnection.toFixed(2)).join(", ")})` : "";
      say(`${turns.server.name}: idle ${figures.kibPerConnection.toFixed(2)} KiB/conn over ${figures.connections}${rounds}${errorsNote(figures)}`);
    }
  }
  for (const scenario of settings.echo) {
    // One-connection figures are for information: one round is enough for them.
    const rounds = scenario.connections >= JUDGED_MIN_CONNECTIONS ? settings.rounds : 1;
    for (const [turns, runs] of await inTurns(group, rounds, wanted, (turns) => onFreshProcess(turns, (running) => echoOnce(running, scenario, settings), method.echoEnv))) {
      const figures = { ...medianOf(runs), scenario: scenario.id, connections: scenario.connections, cpu: medianCpu(runs) };
      turns.result.echo.push(figures);
      say(`${turns.server.name}: ${scenario.id}: ${Math.round(figures.perSecond)} msgs/s, p99 ${figures.p99Ms} / p999 ${figures.p999Ms} / max ${figures.maxMs} ms${cpuNote(figures.cpu)}${roundsNote(runs)}${errorsNote(figures)}`);
    }
  }
  const handshake = settings.handshake;
  if (handshake) {
    for (const [turns, runs] of await inTurns(group, settings.rounds, wanted, (turns) => onFreshProcess(turns, (running) => handshakesOnce(running, handshake)))) {
      turns.result.handshake = medianOf(runs);
      say(`${turns.server.name}: ${Math.round(turns.result.handshake.perSecond)} handshakes/s${roundsNote(runs)}`);
    }
  }
  return group.map((turns) => turns.result);
}

/** Each server of the group that is `wanted` in a round, `rounds` times in alternating order; a failed server drops out. */
async function inTurns<T>(group: ServerTurns[], rounds: number, wanted: (turns: ServerTurns, round: number) => boolean, measure: (turns: ServerTurns) => Promise<T | undefined>): Promise<Map<ServerTurns, T[]>> {
  const samples = new Map<ServerTurns, T[]>();
  for (let round = 0; round < rounds; round += 1) {
    for (const turns of round % 2 === 0 ? group : [...group].reverse()) {
      if (turns.result.status !== "measured" || !wanted(turns, round)) continue;
      await new Promise((resolve) => setTimeout(resolve, PAUSE_BETWEEN_MS));
      const figures = await measure(turns);
      if (figures !== undefined) samples.set(turns, [...(samples.get(turns) ?? []), figures]);
    }
  }
  for (const turns of samples.keys()) if (turns.result.status !== "measured") samples.delete(turns);
  return samples;
}

function median<T>(runs: T[], pick: (figures: T) => number): number {
  const sorted = runs.map(pick).sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The median run's rates and percentiles; the worst max; errors of every run; each run's rate and tails. */
function medianOf<T extends EchoFigures | HandshakeFigures>(runs: T[]): T {
  const medians = Object.fromEntries((["perSecond", "p50Ms", "p90Ms", "p99Ms", "p999Ms"] as const).map((key) => [key, median(runs, (figures) => figures[key])]));
  return {
    ...runs[0]!,
    ...medians,
    maxMs: Math.max(...runs.map((figures) => figures.maxMs)),
    count: runs.reduce((sum, figures) => sum + figures.count, 0),
    errors: runs.reduce((sum, figures) => sum + figures.errors, 0),
    firstError: runs.find((figures) => figures.firstError)?.firstError,
    rounds: runs.map((figures) => ({ perSecond: figures.perSecond, p99Ms: figures.p99Ms, p999Ms: figures.p999Ms, maxMs: figures.maxMs, serverUsPerMessage: "cpu" in figures ? figures.cpu?.serverUsPerMessage : undefined })),
  };
}

/** Median CPU figures of the rounds that have them (a round with no echo has none; the server's may be unknown). */
function medianCpu(runs: EchoFigures[]): CpuFigures | undefined {
  const measured = runs.flatMap((figures) => (figures.cpu ? [figures.cpu] : []));
  const medians = (list: CpuFigures[], keys: ("generatorUsPerMessage" | "generatorBusy" | "serverUsPerMessage" | "serverBusy")[]) =>
    Object.fromEntries(keys.map((key) => [key, list.length ? median(list, (cpu) => cpu[key]!) : undefined]));
  const servers = measured.filter((cpu) => cpu.serverUsPerMessage !== undefined);
  return measured.length ? { ...measured[0]!, ...medians(measured, ["generatorUsPerMessage", "generatorBusy"]), ...medians(servers, ["serverUsPerMessage", "serverBusy"]) } : undefined;
}

function cpuNote(cpu: CpuFigures | undefined): string {
  if (!cpu) return "";
  const server = cpu.serverUsPerMessage === undefined ? "" : `server ${cpu.serverUsPerMessage.toFixed(2)} us/msg (busy ${cpu.serverBusy!.toFixed(2)}), `;
  return `; ${server}generator (${cpu.generator}) ${cpu.generatorUsPerMessage.toFixed(2)} us/msg (busy ${cpu.generatorBusy.toFixed(2)})`;
}

const roundsNote = (runs: { perSecond: number }[]) => (runs.length > 1 ? ` (rounds: ${runs.map((figures) => Math.round(figures.perSecond)).join(", ")})` : "");
const errorsNote = (figures: { errors: number; firstError?: string }) => (figures.errors ? `, ${figures.errors} errors (${figures.firstError})` : "");
