// npm run stress -- <url> [options of stress/README.md]: attacks one after another against a server on this
// machine while a canary measures its service; prints a table, writes stress/results/<name>.json.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { committedRuns, stressPage, stressRuntimes, withStressTable } from "./docs-figures.ts";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { attacks } from "./attack-list.ts";
import { listenerPids, totalRssKiB } from "../test/support/processes.ts";
import { formatReport, progressLine } from "./report.ts";
import { RssSampler } from "./rss-sampler.ts";
import { runAttack, type AttackResult } from "./run-attack.ts";

const usage = "usage: npm run stress -- <url> [--attacks a,b] [--seconds N] [--pid N] [--tree] [--rss-limit-mib N] [--out name]";

function fail(message: string): never {
  console.error(`stress: ${message}`);
  process.exit(2);
}

let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: {
      attacks: { type: "string" },
      seconds: { type: "string", default: "10" },
      pid: { type: "string" },
      tree: { type: "boolean", default: false },
      "rss-limit-mib": { type: "string", default: "2048" },
      out: { type: "string" },
      help: { type: "boolean", default: false },
    },
  });
} catch (error) {
  fail(`${(error as Error).message}\n${usage}`);
}
const { values: options, positionals } = parsed;
if (options.help) {
  console.log(`${usage}\n(stress/README.md)\n\nattacks, in the order a full run goes through them:\n${attacks.map((attack) => `  ${attack.name}: ${attack.summary}`).join("\n")}`);
  process.exit(0);
}
// The tool only ever points at this machine: stress traffic to somebody else's server is an attack in the
// plain sense, so any other host is refused outright.
const url = URL.parse(positionals[0] ?? fail(usage)) ?? fail(`not a URL: ${JSON.stringify(positionals[0])} (expected e.g. http://127.0.0.1:8787)`);
if (!["http:", "ws:"].includes(url.protocol)) fail(`${url.protocol} is not supported: the attacks speak plain TCP (use http:// or ws://)`);
const host = url.hostname.replace(/^\[|\]$/g, "");
if (!["127.0.0.1", "::1", "localhost"].includes(host)) fail(`refusing to attack ${host}: only 127.0.0.1, ::1 and localhost are allowed`);
const port = url.port === "" ? 80 : Number(url.port);
const target = { host, port, baseUrl: `http://${host.includes(":") ? `[${host}]` : host}:${port}` };
const seconds = Number(options.seconds);
if (!Number.isFinite(seconds) || seconds < 1 || seconds > 120) fail("--seconds takes 1 to 120");
const rssLimitMiB = Number(options["rss-limit-mib"]);
if (!Number.isFinite(rssLimitMiB) || rssLimitMiB <= 0) fail("--rss-limit-mib takes a positive number");
const named = (name: string) => attacks.find((attack) => attack.name === name) ?? fail(`no attack named ${JSON.stringify(name)}; known: ${attacks.map((known) => known.name).join(", ")}`);
const chosen = options.attacks ? options.attacks.split(",").map((name) => named(name.trim())) : attacks;

// The last line of defence: whatever hangs, the run ends (unref'd: a run that finishes exits at once).
const runLimitMs = chosen.length * (seconds + 5) * 1000 + 15_000;
setTimeout(() => {
  console.error(`stress: the run passed its limit of ${runLimitMs / 1000} s; exiting (the worker threads and their sockets end with the process)`);
  process.exit(3);
}, runLimitMs).unref();

// The runtime that answers /healthz names the results file.
const runtime = await fetch(`${target.baseUrl}/healthz`, { signal: AbortSignal.timeout(2000) })
  .then(async (response) => ((await response.json()) as { runtime?: unknown }).runtime)
  .then((name) => (typeof name === "string" ? name : undefined), () => undefined);
if (!runtime) console.log(`note: ${target.baseUrl}/healthz did not answer with a runtime; attacking anyway`);

const pids = options.pid ? [Number(options.pid)] : listenerPids(target.host, target.port);
if (pids.length === 0) console.log(`RSS unknown: no process found listening on port ${target.port} (give --pid); attacking anyway`);
else if (totalRssKiB(pids) === undefined) console.log(`RSS unknown: cannot read /proc/${pids.join(", /proc/")}/status; attacking anyway`);
else console.log(`server: ${runtime ?? "?"}, pid ${pids.join("+")}${options.pid ? " (--pid)" : ` (owner of the socket listening on port ${target.port})`}${options.tree ? " with descendants" : ""}`);
const sampler = new RssSampler(pids, options.tree);

console.log(`${chosen.length} attacks of ~${seconds} s each against ${target.baseUrl}; RSS guard at ${rssLimitMiB} MiB\n`);
const results: AttackResult[] = [];
const runStarted = performance.now();
for (const [index, attack] of chosen.entries()) {
  console.log(`[${index + 1}/${chosen.length}] ${attack.name}: ${attack.summary}`);
  const result = await runAttack(attack, { baseUrl: target.baseUrl, durationMs: seconds * 1000, rssLimitKiB: rssLimitMiB * 1024, sampler });
  results.push(result);
  console.log(`  ${progressLine(result)}`);
  if (result.serverGone) {
    console.log("  the server process is gone: stopping the run");
    break;
  }
}
sampler.stop();

console.log(`\n${formatReport(results)}`);
const stem = options.out ?? runtime ?? `port-${target.port}`;
const resultsPath = fileURLToPath(new URL(`./results/${stem}.json`, import.meta.url));
mkdirSync(fileURLToPath(new URL("./results/", import.meta.url)), { recursive: true });
const document = {
  target: target.baseUrl,
  runtime,
  serverPids: pids,
  date: new Date().toISOString(),
  client: `node ${process.version}`,
  secondsPerAttack: seconds,
  rssLimitMiB,
  runSeconds: Math.round((performance.now() - runStarted) / 100) / 10,
  attacks: results,
};
writeFileSync(resultsPath, `${JSON.stringify(document, null, 2)}\n`);
console.log(`\nwhole run ${document.runSeconds} s; results written to ${resultsPath}`);
// A run of every attack under a runtime's own name is the committed one: docs/security.md shows it.
if (!options.out && runtime && (stressRuntimes as readonly string[]).includes(runtime) && chosen.length === attacks.length) {
  const root = new URL("../", import.meta.url);
  const page = new URL(stressPage, root);
  writeFileSync(page, withStressTable(readFileSync(page, "utf8"), committedRuns(root)));
  console.log(`${stressPage}: stress table rendered anew`);
}
