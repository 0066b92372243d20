// Every server: each runtime of src/runtimes.ts (the test launchers) against the raw server of its stack,
// and beside them raw Deno and crossws. Each prints the product's `listen` line for startServerProcess.
import { fileURLToPath } from "node:url";
import { runtimes, type RuntimeName } from "../src/runtimes.ts";
import { startRuntime } from "../test/support/runtimes.ts";
import { startServerProcess, type ServerProcess } from "../test/support/server-process.ts";

/** A server under test. */
export interface BenchServer {
  name: string;
  kind: "product" | "baseline" | "peer";
  baseline?: string;
  /** The baseline whose group the server takes turns in (bench/take-turns.ts); a baseline's own name. */
  group: string;
  /** False where the ratio is for information only (workerd has no raw counterpart; peers). */
  judged: boolean;
  /** The process whose RSS is the server's, when it is not the launched process itself. */
  rssProcessName?: string;
  /** Measured only when named in --only (servers that split an overhead into its parts). */
  diagnostic?: boolean;
  /** What the bench sets in the server's environment beyond --env (for the results file). */
  env?: Record<string, string>;
  start(extraEnv: Record<string, string>): Promise<ServerProcess>;
}

/** Limits that would measure themselves instead of the server: off, or room for the idle sockets and 64 KiB messages. */
export const productBenchEnv: Record<string, string> = {
  RATE_LIMIT: "0",
  IDLE_TIMEOUT_S: "0",
  MAX_CONNECTIONS: "20000",
  MAX_CONNECTIONS_PER_IP: "0",
  MAX_MESSAGE_BYTES: String(1024 * 1024),
  LOG_LEVEL: "warn",
};

/** Each product's baseline, and what the bench adds to launch it. */
const products: Record<RuntimeName, { baseline: string; judged: boolean; rssProcessName?: string; launchEnv?: Record<string, string> }> = {
  node: { baseline: "raw-ws", judged: true },
  // Deno serves with node:http + ws, so its baseline is raw ws run by Deno.
  deno: { baseline: "raw-ws-deno", judged: true },
  bun: { baseline: "raw-bun", judged: true },
  // The send budget holds a connection's replies to MAX_BUFFERED_BYTES a second, a limit like
  // RATE_LIMIT (docs/protocol.md#limits): lifted like it, to measure workerd's speed.
  workers: { baseline: "raw-ws", judged: false, rssProcessName: "workerd", launchEnv: { MAX_BUFFERED_BYTES: String(1024 ** 3) } },
};

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const denoBinary = here("../node_modules/deno/deno");
const bunBinary = here("../node_modules/bun/bin/bun.exe");
const node = (file: string, flags: string[] = []) => (env: Record<string, string>) => startServerProcess(process.execPath, [...flags, here(file)], { env });
const bun = (file: string) => (env: Record<string, string>) => startServerProcess(bunBinary, [here(file)], { env });
// ws from Deno's own npm cache (deno.json's pin), as the product's task has it; ws reads the first two variables when it is imported.
const wsOnDeno = ["--node-modules-dir=none", "--allow-net", "--allow-env=WS_NO_BUFFER_UTIL,WS_NO_UTF_8_VALIDATE,PORT,HOST"];
// A cold Deno cache downloads npm packages on the first start, as the product's Deno launcher allows for.
const deno = (file: string, flags: string[]) => (env: Record<string, string>) =>
  startServerProcess(denoBinary, ["run", ...flags, here(file)], { env, startTimeoutMs: 120_000 });

function server(name: string, kind: BenchServer["kind"], group: string, start: BenchServer["start"], extra: Partial<BenchServer> = {}): BenchServer {
  return { name, kind, group, baseline: kind === "baseline" ? undefined : group, judged: false, start, ...extra };
}

/** Every server; within a group (bench/take-turns.ts) they take turns in this order. */
export function benchServers(): BenchServer[] {
  return [
    server("raw-ws", "baseline", "raw-ws", node("./baselines/raw-ws.ts")),
    // The same file run by Deno.
    server("raw-ws-deno", "baseline", "raw-ws-deno", deno("./baselines/raw-ws.ts", wsOnDeno)),
    server("raw-bun", "baseline", "raw-bun", bun("./baselines/raw-bun.ts")),
    ...runtimes.map((runtime) => {
      const { baseline, launchEnv, ...entry } = products[runtime];
      const env = { ...productBenchEnv, ...launchEnv };
      return server(`product-${runtime}`, "product", baseline, (extraEnv) => startRuntime(runtime, { env: { ...env, ...extraEnv } }), { ...entry, env });
    }),
    // Deno's native stack (Deno.serve + Deno.upgradeWebSocket), which the product left for ws: figures beside the baseline.
    server("raw-deno", "peer", "raw-ws-deno", deno("./baselines/raw-deno.ts", ["--allow-net", "--allow-env=PORT,HOST"])),
    server("crossws-node", "peer", "raw-ws", node("./baselines/crossws-node.ts")),
    // crossws from node_modules (deno.json's "manual" node_modules mode): the package.json pin.
    server("crossws-deno", "peer", "raw-ws-deno", deno("./baselines/crossws-deno.ts", ["--allow-net", "--allow-env=PORT,HOST"])),
    server("crossws-bun", "peer", "raw-bun", bun("./baselines/crossws-bun.ts")),
    server("hono-ws", "peer", "raw-ws", node("./baselines/hono-ws.ts"), { diagnostic: true }),
    server("hono-ws-deno", "peer", "raw-ws-deno", deno("./baselines/hono-ws.ts", wsOnDeno), { diagnostic: true }),
    server("hono-bun", "peer", "raw-bun", bun("./baselines/hono-bun.ts"), { diagnostic: true }),
    // Node's Fetch (undici) split out: raw ws with it loaded, and the product with it never loaded.
    server("raw-ws-with-fetch", "peer", "raw-ws", node("./baselines/raw-ws.ts", ["--import", here("./baselines/with-fetch.ts")]), { diagnostic: true }),
    server("product-node-without-fetch", "peer", "raw-ws", (extraEnv) => node("../node/main.ts", ["--import", here("./baselines/without-fetch.ts")])({ ...productBenchEnv, ...extraEnv }), { diagnostic: true, env: productBenchEnv }),
  ];
}

/** `servers` by group, in their order: each group is measured on its own, its servers taking turns. */
export function benchGroups(servers: BenchServer[]): BenchServer[][] {
  const groups = new Map<string, BenchServer[]>();
  for (const entry of servers) groups.set(entry.group, [...(groups.get(entry.group) ?? []), entry]);
  return [...groups.values()];
}
