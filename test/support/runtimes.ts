// How each runtime's real server is started for the suites that speak to it over sockets.
// Adding a runtime to the suites is adding its name to src/runtimes.ts and a launcher here.
import { readFileSync } from "node:fs";
import { isRuntimeName, type RuntimeName } from "../../src/runtimes.ts";
import { startServerProcess, type ServerProcess } from "./server-process.ts";

/** Options for a launched server. */
export interface LaunchOptions {
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number;
  /** Extra environment (the settings of docs/protocol.md#configuration). */
  env?: Record<string, string>;
}

/** Launches `command` with the options' port and environment (over `env`, which the launcher needs). */
const launcher = (command: string, args: string[], { env = {}, startTimeoutMs }: { env?: Record<string, string>; startTimeoutMs?: number } = {}) =>
  (options: LaunchOptions) => startServerProcess(command, args, { env: { ...options.env, ...env, PORT: String(options.port ?? 0) }, startTimeoutMs });

// wrangler and Miniflare offline: no request to Cloudflare for the `cf` object, no metrics.
const workersEnv = { CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_SEND_METRICS: "false" };

const launchers: Record<RuntimeName, (options: LaunchOptions) => Promise<ServerProcess>> = {
  // The Node entry exactly as `npm start` runs it (vitest itself runs on the project's Node 24).
  node: launcher(process.execPath, ["node/main.ts"]),
  // The Deno entry exactly as `deno task start` runs it, with the Deno of the npm `deno` package. The
  // first start on a cold machine downloads hono and ws into Deno's cache, hence the longer wait.
  deno: launcher("node_modules/deno/deno", ["task", "--quiet", "start"], { startTimeoutMs: 120_000 }),
  // The Bun entry with the Bun binary of the npm `bun` package, as `npm run start:bun` runs it.
  bun: launcher("node_modules/bun/bin/bun.exe", ["bun/main.ts"]),
  // The Worker bundled by wrangler and served by a local workerd (see workers-server.ts).
  workers: launcher(process.execPath, ["test/support/workers-server.ts"], { env: workersEnv }),
};

/** deno.json's start task (its grants and flags) run on another entry, with the Deno of the npm `deno` package. */
function denoStartCommand(entry: string): string {
  const tasks = (JSON.parse(readFileSync("deno.json", "utf8")) as { tasks: { start: { command: string } } }).tasks;
  return tasks.start.command.replace("exec deno run", "exec node_modules/deno/deno run").replace("deno/main.ts", entry);
}

/** The product's entries composed with the test app (test/entries/test-app.ts), launched as the product's are. */
const testEntryLaunchers: Record<RuntimeName, (options: LaunchOptions) => Promise<ServerProcess>> = {
  node: launcher(process.execPath, ["test/entries/node.ts"]),
  deno: launcher("sh", ["-c", denoStartCommand("test/entries/deno.ts")], { startTimeoutMs: 120_000 }),
  bun: launcher("node_modules/bun/bin/bun.exe", ["test/entries/bun.ts"]),
  workers: launcher(process.execPath, ["test/support/workers-server.ts", "test/entries/worker.ts"], { env: workersEnv }),
};

/** Starts the test entry of `runtime` (the product with the test app's additions) on 127.0.0.1. */
export function startTestEntry(runtime: RuntimeName, options: LaunchOptions = {}): Promise<ServerProcess> {
  return testEntryLaunchers[runtime](options);
}

/** Starts the real server of `runtime` on 127.0.0.1. */
export function startRuntime(runtime: string, options: LaunchOptions = {}): Promise<ServerProcess> {
  if (!isRuntimeName(runtime)) throw new Error(`no launcher for runtime ${JSON.stringify(runtime)}`);
  return launchers[runtime](options);
}

/** The runtime a vitest project is about, from its name ("<suite>:<runtime>", e.g. "limits:deno"). */
export function runtimeOfProject(projectName: string): RuntimeName {
  const runtime = projectName.split(":")[1] ?? "";
  if (!isRuntimeName(runtime)) throw new Error(`project ${JSON.stringify(projectName)} names no runtime of src/runtimes.ts`);
  return runtime;
}
