// The stress table of docs/security.md, rendered from the committed runs (stress/results/<runtime>.json,
// one per runtime, test/support/doc-blocks.ts): `npm run stress` rewrites it after each run, and
// test/docs/stress-figures.test.ts fails when the page and the results disagree.
import { existsSync, readFileSync } from "node:fs";
import { withBlock } from "../test/support/doc-blocks.ts";
import type { AttackResult } from "./run-attack.ts";

/** A results file of `npm run stress`. */
export interface StressRun {
  runtime?: string;
  date: string;
  attacks: AttackResult[];
}

export const stressPage = "docs/security.md";
export const stressBlock = "stress-table";
export const stressSource = "stress/results/*.json";
/** The columns, in order: the runtimes a committed run exists for. */
export const stressRuntimes = ["node", "deno", "bun", "workers"] as const;

const columnNames: Record<string, string> = { node: "Node", deno: "Deno", bun: "Bun", workers: "workerd (`wrangler dev`)" };

/** The committed run of each runtime that has one. */
export function committedRuns(root: URL): Map<string, StressRun> {
  const runs = new Map<string, StressRun>();
  for (const runtime of stressRuntimes) {
    const file = new URL(`stress/results/${runtime}.json`, root);
    if (existsSync(file)) runs.set(runtime, JSON.parse(readFileSync(file, "utf8")) as StressRun);
  }
  return runs;
}

const figure = (value: number) => (Math.abs(value) >= 100 ? value.toFixed(0) : Math.abs(value) >= 10 ? value.toFixed(1).replace(/\.0$/, "") : value.toFixed(1));
const signed = (value: number) => `${value >= 0 ? "+" : ""}${figure(value)}`;

/** What the server did to the attackers, most frequent first: close codes, HTTP answers, resets, sockets left open. */
function reaction(result: AttackResult): string {
  const { closeCodes, handshakeAnswers, resets, openAtEnd } = result.attackers;
  const counts = [...Object.entries(closeCodes), ...Object.entries(handshakeAnswers).filter(([answer]) => /^\d+$/.test(answer))].sort((a, b) => b[1] - a[1]);
  const parts = counts.map(([code, count]) => `${code} x${count.toLocaleString("en-US")}`);
  if (resets > 0) parts.push(`reset x${resets}`);
  if (openAtEnd > 0) parts.push(`${openAtEnd.toLocaleString("en-US")} open`);
  return parts.join(", ");
}

function cell(result: AttackResult | undefined): string {
  if (!result) return "";
  const { rss, canary } = result;
  const memory = rss.growthMiB === undefined ? "RSS unknown" : signed(rss.growthMiB);
  const service = canary.roundTrip ? `${figure(canary.roundTrip.p99Ms)} / ${figure(canary.roundTrip.maxMs)}` : "no canary";
  const unanswered = canary.unanswered > 0 ? `, **${canary.unanswered} unanswered**` : "";
  return `${memory}, ${service}${unanswered} (${reaction(result) || "nothing"})`;
}

/** The table: a row per attack, a column per runtime: RSS growth MiB, canary p99 / max ms, what the attackers got. */
export function renderStressTable(runs: Map<string, StressRun>): string {
  const runtimes = stressRuntimes.filter((runtime) => runs.has(runtime));
  const attacks = [...new Set(runtimes.flatMap((runtime) => runs.get(runtime)!.attacks.map((result) => result.attack)))];
  const rows = [`| attack | ${runtimes.map((runtime) => columnNames[runtime]).join(" | ")} |`, `| --- |${runtimes.map(() => " --- |").join("")}`];
  for (const attack of attacks) rows.push(`| ${attack} | ${runtimes.map((runtime) => cell(runs.get(runtime)!.attacks.find((result) => result.attack === attack))).join(" | ")} |`);
  const dates = runtimes.map((runtime) => `${columnNames[runtime]} ${runs.get(runtime)!.date.slice(0, 10)}`).join(", ");
  return `${rows.join("\n")}\n\nRuns: ${dates}.`;
}

/** docs/security.md with the table rendered anew from the committed runs. */
export function withStressTable(page: string, runs: Map<string, StressRun>): string {
  return withBlock(page, stressBlock, stressSource, renderStressTable(runs));
}
