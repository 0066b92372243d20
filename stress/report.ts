// The printed report: one table row per attack, then a line or two of each attack's own figures.
import { formatColumns } from "../bench/table.ts";
import { describeReactions } from "./reactions.ts";
import type { AttackResult } from "./run-attack.ts";

const figure = (value: number | undefined) => (value === undefined ? "?" : String(value));
const signed = (value: number | undefined) => (value === undefined ? "?" : `${value >= 0 ? "+" : ""}${value}`);

const columns = ["attack", "RSS MiB before/peak/after", "growth", "canary ms p50/p99/max", "no answer", "server did to attackers", "fresh connection"];

function row(result: AttackResult): string[] {
  const { rss, canary, freshConnection } = result;
  const trip = canary.roundTrip;
  return [
    result.attack + (result.stoppedEarly ? " (stopped)" : "") + (result.failed ? " (failed)" : ""),
    `${figure(rss.beforeMiB)} / ${figure(rss.peakMiB)} / ${figure(rss.afterMiB)}`,
    signed(rss.growthMiB),
    trip ? `${trip.p50Ms} / ${trip.p99Ms} / ${trip.maxMs}` : "no echo",
    `${canary.unanswered}/${canary.sent}`,
    describeReactions(result.attackers),
    freshConnection.ok ? `ok ${freshConnection.ms} ms` : `FAILED: ${freshConnection.problem}`,
  ];
}

/** The line printed as soon as an attack is over. */
export function progressLine(result: AttackResult): string {
  return columns.map((name, index) => `${name}: ${row(result)[index]}`).join(" | ");
}

/** Lines below the table: each attack's own figures, and anything that went wrong. */
function notes(result: AttackResult): string[] {
  const lines = [`${result.attack}: ${result.summary}`];
  const details = Object.entries(result.details).map(([name, value]) => `${name}=${value}`);
  if (details.length > 0) lines.push(`  ${details.join(", ")}`);
  const interruptions = Object.entries(result.canary.interruptions).map(([how, count]) => `${how} x${count}`);
  if (interruptions.length > 0) lines.push(`  canary interrupted: ${interruptions.join(", ")}`);
  if (result.stoppedEarly) lines.push(`  stopped early: ${result.stoppedEarly}`);
  if (result.failed) lines.push(`  attack failed: ${result.failed.split("\n")[0]}`);
  if (result.serverGone) lines.push("  the server process is gone");
  return lines;
}

export function formatReport(results: AttackResult[]): string {
  return [formatColumns([columns, ...results.map(row)], columns.length, true), "", ...results.flatMap(notes)].join("\n");
}
