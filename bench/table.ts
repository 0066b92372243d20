// The stdout report: how the figures were taken, a row per server and scenario (tails, CPU per message
// on each side, ratios to the baseline), then each target, met or not.
import { describeGenerator } from "./generator.ts";
import { describePinning } from "./pinning.ts";
import type { BenchResults, Ratio } from "./results.ts";

/** Rows in fixed-width columns: the first `leftAligned` padded on the right, figures after them on the left; `rule` underlines the first row. */
export function formatColumns(rows: string[][], leftAligned = 2, rule = false): string {
  const widths = rows[0]!.map((_, index) => Math.max(...rows.map((row) => (row[index] ?? "").length)));
  const lines = rule ? [rows[0]!, widths.map((width) => "-".repeat(width)), ...rows.slice(1)] : rows;
  return lines.map((row) => row.map((cell, index) => (index < leftAligned ? cell.padEnd(widths[index]!) : cell.padStart(widths[index]!))).join("  ").trimEnd()).join("\n");
}

const count = (value: number) => Math.round(value).toLocaleString("en-US");
const ms = (value: number) => (value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2));
/** A ratio with the lowest and highest of its rounds: `0.98x (0.96-1.01)`. */
export const times = (ratio: Ratio | undefined) =>
  ratio && Number.isFinite(ratio.ratio) ? `${ratio.ratio.toFixed(2)}x${ratio.spread ? ` (${ratio.spread[0].toFixed(2)}-${ratio.spread[1].toFixed(2)})` : ""}` : "";

/** How many judged targets are met, and how many of those by every round. */
export function targetCounts(ratios: Ratio[]): { judged: number; met: number; clear: number } {
  const judged = ratios.filter((ratio) => ratio.target);
  return { judged: judged.length, met: judged.filter((ratio) => ratio.target!.met).length, clear: judged.filter((ratio) => ratio.target!.clear).length };
}

/** The whole report as text. */
export function formatReport(results: BenchResults): string {
  const find = (server: string, metric: string) => results.ratios.find((ratio) => ratio.server === server && ratio.metric === metric);
  const measured = results.servers.filter((server) => server.status === "measured");

  // CPU per message: what the server and the generator each spent per echo in the measured window;
  // "gen busy" is the generator's CPU over wall time (near 1: the generator, not the server, set the pace).
  const echoRows = [["server", "scenario", "msgs/s", "p50 ms", "p99 ms", "p999 ms", "max ms", "server us/msg", "gen us/msg", "gen busy", "errors", "msgs/s ratio", "p99 ratio", "CPU/msg ratio"]];
  for (const server of measured) {
    for (const figures of server.echo) {
      const cpu = figures.cpu;
      echoRows.push([
        server.kind === "peer" ? `${server.name} (peer)` : server.name,
        figures.scenario,
        count(figures.perSecond),
        ms(figures.p50Ms),
        ms(figures.p99Ms),
        // Results files from before the tails were recorded have no p999.
        figures.p999Ms === undefined ? "" : ms(figures.p999Ms),
        ms(figures.maxMs),
        cpu?.serverUsPerMessage === undefined ? "" : cpu.serverUsPerMessage.toFixed(2),
        cpu ? cpu.generatorUsPerMessage.toFixed(2) : "",
        cpu ? cpu.generatorBusy.toFixed(2) : "",
        String(figures.errors),
        times(find(server.name, `${figures.scenario} msgs/s`)),
        times(find(server.name, `${figures.scenario} p99`)),
        times(find(server.name, `${figures.scenario} server CPU/msg`)),
      ]);
    }
  }

  const otherRows = [["server", "vs", "handshakes/s", "open p99 ms", "ratio", "idle conns", "KiB/conn", "ratio"]];
  for (const server of measured) {
    otherRows.push([
      server.name,
      server.baseline ?? "",
      count(server.handshake?.perSecond ?? 0),
      ms(server.handshake?.p99Ms ?? 0),
      times(find(server.name, "handshakes/s")),
      String(server.idle?.connections ?? 0),
      server.idle?.errors ? `n/a (${server.idle.errors} failed: ${server.idle.firstError})` : (server.idle?.kibPerConnection ?? 0).toFixed(2),
      times(find(server.name, "idle KiB/conn")),
    ]);
  }

  const targetLines = results.ratios
    .filter((ratio) => ratio.target)
    .map((ratio) => `${ratio.target!.met ? (ratio.target!.clear ? "met   " : "met*  ") : "MISSED"}  ${ratio.server} vs ${ratio.baseline}: ${ratio.metric} ${times(ratio)} (target ${ratio.target!.atLeast ? ">=" : "<="} ${ratio.target!.limit}x)`);
  const counts = targetCounts(results.ratios);
  const countLine = `${counts.met} of ${counts.judged} targets met, ${counts.clear} by every round (met*: by the median of the rounds, not by each)`;
  const notMeasured = results.servers.filter((server) => server.status !== "measured").map((server) => `${server.name}: ${server.status} (${server.note})`);

  const m = results.machine;
  const method = results.method ? [describePinning(results.method.pinning), describeGenerator(results.method.echoGenerator)] : ["method: not recorded (a results file from before pinning and the C generator)"];
  return [
    `${results.mode} run, ${results.startedAt}, ${results.durationS} s; ${m.cores} cores (${m.cpuModel}), ${m.memoryGiB} GiB; load before ${m.loadBefore.join(" ")}, after ${m.loadAfter.join(" ")}`,
    ...method,
    "",
    formatColumns(echoRows),
    "",
    formatColumns(otherRows),
    "",
    ...(targetLines.length ? ["targets (products judged against their raw runtime; ratios are the median of the rounds', lowest-highest in brackets):", ...targetLines, countLine] : ["no judged product/baseline pair measured"]),
    ...(notMeasured.length ? ["", ...notMeasured] : []),
  ].join("\n");
}
