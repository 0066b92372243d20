// The Node load generator (the `ws` client): idle and handshake runs, and echo runs where the C
// generator (bench/generator-c/) cannot be built. One process per measurement, spawned by
// bench/generator.ts, so its CPU is its own and not the runner's.
// Usage: node bench/load.ts '<LoadPlan as JSON>'. Prints JSON lines.
import type { LoadPlan, LoadResult } from "./plan.ts";
import { runEcho } from "./load/echo.ts";
import { runHandshakes } from "./load/handshake.ts";
import { runIdle } from "./load/idle.ts";

const plan = JSON.parse(process.argv[2] ?? "null") as LoadPlan | null;
if (!plan) {
  console.error("usage: node bench/load.ts '<plan as JSON>'");
  process.exit(2);
}

// Whatever happens to the server, the generator stops by itself.
const hardLimitMs = (plan.mode === "idle" ? plan.holdMs : plan.durationMs + (plan.mode === "echo" ? plan.warmupMs : 0)) + 60_000;
setTimeout(() => {
  console.error(`load generator: no result after ${hardLimitMs} ms, giving up`);
  process.exit(3);
}, hardLimitMs).unref();

const print = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);

let result: LoadResult;
if (plan.mode === "echo") result = await runEcho(plan, print);
else if (plan.mode === "handshake") result = await runHandshakes(plan);
else result = await runIdle(plan, print);
print(result);
// Sockets are dropped, not awaited: exit now rather than when the last one has gone.
process.exit(0);
