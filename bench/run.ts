// npm run bench [-- --quick] [--only raw-ws,product-node] [--parts idle,echo,handshake] [--scenarios "64c 32B bin,..."]
//   [--rounds N] [--env NAME=value] [--out name] [--generator c|node] [--unpinned]
// npm run bench -- --instances [--quick] [--only node,deno,bun] [--rounds N]: one instance vs two behind nginx (bench/instances.ts)
// Servers are measured a group at a time (a baseline with the servers judged against it, and the
// servers shown beside it for comparison), taking turns within their group (bench/take-turns.ts).
// Method: each server runs on CPU 1, the runner and its load generators on CPU 0 (bench/pinning.ts;
// taskset, and a visible fallback to unpinned where it is missing or refused). Echo load comes from
// a compiled C generator (bench/generator-c/, built here with the machine's cc; Node + ws where none
// is), cheaper per message than the fastest server (the table prints both sides' CPU per message);
// idle and handshake load from Node + ws. Every echo figure comes with p50/p90/p99/p99.9/max.
// Writes bench/results/<name>.json and a chart; prints the table and the targets.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { describeEchoGenerator, prepareEchoGenerator } from "./build-generator.ts";
import { renderChart } from "./chart.ts";
import { describeMachine, loadNow } from "./machine.ts";
import { describePinning, setUpPinning } from "./pinning.ts";
import { ratiosOf } from "./ratios.ts";
import type { BenchResults, Method, ServerResult } from "./results.ts";
import { fullSettings, quickSettings } from "./scenarios.ts";
import { benchGroups, benchServers, productBenchEnv } from "./servers.ts";
import { measureGroup } from "./take-turns.ts";

// However a server misbehaves, the run ends: a full run of eleven servers takes about 20 minutes
// (three rounds; 30 with --rounds 5).
const RUN_LIMIT_MS = 50 * 60_000;

const { values: options } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    only: { type: "string" },
    env: { type: "string", multiple: true, default: [] },
    out: { type: "string" },
    parts: { type: "string", default: "idle,echo,handshake" },
    // Echo scenarios by id (as the table names them), for an experiment on one figure.
    scenarios: { type: "string" },
    // More rounds per judged figure, to tell a bistable figure (Deno's p99 at 1000 connections) from noise.
    rounds: { type: "string" },
    // Re-renders the table, ratios and chart of an earlier results file without measuring again.
    render: { type: "string" },
    // The echo generator: the compiled one (c, the default) or Node + ws, to compare the two.
    generator: { type: "string", default: "c" },
    // Servers and generators on any CPU, as the bench ran before pinning (to compare the methods).
    unpinned: { type: "boolean", default: false },
    // A scenario of its own: the echo load through nginx to one instance and to two (bench/instances.ts).
    instances: { type: "boolean", default: false },
  },
});

if (options.instances) {
  const { instancesSettings, runInstancesBench } = await import("./instances.ts");
  const base = instancesSettings[options.quick ? "quick" : "full"];
  const runtimes = base.runtimes.filter((runtime) => !options.only || options.only.split(",").includes(runtime));
  process.exit(await runInstancesBench({ ...base, runtimes, rounds: options.rounds === undefined ? base.rounds : Number(options.rounds) }));
}

if (options.render) {
  const earlier = JSON.parse(readFileSync(options.render, "utf8")) as BenchResults;
  earlier.ratios = ratiosOf(earlier.servers);
  writeFileSync(options.render, `${JSON.stringify(earlier, null, 2)}\n`);
  const chart = earlier.mode === "full" && options.render.endsWith("latest.json") ? fileURLToPath(new URL("../docs/bench.svg", import.meta.url)) : options.render.replace(/\.json$/, ".svg");
  writeFileSync(chart, renderChart(earlier));
  const { formatReport } = await import("./table.ts");
  console.log(formatReport(earlier));
  process.exit(0);
}

const stem = options.out ?? (options.quick ? "quick" : "latest");
const resultsPath = fileURLToPath(new URL(`./results/${stem}.json`, import.meta.url));
// Only the full run behind the committed results becomes the README's chart.
const chartPath = stem === "latest" ? fileURLToPath(new URL("../docs/bench.svg", import.meta.url)) : resultsPath.replace(/\.json$/, ".svg");

// Extra settings for every server of the run (products and baselines alike), for experiments such as
// LOG_LEVEL=info or NODE_OPTIONS=--max-semi-space-size=1.
const extraEnv = Object.fromEntries(
  options.env.map((pair) => {
    const at = pair.indexOf("=");
    if (at < 1) throw new Error(`--env expects NAME=value, got ${JSON.stringify(pair)}`);
    return [pair.slice(0, at), pair.slice(at + 1)];
  }),
);
const only = options.only?.split(",").map((name) => name.trim());
const servers = benchServers().filter((server) => (only ? only.includes(server.name) : !server.diagnostic));
// --parts narrows a run to what an experiment needs (e.g. only idle memory, before and after a fix).
const parts = new Set(options.parts.split(",").map((part) => part.trim()));
const chosen = options.quick ? quickSettings : fullSettings;
const scenarioIds = options.scenarios?.split(",").map((id) => id.trim());
const echoScenarios = chosen.echo.filter((scenario) => !scenarioIds || scenarioIds.includes(scenario.id));
const rounds = options.rounds === undefined ? chosen.rounds : Number(options.rounds);
if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds expects a whole number from 1, got ${JSON.stringify(options.rounds)}`);
const settings = { ...chosen, rounds, echo: parts.has("echo") ? echoScenarios : [], idle: parts.has("idle") ? chosen.idle : undefined, handshake: parts.has("handshake") ? chosen.handshake : undefined };

if (options.generator !== "c" && options.generator !== "node") throw new Error(`--generator expects c or node, got ${JSON.stringify(options.generator)}`);

setTimeout(() => {
  console.error(`bench: still running after ${RUN_LIMIT_MS / 60_000} minutes, giving up`);
  process.exit(1);
}, RUN_LIMIT_MS).unref();

const startedAt = new Date();
const machine = describeMachine();
console.log(`bench (${options.quick ? "quick" : "full"}): ${servers.map((server) => server.name).join(", ")}; load ${machine.loadBefore.join(" ")}`);
// Pinned first, so the compiler and every process spawned from here on start on the generator's CPU.
const method: Method = { pinning: setUpPinning(!options.unpinned), echoGenerator: prepareEchoGenerator(options.generator) };
console.log(describePinning(method.pinning));
console.log(describeEchoGenerator(method.echoGenerator));
console.log(`each echo and handshake figure from a newly started server process (echo after a ${settings.warmupMs / 1000} s warm-up)`);

const measured: ServerResult[] = [];
for (const group of benchGroups(servers)) {
  measured.push(...(await measureGroup(group, settings, extraEnv, method, (line) => console.log(`  ${line}`))));
}
machine.loadAfter = loadNow();

const results: BenchResults = {
  mode: options.quick ? "quick" : "full",
  startedAt: startedAt.toISOString(),
  durationS: Math.round((Date.now() - startedAt.getTime()) / 1000),
  method,
  machine,
  productEnv: { ...productBenchEnv, ...extraEnv },
  servers: measured,
  ratios: ratiosOf(measured),
};

mkdirSync(fileURLToPath(new URL("./results/", import.meta.url)), { recursive: true });
writeFileSync(resultsPath, `${JSON.stringify(results, null, 2)}\n`);
writeFileSync(chartPath, renderChart(results));
const { formatReport } = await import("./table.ts");
console.log(`\n${formatReport(results)}\n\nresults: ${resultsPath}\nchart: ${chartPath}`);

// A missed target is a finding, not a failure. A run that measured nothing, a server that failed, or
// an echo that came back wrong or not at all is broken: that is what the quick run in CI is there to catch.
// (Idle connections a server could not hold are a figure: workerd's limit, docs/benchmarks.md.)
const broken = measured.flatMap((server) => {
  const failing = [...server.echo, ...(server.handshake ? [server.handshake] : [])].find((figures) => figures.errors > 0);
  return server.status === "failed" || failing ? [`${server.name} is broken: ${server.note ?? failing?.firstError ?? "errors in its figures"}`] : [];
});
for (const line of broken) console.error(`bench: ${line}`);
process.exit(measured.some((server) => server.status === "measured") && broken.length === 0 ? 0 : 1);
