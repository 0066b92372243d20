// Every server the bench measures, in the order they take turns. A product entry is a runtime of the
// test launcher table (test/support/runtimes.ts) plus the baseline it is judged against; a runtime
// without a launcher yet is skipped, so "product on Bun" appears as soon as its launcher lands.
// Beside them, for information: raw Deno's native stack, and crossws (another project's
// cross-runtime layer) on each runtime, in the group of that runtime's baseline.
import { fileURLToPath } from "node:url";
import { startRuntime } from "../test/support/runtimes.ts";
import { startServerProcess, type ServerProcess } from "../test/support/server-process.ts";

/** A server under test. */
export interface BenchServer {
  name: string;
  kind: "product" | "baseline" | "peer";
  /** For products and peers: the baseline measured in the same run that its ratios are taken against. */
  baseline?: string;
  /** The baseline whose group the server takes turns in (bench/take-turns.ts); a baseline's own name. */
  group: string;
  /** False where the ratio is for information only (workerd has no raw counterpart; peers). */
  judged: boolean;
  /** The process whose RSS is the server's, when it is not the launched process itself. */
  rssProcessName?: string;
  /** Measured only when named in --only (servers that explain a figure rather than set a target). */
  diagnostic?: boolean;
  /** What the bench sets in the server's environment beyond --env (for the results file). */
  env?: Record<string, string>;
  start(extraEnv: Record<string, string>): Promise<ServerProcess>;
}

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const repoRoot = here("..");
const denoBinary = `${repoRoot}node_modules/deno/deno`;
const bunBinary = `${repoRoot}node_modules/bun/bin/bun.exe`;

/**
 * Limits that would measure themselves instead of the server: no rate limit, no idle timeout, room
 * for 10,000 idle sockets, 64 KiB messages allowed, and no per-connection info log lines.
 */
export const productBenchEnv: Record<string, string> = {
  RATE_LIMIT: "0",
  IDLE_TIMEOUT_S: "0",
  MAX_CONNECTIONS: "20000",
  // Every bench connection comes from 127.0.0.1-8: 1000 echo and 10,000 idle sockets are far over 100 each.
  MAX_CONNECTIONS_PER_IP: "0",
  MAX_MESSAGE_BYTES: String(1024 * 1024),
  LOG_LEVEL: "warn",
};

// Exactly what raw-ws.ts reads under Deno: ws reads the first two when it is imported.
const rawWsDenoEnv = "--allow-env=WS_NO_BUFFER_UTIL,WS_NO_UTF_8_VALIDATE,PORT,HOST";
// A cold Deno cache downloads npm packages on the first start, as the product's Deno launcher allows for.
const DENO_START_TIMEOUT_MS = 120_000;

/** A product runtime: its launcher name, its baseline, and what the bench adds to launch it. */
interface ProductEntry {
  runtime: string;
  baseline: string;
  judged: boolean;
  rssProcessName?: string;
  launchEnv?: Record<string, string>;
}

const products: ProductEntry[] = [
  // Every product runs at LOG_LEVEL=warn (above); its `listen` line is written at every level.
  { runtime: "node", baseline: "raw-ws", judged: true },
  // Deno serves with node:http + ws, so its baseline is raw ws run by Deno (docs/runtimes.md#deno).
  { runtime: "deno", baseline: "raw-ws-deno", judged: true },
  // The Workers launcher prints its own listen line.
  // Workers' send budget holds a connection's replies to MAX_BUFFERED_BYTES a second (it cannot see its
  // real buffer; docs/security.md#slow-readers-on-workers): a limit like RATE_LIMIT, so the bench lifts it as it
  // lifts that, and measures workerd's speed.
  { runtime: "workers", baseline: "raw-ws", judged: false, rssProcessName: "workerd", launchEnv: { MAX_BUFFERED_BYTES: String(1024 * 1024 * 1024) } },
  { runtime: "bun", baseline: "raw-bun", judged: true },
];

const baselines: Record<string, BenchServer> = {
  "raw-ws": baseline("raw-ws", (env) => startServerProcess(process.execPath, [here("./baselines/raw-ws.ts")], { env })),
  // The same file run by Deno, and ws from Deno's own npm cache (deno.json's pin) like the product's task.
  "raw-ws-deno": baseline("raw-ws-deno", (env) =>
    startServerProcess(denoBinary, ["run", "--node-modules-dir=none", "--allow-net", rawWsDenoEnv, here("./baselines/raw-ws.ts")], { env, startTimeoutMs: DENO_START_TIMEOUT_MS }),
  ),
  "raw-bun": baseline("raw-bun", (env) => startServerProcess(bunBinary, [here("./baselines/raw-bun.ts")], { env })),
};

/** Measured in a group for comparison, judged on nothing: figures beside the baseline, not targets. */
const comparisons: BenchServer[] = [
  // Deno's native stack (Deno.serve + Deno.upgradeWebSocket), which the product left for ws.
  { ...baseline("raw-deno", (env) => startServerProcess(denoBinary, ["run", "--allow-net", "--allow-env=PORT,HOST", here("./baselines/raw-deno.ts")], { env })), group: "raw-ws-deno" },
  peer("crossws-node", "raw-ws", (env) => startServerProcess(process.execPath, [here("./baselines/crossws-node.ts")], { env })),
  // crossws from node_modules (deno.json's "manual" node_modules mode): the package.json pin.
  peer("crossws-deno", "raw-ws-deno", (env) =>
    startServerProcess(denoBinary, ["run", "--allow-net", "--allow-env=PORT,HOST", here("./baselines/crossws-deno.ts")], { env, startTimeoutMs: DENO_START_TIMEOUT_MS }),
  ),
  peer("crossws-bun", "raw-bun", (env) => startServerProcess(bunBinary, [here("./baselines/crossws-bun.ts")], { env })),
];

/** Servers that split an overhead into its parts, for profiling. */
const diagnostics: BenchServer[] = [
  { ...baseline("hono-node", (env) => startServerProcess(process.execPath, [here("./baselines/hono-node.ts")], { env })), group: "raw-ws", diagnostic: true },
  { ...baseline("hono-bun", (env) => startServerProcess(bunBinary, [here("./baselines/hono-bun.ts")], { env })), group: "raw-bun", diagnostic: true },
];

function baseline(name: string, start: BenchServer["start"]): BenchServer {
  return { name, kind: "baseline", group: name, judged: false, start };
}

function peer(name: string, baselineName: string, start: BenchServer["start"]): BenchServer {
  return { name, kind: "peer", baseline: baselineName, group: baselineName, judged: false, start };
}

function product(entry: ProductEntry): BenchServer {
  return {
    name: `product-${entry.runtime}`,
    kind: "product",
    baseline: entry.baseline,
    group: entry.baseline,
    judged: entry.judged,
    rssProcessName: entry.rssProcessName,
    env: { ...productBenchEnv, ...entry.launchEnv },
    start: (extraEnv) => startRuntime(entry.runtime, { env: { ...productBenchEnv, ...entry.launchEnv, ...extraEnv } }),
  };
}

/** True when `error` says the launcher table has no such runtime (yet). */
export function isMissingLauncher(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith("no launcher for runtime");
}

/** `servers` by group, in their order: each group is measured on its own, its servers taking turns. */
export function benchGroups(servers: BenchServer[]): BenchServer[][] {
  const groups = new Map<string, BenchServer[]>();
  for (const server of servers) groups.set(server.group, [...(groups.get(server.group) ?? []), server]);
  return [...groups.values()];
}

/** Baselines and products interleaved, each baseline just before the first product it serves; then comparisons; diagnostics last. */
export function benchServers(): BenchServer[] {
  const order: BenchServer[] = [];
  const add = (server: BenchServer | undefined) => {
    if (server && !order.includes(server)) order.push(server);
  };
  for (const entry of products) {
    add(baselines[entry.baseline]);
    add(product(entry));
  }
  for (const server of Object.values(baselines)) add(server);
  for (const server of comparisons) add(server);
  for (const server of diagnostics) add(server);
  return order;
}
