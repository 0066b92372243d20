// npm run bench [-- --quick] [options of bench/README.md]: every server of servers.ts, a group at a time
// (take-turns.ts); writes bench/results/<name>.json and a chart, prints the table and the targets.
// With --instances: one instance and two behind nginx, and two sharing a port (instances.ts).
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { renderChart } from "./chart.ts";
import { diagnosticBlock, diagnosticSource, figurePages, renderDiagnostic, withBlocks } from "./docs-figures.ts";
import { withBlock } from "../test/support/doc-blocks.ts";
import { describeGenerator, prepareGenerator } from "./generator.ts";
import { describeMachine, loadNow } from "./machine.ts";
import { describePinning, setUpPinning } from "./pinning.ts";
import { ratiosOf } from "./ratios.ts";
import type { InstancesResults } from "./instances.ts";
import type { BenchResults, Method, ServerResult } from "./results.ts";
import { fullSettings, quickSettings } from "./scenarios.ts";
import { benchGroups, benchServers, productBenchEnv } from "./servers.ts";
import { formatReport } from "./table.ts";
import { echoProcessEnv } from "./measure-server.ts";
import { measureGroup } from "./take-turns.ts";

// However a server misbehaves, the run ends (a full run takes well under this).
const RUN_LIMIT_MS = 50 * 60_000;

function fail(message: string): never {
  console.error(`bench: ${message}`);
  process.exit(1);
}

const { values: options } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    only: { type: "string" },
    env: { type: "string", multiple: true, default: [] },
    out: { type: "string" },
    parts: { type: "string", default: "idle,echo,handshake" },
    scenarios: { type: "string" },
    rounds: { type: "string" },
    render: { type: "string" },
    unpinned: { type: "boolean", default: false },
    // A scenario of its own: the echo load through nginx to one instance and to two, and to two sharing a port (bench/instances.ts).
    instances: { type: "boolean", default: false },
  },
});

/**
 * Writes the results and their chart: the full run's latest.json is the one docs/bench.svg shows, and
 * whose figures README.md and docs/benchmarks.md show (bench/docs-figures.ts).
 */
function save(results: BenchResults, path: string): string {
  writeFileSync(path, `${JSON.stringify(results, null, 2)}\n`);
  const committed = results.mode === "full" && path.endsWith("latest.json");
  const chartPath = committed ? fileURLToPath(new URL("../docs/bench.svg", import.meta.url)) : path.replace(/\.json$/, ".svg");
  writeFileSync(chartPath, renderChart(results));
  if (resolve(path) === fileURLToPath(new URL(`../${diagnosticSource}`, import.meta.url))) {
    const page = new URL("../docs/benchmarks.md", import.meta.url);
    writeFileSync(page, withBlock(readFileSync(page, "utf8"), diagnosticBlock, diagnosticSource, renderDiagnostic(results)));
  }
  if (committed) {
    for (const [page, blocks] of Object.entries(figurePages)) {
      const file = new URL(`../${page}`, import.meta.url);
      writeFileSync(file, withBlocks(readFileSync(file, "utf8"), blocks, results));
    }
  }
  return chartPath;
}

const list = (text: string | undefined) => text?.split(",").map((item) => item.trim());
const only = list(options.only);
const roundsOption = options.rounds === undefined ? undefined : Number(options.rounds);
if (roundsOption !== undefined && !(Number.isInteger(roundsOption) && roundsOption >= 1)) fail(`--rounds expects a whole number from 1, got ${JSON.stringify(options.rounds)}`);

if (options.instances) {
  const { instancesSettings, runInstancesBench } = await import("./instances.ts");
  const { withInstancesBlock } = await import("./docs-figures.ts");
  const base = instancesSettings[options.quick ? "quick" : "full"];
  const runtimes = base.runtimes.filter((runtime) => !only || only.includes(runtime));
  // A full run of every runtime is the committed one, which docs/benchmarks.md shows.
  const committed = !options.quick && runtimes.length === base.runtimes.length;
  const saveInstances = (results: InstancesResults) => {
    const path = fileURLToPath(new URL(`./results/${options.out ?? (committed ? "instances" : "instances-partial")}.json`, import.meta.url));
    writeFileSync(path, `${JSON.stringify(results, null, 2)}\n`);
    if (committed && !options.out) {
      const page = new URL("../docs/benchmarks.md", import.meta.url);
      writeFileSync(page, withInstancesBlock(readFileSync(page, "utf8"), results));
    }
    console.log(`results: ${path}`);
  };
  process.exit(await runInstancesBench({ ...base, runtimes, rounds: roundsOption ?? base.rounds }, console.log, options.quick ? undefined : saveInstances));
}

if (options.render) {
  const earlier = JSON.parse(readFileSync(options.render, "utf8")) as BenchResults;
  earlier.ratios = ratiosOf(earlier.servers);
  save(earlier, options.render);
  console.log(formatReport(earlier));
  process.exit(0);
}

const extraEnv = Object.fromEntries(
  options.env.map((pair) => (/^[^=]+=/.test(pair) ? [pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1)] : fail(`--env expects NAME=value, got ${JSON.stringify(pair)}`))),
);
const servers = benchServers().filter((server) => (only ? only.includes(server.name) : !server.diagnostic));
const parts = new Set(list(options.parts));
const chosen = options.quick ? quickSettings : fullSettings;
const scenarioIds = list(options.scenarios);
const settings = {
  ...chosen,
  rounds: roundsOption ?? chosen.rounds,
  echo: parts.has("echo") ? chosen.echo.filter((scenario) => !scenarioIds || scenarioIds.includes(scenario.id)) : [],
  idle: parts.has("idle") ? chosen.idle : undefined,
  handshake: parts.has("handshake") ? chosen.handshake : undefined,
};

setTimeout(() => {
  console.error(`bench: still running after ${RUN_LIMIT_MS / 60_000} minutes, giving up`);
  process.exit(1);
}, RUN_LIMIT_MS).unref();

const startedAt = new Date();
const machine = describeMachine();
console.log(`bench (${options.quick ? "quick" : "full"}): ${servers.map((server) => server.name).join(", ")}; load ${machine.loadBefore.join(" ")}`);
// Pinned first, so the compiler and every process spawned from here on start on the generator's CPU.
let method: Method;
try {
  method = { pinning: setUpPinning(!options.unpinned), echoGenerator: prepareGenerator(), echoEnv: echoProcessEnv };
} catch (error) {
  fail((error as Error).message);
}
console.log(`${describePinning(method.pinning)}\n${describeGenerator(method.echoGenerator)}`);
console.log(`each echo and handshake figure from a newly started server process (echo after a ${settings.warmupMs / 1000} s warm-up; echo servers with ${Object.entries(method.echoEnv ?? {}).map(([name, value]) => `${name}=${value}`).join(" ")})`);

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
const resultsPath = fileURLToPath(new URL(`./results/${options.out ?? (options.quick ? "quick" : "latest")}.json`, import.meta.url));
const chartPath = save(results, resultsPath);
console.log(`\n${formatReport(results)}\n\nresults: ${resultsPath}\nchart: ${chartPath}`);

// A missed target is a finding; a failed server or a wrong or missing echo is broken, which the quick run
// in CI catches (idle connections a server could not hold are a figure: workerd's limit).
const broken = measured.flatMap((server) => {
  const failing = [...server.echo, ...(server.handshake ? [server.handshake] : [])].find((figures) => figures.errors > 0);
  return server.status === "failed" || failing ? [`${server.name} is broken: ${server.note ?? failing?.firstError ?? "errors in its figures"}`] : [];
});
for (const line of broken) console.error(`bench: ${line}`);
process.exit(measured.some((server) => server.status === "measured") && broken.length === 0 ? 0 : 1);
