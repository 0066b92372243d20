// The machine and the versions the figures come from, for the JSON file and docs/benchmarks.md.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { cpus, loadavg, release, totalmem } from "node:os";
import { fileURLToPath } from "node:url";
import type { Machine } from "./results.ts";

const repoRoot = fileURLToPath(new URL("..", import.meta.url));

function packageVersion(name: string): string {
  try {
    return (JSON.parse(readFileSync(`${repoRoot}node_modules/${name}/package.json`, "utf8")) as { version: string }).version;
  } catch {
    return "absent";
  }
}

function binaryVersion(path: string): string {
  try {
    return execFileSync(path, ["--version"], { encoding: "utf8", timeout: 10_000 }).split("\n")[0]!.trim();
  } catch {
    return "absent";
  }
}

/** Load averages (1, 5, 15 min) rounded to two decimals. */
export function loadNow(): number[] {
  return loadavg().map((value) => Math.round(value * 100) / 100);
}

/** Cores, memory, kernel and runtime versions; `loadAfter` is filled in at the end of the run. */
export function describeMachine(): Machine {
  return {
    cpuModel: cpus()[0]?.model ?? "unknown",
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    kernel: release(),
    loadBefore: loadNow(),
    loadAfter: [],
    versions: {
      node: process.version,
      deno: binaryVersion(`${repoRoot}node_modules/deno/deno`),
      bun: binaryVersion(`${repoRoot}node_modules/bun/bin/bun.exe`),
      workerd: packageVersion("workerd"),
      ws: packageVersion("ws"),
      hono: packageVersion("hono"),
      "@hono/node-server": packageVersion("@hono/node-server"),
      crossws: packageVersion("crossws"),
    },
  };
}
