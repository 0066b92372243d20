// Product over baseline, against the targets: at 64 and 1000 connections msgs/s >= 0.95x, p99 <= 1.1x
// and server CPU per message <= 1.05x, p999 <= 1.5x at 1000 (a starved minority hides behind p99),
// idle memory <= 1.2x; the rest for information. A ratio is the median of the rounds' ratios: the two
// servers take turns, so a round's pair shares the machine's state, and the spread of the pairs says
// how far one run's figure can be trusted.
import type { EchoFigures, Ratio, ServerResult } from "./results.ts";
import { JUDGED_MIN_CONNECTIONS } from "./scenarios.ts";

type RoundFigure = "perSecond" | "p99Ms" | "p999Ms" | "serverUsPerMessage";

/** Each echo figure's target, judged from that many connections (p999 where a starved minority shows). */
const echoTargets: { metric: string; figure: RoundFigure; limit: number; atLeast: boolean; from: number }[] = [
  { metric: "msgs/s", figure: "perSecond", limit: 0.95, atLeast: true, from: JUDGED_MIN_CONNECTIONS },
  { metric: "p99", figure: "p99Ms", limit: 1.1, atLeast: false, from: JUDGED_MIN_CONNECTIONS },
  { metric: "p999", figure: "p999Ms", limit: 1.5, atLeast: false, from: 1000 },
  // What carries over to a bigger machine, and what still speaks where the generator sets the pace.
  { metric: "server CPU/msg", figure: "serverUsPerMessage", limit: 1.05, atLeast: false, from: JUDGED_MIN_CONNECTIONS },
];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const meets = (value: number, target: { limit: number; atLeast: boolean }) => (target.atLeast ? value >= target.limit : value <= target.limit);

/** The ratio of paired rounds (round i of one server against round i of the other), or of the single figures. */
function ratio(server: ServerResult, metric: string, values: number[], bases: number[], target?: { limit: number; atLeast: boolean }): Ratio | undefined {
  const pairs = Math.min(values.length, bases.length);
  const ratios = Array.from({ length: pairs }, (_, round) => values[round]! / bases[round]!).filter(Number.isFinite);
  if (ratios.length === 0) return undefined;
  const r = median(ratios);
  return {
    server: server.name,
    baseline: server.baseline ?? "",
    metric,
    ratio: r,
    ...(ratios.length > 1 ? { spread: [Math.min(...ratios), Math.max(...ratios)] as [number, number] } : {}),
    target: target && server.judged ? { ...target, met: meets(r, target), clear: ratios.every((each) => meets(each, target)) } : undefined,
  };
}

/** A figure of each round, or the figure itself where rounds were not recorded. */
function roundsOf(figures: EchoFigures, figure: RoundFigure): number[] {
  const values = figures.rounds?.map((round) => round[figure]);
  if (values && values.every((value) => value !== undefined)) return values as number[];
  const single = figure === "serverUsPerMessage" ? figures.cpu?.serverUsPerMessage : figures[figure];
  return single === undefined ? [] : [single];
}

/** Every ratio of every measured product or peer whose baseline was measured too (peers': information only). */
export function ratiosOf(servers: ServerResult[]): Ratio[] {
  const byName = new Map(servers.map((server) => [server.name, server]));
  const ratios: Ratio[] = [];
  const add = (entry: Ratio | undefined) => entry && ratios.push(entry);
  for (const server of servers) {
    const base = server.baseline ? byName.get(server.baseline) : undefined;
    if (server.kind === "baseline" || server.status !== "measured" || base?.status !== "measured") continue;
    for (const figures of server.echo) {
      const baseFigures = base.echo.find((candidate) => candidate.scenario === figures.scenario);
      if (!baseFigures) continue;
      for (const { metric, figure, from, ...target } of echoTargets) {
        add(ratio(server, `${figures.scenario} ${metric}`, roundsOf(figures, figure), roundsOf(baseFigures, figure), figures.connections >= from ? target : undefined));
      }
    }
    if (server.handshake && base.handshake) {
      add(ratio(server, "handshakes/s", server.handshake.rounds?.map((round) => round.perSecond) ?? [server.handshake.perSecond], base.handshake.rounds?.map((round) => round.perSecond) ?? [base.handshake.perSecond]));
    }
    // A server that could not hold every idle connection has no per-connection figure to compare.
    if (server.idle && base.idle && server.idle.errors === 0 && base.idle.errors === 0) {
      add(ratio(server, "idle KiB/conn", server.idle.rounds ?? [server.idle.kibPerConnection], base.idle.rounds ?? [base.idle.kibPerConnection], { limit: 1.2, atLeast: false }));
    }
  }
  return ratios;
}
