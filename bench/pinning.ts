// Server and load generator on separate cores: with both on any CPU, the scheduler lets a busy
// server and a busy generator take turns on the same core, and one's figure is the other's load.
// The runner and every generator it spawns stay on the first CPU the runner may use (CPU 0 on the
// bench machine); each server goes to the second (CPU 1). Servers are started by launchers the bench
// does not own (test/support/), so a server is pinned by inheritance: the runner's main thread moves
// to the server's CPU just while it spawns the process, and whatever the process starts later
// (threads, `deno task`'s `deno run`, workerd) inherits the mask. Each thread is checked in /proc
// before every measurement and pinned again with taskset if it moved.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { threadAffinities, treePids } from "./process-tree.ts";

/** How the run places its processes, as the results file records it. */
export interface Pinning {
  enabled: boolean;
  serverCpu?: number;
  generatorCpu?: number;
  /** Why pinning is off (no taskset, one CPU, taskset refused, --unpinned). */
  reason?: string;
}

/** A server's placement, checked before each of its measurements. */
export interface ServerPinning {
  cpu: number;
  /** Threads found on another CPU and pinned again (a runtime that sets its own affinity). */
  repinned: number;
  /** Threads seen at the last check. */
  threads: number;
}

function taskset(args: string[]): void {
  execFileSync("taskset", args, { stdio: ["ignore", "ignore", "pipe"], timeout: 10_000 });
}

/** The CPUs this process may use (a container may allow fewer than the machine has), from "0-3,6". */
function allowedCpus(): number[] {
  const list = /^Cpus_allowed_list:\s*(\S+)/m.exec(readFileSync("/proc/self/status", "utf8"))?.[1] ?? "";
  return list.split(",").flatMap((range) => {
    const [first, last = first] = range.split("-").map(Number);
    return first === undefined || Number.isNaN(first) ? [] : Array.from({ length: last! - first + 1 }, (_, index) => first + index);
  });
}

/** Pins the runner (all its threads) to the generator's CPU, or says why the run goes unpinned. */
export function setUpPinning(wanted: boolean): Pinning {
  if (!wanted) return { enabled: false, reason: "--unpinned" };
  const [generatorCpu, serverCpu] = allowedCpus();
  if (generatorCpu === undefined || serverCpu === undefined) return { enabled: false, reason: "one CPU allowed: nothing to separate" };
  try {
    taskset(["-a", "-p", "-c", String(generatorCpu), String(process.pid)]);
  } catch (error) {
    const code = (error as { code?: string }).code;
    const detail = code === "ENOENT" ? "taskset not found (util-linux)" : `taskset failed: ${((error as { stderr?: Buffer }).stderr?.toString().trim() || String(error)).split("\n")[0]}`;
    return { enabled: false, reason: detail };
  }
  return { enabled: true, serverCpu, generatorCpu };
}

/** Calls `spawnServer` with the runner's main thread on the server's CPU, so the spawned process starts there. */
export function spawnOnServerCpu<T>(pinning: Pinning, spawnServer: () => T): T {
  if (!pinning.enabled) return spawnServer();
  // Without -a: only the main thread (tid = pid), which is the one that forks.
  taskset(["-p", "-c", String(pinning.serverCpu), String(process.pid)]);
  try {
    return spawnServer();
  } finally {
    taskset(["-p", "-c", String(pinning.generatorCpu), String(process.pid)]);
  }
}

/** Checks every thread of the tree under `root`; one on another CPU is pinned again, with its process. */
export function keepOnServerCpu(root: number, placement: ServerPinning): void {
  const pids = treePids(root);
  const strays = new Set<number>();
  const threads = threadAffinities(pids);
  for (const thread of threads) {
    if (thread.cpus !== String(placement.cpu)) strays.add(thread.pid);
  }
  for (const pid of strays) {
    placement.repinned += threads.filter((thread) => thread.pid === pid && thread.cpus !== String(placement.cpu)).length;
    try {
      taskset(["-a", "-p", "-c", String(placement.cpu), String(pid)]);
    } catch {
      // The process ended in between; the measurement will say so.
    }
  }
  placement.threads = threads.length;
}

/** One line for the output: where servers and generators run. */
export function describePinning(pinning: Pinning): string {
  return pinning.enabled
    ? `pinning: servers on CPU ${pinning.serverCpu}, runner and load generators on CPU ${pinning.generatorCpu} (taskset)`
    : `pinning: OFF (${pinning.reason}); servers and generators share the CPUs, so each one's figures include the other's load`;
}
