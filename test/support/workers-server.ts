// The Worker on a local workerd and a real TCP port, behaving like the other runtimes' servers (settings
// from the environment, a `listen` line, logs on stdout, a clean stop on SIGTERM). Miniflare with a direct
// socket, not `wrangler dev`: its entry Worker re-originates the upgrade with a Sec-WebSocket-Key of its
// own, so ours would never see the client's key; a direct socket delivers the request as the edge does.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { unstable_getMiniflareWorkerOptions } from "wrangler";
import { variablesFor } from "../../src/settings.ts";

// The Worker's settings (docs/protocol.md#configuration), passed to it as vars over those in wrangler.toml.
const vars = Object.fromEntries(variablesFor("workers").flatMap((name) => (process.env[name] === undefined ? [] : [[name, process.env[name]]])));

// The same bundle `npm run build:worker` makes, in a directory of this server's own; of another entry
// module than wrangler.toml's `main` when one is named (a test entry, test/entries/worker.ts).
const bundleDir = mkdtempSync(join(tmpdir(), "multivac-worker-"));
const wranglerCli = join(dirname(createRequire(import.meta.url).resolve("wrangler/package.json")), "bin", "wrangler.js");
const entry = process.argv.slice(2);
execFileSync(process.execPath, [wranglerCli, "deploy", "--dry-run", "--outdir", bundleDir, ...entry], { stdio: ["ignore", "ignore", "inherit"] });

// Bindings, compatibility date and Durable Object classes come from wrangler.toml.
// (Typed loosely: wrangler's declaration of these options leans on Workers types this Node file lacks.)
const { workerOptions } = unstable_getMiniflareWorkerOptions("./wrangler.toml") as { workerOptions: Record<string, object | undefined> };
const miniflare = new Miniflare(
  convertV4MiniflareOptions({
    compatibilityDate: workerOptions.compatibilityDate,
    compatibilityFlags: workerOptions.compatibilityFlags,
    durableObjects: workerOptions.durableObjects,
    // Miniflare's local dataset takes the data points and keeps none (they go nowhere without a remote).
    analyticsEngineDatasets: workerOptions.analyticsEngineDatasets,
    modules: true,
    modulesRoot: bundleDir,
    // wrangler names the bundle after its entry module (index.js for wrangler.toml's worker/index.ts).
    scriptPath: join(bundleDir, `${basename(entry[0] ?? "index.ts", ".ts")}.js`),
    bindings: { ...workerOptions.bindings, ...vars },
    // workerd reports an event that failed ("uncaught exception") only when verbose; the suites read it.
    verbose: true,
    unsafeDirectSockets: [{ host: process.env.HOST ?? "127.0.0.1", port: Number(process.env.PORT ?? 0) }],
    // The Worker logs one JSON object per line: print them as the other runtimes do.
    handleStructuredLogs: ({ message }: { message: string }) => process.stdout.write(`${message}\n`),
  } as Parameters<typeof convertV4MiniflareOptions>[0]),
);
const url = await miniflare.unsafeGetDirectURL();

console.log(JSON.stringify({ ts: new Date().toISOString(), level: "info", event: "listen", runtime: "workers", host: url.hostname, port: Number(url.port), url: url.origin }));

const stop = async () => {
  await miniflare.dispose();
  rmSync(bundleDir, { recursive: true, force: true });
  process.exit(0);
};
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
// A test runner killed hard sends no SIGTERM; without this check workerd would live on as an orphan.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) void stop();
}, 1000).unref();
