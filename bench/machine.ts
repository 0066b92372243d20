// The machine and the versions the figures come from, for the results file and the docs.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { cpus, loadavg, release, totalmem } from "node:os";
import { fileURLToPath } from "node:url";

const inRepo = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url));

function versionOf(read: () => string): string | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}
/** The first line of `command --version` (the compiler the load generator is built with, too), if it runs. */
export const commandVersion = (command: string) =>
  versionOf(() => execFileSync(command, ["--version"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], timeout: 10_000 }).split("\n")[0]!.trim());
const packageVersion = (name: string) => versionOf(() => (JSON.parse(readFileSync(inRepo(`node_modules/${name}/package.json`), "utf8")) as { version: string }).version) ?? "absent";
const binaryVersion = (path: string) => commandVersion(inRepo(path)) ?? "absent";

/** Load averages (1, 5, 15 min) rounded to two decimals. */
export const loadNow = (): number[] => loadavg().map((value) => Math.round(value * 100) / 100);

/** Cores, memory, kernel and runtime versions; `loadAfter` is filled in at the end of the run. */
export function describeMachine() {
  return {
    cpuModel: cpus()[0]?.model ?? "unknown",
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    kernel: release(),
    loadBefore: loadNow(),
    loadAfter: [] as number[],
    versions: {
      node: process.version,
      deno: binaryVersion("node_modules/deno/deno"),
      bun: binaryVersion("node_modules/bun/bin/bun.exe"),
      ...Object.fromEntries(["workerd", "ws", "hono", "crossws"].map((name) => [name, packageVersion(name)])),
    } as Record<string, string>,
  };
}
