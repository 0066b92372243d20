// Product over baseline, against the targets: at 64 and 1000 connections msgs/s >= 0.95x and p99 <= 1.1x,
// p999 <= 1.5x at 1000 (a starved minority hides behind p99), idle memory <= 1.2x; the rest for information.
import type { Ratio, ServerResult } from "./results.ts";
import { JUDGED_MIN_CONNECTIONS } from "./scenarios.ts";

/** Each echo figure's target, judged from that many connections (p999 where a starved minority shows). */
const echoTargets = [
  { metric: "msgs/s", figure: "perSecond", limit: 0.95, atLeast: true, from: JUDGED_MIN_CONNECTIONS },
  { metric: "p99", figure: "p99Ms", limit: 1.1, atLeast: false, from: JUDGED_MIN_CONNECTIONS },
  { metric: "p999", figure: "p999Ms", limit: 1.5, atLeast: false, from: 1000 },
] as const;

function ratio(server: ServerResult, metric: string, value: number, base: number, target?: { limit: number; atLeast: boolean }): Ratio {
  const r = base > 0 ? value / base : Number.NaN;
  return {
    server: server.name,
    baseline: server.baseline ?? "",
    metric,
    ratio: r,
    target: target && server.judged ? { ...target, met: target.atLeast ? r >= target.limit : r <= target.limit } : undefined,
  };
}

/** Every ratio of every measured product or peer whose baseline was measured too (peers': information only). */
export function ratiosOf(servers: ServerResult[]): Ratio[] {
  const byName = new Map(servers.map((server) => [server.name, server]));
  const ratios: Ratio[] = [];
  for (const server of servers) {
    const base = server.baseline ? byName.get(server.baseline) : undefined;
    if (server.kind === "baseline" || server.status !== "measured" || base?.status !== "measured") continue;
    for (const figures of server.echo) {
      const baseFigures = base.echo.find((candidate) => candidate.scenario === figures.scenario);
      if (!baseFigures) continue;
      for (const { metric, figure, from, ...target } of echoTargets) {
        ratios.push(ratio(server, `${figures.scenario} ${metric}`, figures[figure], baseFigures[figure], figures.connections >= from ? target : undefined));
      }
    }
    if (server.handshake && base.handshake) ratios.push(ratio(server, "handshakes/s", server.handshake.perSecond, base.handshake.perSecond));
    // A server that could not hold every idle connection has no per-connection figure to compare.
    if (server.idle && base.idle && server.idle.errors === 0 && base.idle.errors === 0) {
      ratios.push(ratio(server, "idle KiB/conn", server.idle.kibPerConnection, base.idle.kibPerConnection, { limit: 1.2, atLeast: false }));
    }
  }
  return ratios;
}
