// Product over baseline, against the targets: at 64 and 1000 connections msgs/s >= 0.95x and p99 <= 1.1x,
// p999 <= 1.5x at 1000 (a starved minority hides behind p99), idle memory <= 1.2x; the rest for information.
import type { Ratio, ServerResult } from "./results.ts";
import { JUDGED_MIN_CONNECTIONS } from "./scenarios.ts";

export const THROUGHPUT_AT_LEAST = 0.95;
export const P99_AT_MOST = 1.1;
export const P999_AT_MOST = 1.5;
/** p999 is judged where a starved minority shows: at 1000 connections. */
const P999_JUDGED_MIN_CONNECTIONS = 1000;
export const MEMORY_AT_MOST = 1.2;

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
      const judged = figures.connections >= JUDGED_MIN_CONNECTIONS;
      ratios.push(ratio(server, `${figures.scenario} msgs/s`, figures.perSecond, baseFigures.perSecond, judged ? { limit: THROUGHPUT_AT_LEAST, atLeast: true } : undefined));
      ratios.push(ratio(server, `${figures.scenario} p99`, figures.p99Ms, baseFigures.p99Ms, judged ? { limit: P99_AT_MOST, atLeast: false } : undefined));
      const p999Judged = figures.connections >= P999_JUDGED_MIN_CONNECTIONS;
      ratios.push(ratio(server, `${figures.scenario} p999`, figures.p999Ms, baseFigures.p999Ms, p999Judged ? { limit: P999_AT_MOST, atLeast: false } : undefined));
    }
    if (server.handshake && base.handshake) ratios.push(ratio(server, "handshakes/s", server.handshake.perSecond, base.handshake.perSecond));
    // A server that could not hold every idle connection has no per-connection figure to compare.
    if (server.idle && base.idle && server.idle.errors === 0 && base.idle.errors === 0) {
      ratios.push(ratio(server, "idle KiB/conn", server.idle.kibPerConnection, base.idle.kibPerConnection, { limit: MEMORY_AT_MOST, atLeast: false }));
    }
  }
  return ratios;
}
