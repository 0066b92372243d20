// The figures README.md and docs/benchmarks.md show, rendered from bench/results/latest.json
// (test/support/doc-blocks.ts): `npm run bench` rewrites them when it writes latest.json, and
// test/docs/bench-figures.test.ts fails when the pages and the results disagree.
import { cpuPerMessage, type InstancesResults } from "./instances.ts";
import type { BenchResults, Ratio, ServerResult } from "./results.ts";
import { withBlock } from "../test/support/doc-blocks.ts";
import { targetCounts, times } from "./table.ts";

/** The pages that show figures of the committed run, and the blocks each holds. */
export const figurePages = { "README.md": ["bench-summary"], "docs/benchmarks.md": ["bench-run", "bench-judged", "bench-information"] } as const;

type Block = (typeof figurePages)[keyof typeof figurePages][number];

const productLabels: Record<string, string> = {
  "product-node": "Node vs `ws`",
  "product-deno": "Deno vs `ws` on Deno",
  "product-bun": "Bun vs `Bun.serve`",
  "product-workers": "workerd vs `ws` (information)",
  "raw-deno": "`Deno.serve` vs `ws` on Deno (information)",
  "crossws-node": "crossws on Node (peer)",
  "crossws-deno": "crossws on Deno (peer)",
  "crossws-bun": "crossws on Bun (peer)",
};

const labelOf = (server: string) => productLabels[server] ?? server;
const cell = (ratio: Ratio | undefined) => (ratio ? (ratio.target && !ratio.target.met ? `**${times(ratio)}**` : times(ratio)) : "");

function ratioFinder(results: BenchResults) {
  return (server: string, metric: string) => results.ratios.find((ratio) => ratio.server === server && ratio.metric === metric);
}

/** Scenarios judged on any server, in the order they were measured. */
function judgedScenarios(results: BenchResults): string[] {
  const scenarios = new Set<string>();
  for (const ratio of results.ratios) if (ratio.target && ratio.metric.endsWith(" msgs/s")) scenarios.add(ratio.metric.slice(0, -" msgs/s".length));
  return [...scenarios];
}

function summary(results: BenchResults): string {
  const counts = targetCounts(results.ratios);
  const products = results.servers.filter((server) => server.judged).map((server) => labelOf(server.name).split(" ")[0]).join(", ");
  return `In the committed run (${results.startedAt.slice(0, 10)}, ${roundCount(results)} rounds) the products (${products}) meet **${counts.met} of their ${counts.judged} targets**, ${counts.clear} of them in every round.`;
}

function roundCount(results: BenchResults): number {
  return Math.max(1, ...results.servers.flatMap((server) => server.echo.map((figures) => figures.rounds?.length ?? 1)));
}

function runLine(results: BenchResults): string {
  const { machine } = results;
  // A binary's own --version line ("deno 2.9.6 (stable, ...)") shortened to its number.
  const versions = Object.entries(machine.versions ?? {}).map(([name, version]) => `${name} ${version.replace(`${name} `, "").replace(/ \(.*\)$/, "")}`).join(", ");
  return [
    `**The committed run**: ${results.startedAt.slice(0, 10)}, ${machine.cores} cores (${machine.cpuModel}), ${machine.memoryGiB} GiB; ${versions};`,
    `servers on CPU 1, generator on CPU 0, every figure from a newly started process; ${roundCount(results)} rounds, ${results.durationS.toLocaleString("en-US")} s.`,
  ].join("\n");
}

/** A row per judged product and scenario: each ratio with the lowest and highest of its rounds; a miss in bold. */
function judgedTable(results: BenchResults): string {
  const find = ratioFinder(results);
  const rows = ["| product vs raw | scenario | msgs/s | p99 | p999 | server CPU/msg |", "| --- | --- | --- | --- | --- | --- |"];
  for (const server of results.servers.filter((each) => each.judged && each.status === "measured")) {
    for (const scenario of judgedScenarios(results)) {
      const metric = (name: string) => find(server.name, `${scenario} ${name}`);
      if (!metric("msgs/s")) continue;
      rows.push(`| ${labelOf(server.name)} | ${scenario} | ${cell(metric("msgs/s"))} | ${cell(metric("p99"))} | ${cell(metric("p999"))} | ${cell(metric("server CPU/msg"))} |`);
    }
    rows.push(`| ${labelOf(server.name)} | idle KiB/conn | ${idleCell(results, server)} | | | |`);
  }
  return rows.join("\n");
}

function idleCell(results: BenchResults, server: ServerResult): string {
  const base = results.servers.find((each) => each.name === server.baseline);
  const ratio = ratioFinder(results)(server.name, "idle KiB/conn");
  if (!server.idle || !base?.idle || !ratio) return "";
  return `${server.idle.kibPerConnection.toFixed(1)} vs ${base.idle.kibPerConnection.toFixed(1)}: ${cell(ratio)}`;
}

/** Servers shown for information (peers, Deno's native stack, workerd): msgs/s and p99 ratios per judged scenario. */
function informationTable(results: BenchResults): string {
  const find = ratioFinder(results);
  const scenarios = judgedScenarios(results);
  const rows = [`| server | ${scenarios.map((scenario) => `${scenario}: msgs/s, p99`).join(" | ")} | idle KiB/conn |`, `| --- |${scenarios.map(() => " --- |").join("")} --- |`];
  for (const server of results.servers.filter((each) => !each.judged && each.kind !== "baseline" && each.status === "measured")) {
    const ratios = scenarios.map((scenario) => [find(server.name, `${scenario} msgs/s`), find(server.name, `${scenario} p99`)].map((ratio) => (ratio ? `${ratio.ratio.toFixed(2)}x` : "")).join(", "));
    const idle = server.idle?.errors ? `held ${server.idle.connections.toLocaleString("en-US")} (${server.idle.firstError})` : `${(server.idle?.kibPerConnection ?? 0).toFixed(1)}`;
    rows.push(`| ${labelOf(server.name)} | ${ratios.join(" | ")} | ${idle} |`);
  }
  return rows.join("\n");
}

/** The text of one block for a results file. */
export function renderBlock(block: Block, results: BenchResults): string {
  switch (block) {
    case "bench-summary":
      return summary(results);
    case "bench-run":
      return runLine(results);
    case "bench-judged":
      return judgedTable(results);
    case "bench-information":
      return informationTable(results);
  }
}

/** Where the blocks come from, as their markers name it. */
export const benchSource = "bench/results/latest.json";

/** `page` with each of `blocks` rendered anew from `results`. */
export function withBlocks(page: string, blocks: readonly Block[], results: BenchResults): string {
  return blocks.reduce((text, block) => withBlock(text, block, benchSource, renderBlock(block, results)), page);
}

/** Where the instances block comes from. */
export const instancesSource = "bench/results/instances.json";
export const instancesBlock = "bench-instances";

const runtimeLabels: Record<string, string> = { node: "Node", deno: "Deno", bun: "Bun" };
const us = (value: number | undefined) => (value === undefined ? "" : `${value.toFixed(1)} us`);

/** A row per runtime: each set-up's msgs/s and p99, and the CPU per message of the processes on the path. */
export function renderInstances(results: InstancesResults): string {
  const rows = [
    "| runtime | nginx + 1 instance: msgs/s, p99 ms | nginx + 2 instances | 2 instances on one port (kernel) | CPU per message, nginx + 2: nginx + instances | kernel, 2 instances |",
    "| --- | --- | --- | --- | --- | --- |",
  ];
  const shown = (figures: { perSecond: number; p99Ms: number } | undefined) => (figures ? `${Math.round(figures.perSecond).toLocaleString("en-US")}, ${figures.p99Ms.toFixed(1)}` : "");
  for (const [runtime, setups] of Object.entries(results.runtimes)) {
    const two = setups["nginx x2"] && cpuPerMessage(setups["nginx x2"]);
    const kernel = setups["kernel x2"] && cpuPerMessage(setups["kernel x2"]);
    rows.push(`| ${runtimeLabels[runtime] ?? runtime} | ${shown(setups["nginx x1"])} | ${shown(setups["nginx x2"])} | ${shown(setups["kernel x2"])} | ${two ? `${us(two.nginx)} + ${us(two.instances)} = ${us(two.path)}` : ""} | ${us(kernel?.path)} |`);
  }
  return `${rows.join("\n")}\n\n${results.startedAt.slice(0, 10)}, ${results.rounds} rounds (the median round by msgs/s), ${results.connections} connections x ${results.bytes} B binary.`;
}

/** docs/benchmarks.md with the instances block rendered anew. */
export function withInstancesBlock(page: string, results: InstancesResults): string {
  return withBlock(page, instancesBlock, instancesSource, renderInstances(results));
}

/**
 * The run that splits each remaining miss into its parts, every server against its raw baseline in the
 * same run: the product, the same Hono app with none of our code (`hono-ws`, `hono-ws-deno`,
 * `hono-bun`), and on Node the part Node's Fetch (undici) plays (docs/benchmarks.md#what-the-misses-are-made-of).
 */
export const diagnosticSource = "bench/results/diagnostic.json";
export const diagnosticBlock = "bench-diagnostic";
export const diagnosticCommand =
  'npm run bench -- --only raw-ws,raw-ws-with-fetch,hono-ws,product-node-without-fetch,product-node,raw-ws-deno,hono-ws-deno,product-deno,raw-bun,hono-bun,product-bun --parts echo --scenarios "64c 32B bin,64c 64KiB bin,1000c 64KiB bin,64c 32B text,ws 64c 32B bin,ws 1000c 32B bin" --out diagnostic';

/** What each server of the diagnostic run is, as the table names it. */
const diagnosticNames: Record<string, string> = {
  "product-node": "**the product on Node**",
  "hono-ws": "`hono-ws`: Hono + ws on Node, none of our code",
  "raw-ws-with-fetch": "raw `ws` with Node's Fetch (undici) loaded",
  "product-node-without-fetch": "the product on Node without Node's Fetch (undici)",
  "product-deno": "**the product on Deno**",
  "hono-ws-deno": "`hono-ws` run by Deno",
  "product-bun": "**the product on Bun**",
  "hono-bun": "`hono-bun`: Hono + `Bun.serve`, none of our code",
};

/** A row per server and scenario: msgs/s, p99 and server CPU per message against the server's raw baseline. */
export function renderDiagnostic(results: BenchResults): string {
  const find = ratioFinder(results);
  const rows = ["| scenario | server | vs | msgs/s | p99 | server CPU/msg |", "| --- | --- | --- | --- | --- | --- |"];
  const servers = results.servers.filter((server) => server.kind !== "baseline" && server.status === "measured");
  const scenarios = [...new Set(servers.flatMap((server) => server.echo.map((figures) => figures.scenario)))];
  for (const server of servers) {
    for (const scenario of scenarios) {
      const metric = (name: string) => times(find(server.name, `${scenario} ${name}`));
      rows.push(`| ${scenario} | ${diagnosticNames[server.name] ?? server.name} | ${server.baseline ?? ""} | ${metric("msgs/s")} | ${metric("p99")} | ${metric("server CPU/msg")} |`);
    }
  }
  return `${rows.join("\n")}\n\n${results.startedAt.slice(0, 10)}, ${roundCount(results)} rounds: \`${diagnosticCommand}\`.`;
}
