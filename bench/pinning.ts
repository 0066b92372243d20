// Server and generator on separate cores, or one's figure is the other's load. Servers come from
// launchers we do not own, so the runner moves to the server's CPU while it spawns one, and all it starts inherits the mask.
import { execFileSync } from "node:child_process";
import { allowedCpus, processTree, threadAffinities } from "../test/support/processes.ts";

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

/** Pins the runner (all its threads) to the generator's CPU, or says why the run goes unpinned. */
export function setUpPinning(wanted: boolean): Pinning {
  if (!wanted) return { enabled: false, reason: "--unpinned" };
  // "0-3,6" -> [0, 1, 2, 3, 6]: a container may allow fewer CPUs than the machine has.
  const [generatorCpu, serverCpu] = (allowedCpus() ?? "").split(",").flatMap((range) => {
    const [first, last = first] = range.split("-").map(Number);
    return first === undefined || Number.isNaN(first) ? [] : Array.from({ length: last! - first + 1 }, (_, index) => first + index);
  });
  if (generatorCpu === undefined || serverCpu === undefined) return { enabled: false, reason: "one CPU allowed: nothing to separate" };
  try {
    taskset(["-a", "-p", "-c", String(generatorCpu), String(process.pid)]);
  } catch (error) {
    const { code, stderr } = error as { code?: string; stderr?: Buffer };
    return { enabled: false, reason: code === "ENOENT" ? "taskset not found (util-linux)" : `taskset failed: ${(stderr?.toString().trim() || String(error)).split("\n")[0]}` };
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
  const threads = threadAffinities(processTree([root]).map((entry) => entry.pid));
  const strays = threads.filter((thread) => thread.cpus !== String(placement.cpu));
  placement.repinned += strays.length;
  placement.threads = threads.length;
  for (const pid of new Set(strays.map((thread) => thread.pid))) {
    try {
      taskset(["-a", "-p", "-c", String(placement.cpu), String(pid)]);
    } catch {
      // The process ended in between; the measurement will say so.
    }
  }
}

/** One line for the output: where servers and generators run. */
export function describePinning(pinning: Pinning): string {
  return pinning.enabled
    ? `pinning: servers on CPU ${pinning.serverCpu}, runner and load generators on CPU ${pinning.generatorCpu} (taskset)`
    : `pinning: OFF (${pinning.reason}); servers and generators share the CPUs, so each one's figures include the other's load`;
}
