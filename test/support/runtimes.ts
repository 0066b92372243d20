// How each runtime's real server is started for the suites that speak to it over sockets.
// Adding a runtime to the suites is adding its name to src/runtimes.ts and a launcher here.
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

const launchers: Record<RuntimeName, (options: LaunchOptions) => Promise<ServerProcess>> = {
  // The Node entry exactly as `npm start` runs it (vitest itself runs on the project's Node 24).
  node: launcher(process.execPath, ["node/main.ts"]),
  // The Deno entry exactly as `deno task start` runs it, with the Deno of the npm `deno` package. The
  // first start on a cold machine downloads hono and ws into Deno's cache, hence the longer wait.
  deno: launcher("node_modules/deno/deno", ["task", "--quiet", "start"], { startTimeoutMs: 120_000 }),
  // The Bun entry with the Bun binary of the npm `bun` package, as `npm run start:bun` runs it.
  bun: launcher("node_modules/bun/bin/bun.exe", ["bun/main.ts"]),
  // The Worker bundled by wrangler and served by a local workerd (see workers-server.ts).
  workers: launcher(process.execPath, ["test/support/workers-server.ts"], { env: { CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_SEND_METRICS: "false" } }),
};

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
