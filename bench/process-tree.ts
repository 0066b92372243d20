// A server's processes and threads, read from /proc (Linux only, like the bench machine). Launchers
// wrap servers (`deno task` starts `deno run`; the Workers launcher is a Node process that starts
// workerd), so what the bench pins and times is the whole tree under the launched process.
import { readdirSync, readFileSync } from "node:fs";

interface ProcessEntry {
  pid: number;
  parent: number;
  name: string;
}

/** Fields of /proc/<pid>/stat after the command name (which is in parentheses and may hold spaces). */
function statFields(stat: string): string[] {
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
}

function processTable(): ProcessEntry[] {
  const entries: ProcessEntry[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      entries.push({ pid: Number(name), parent: Number(statFields(stat)[1]), name: stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")) });
    } catch {
      // The process ended while the table was read.
    }
  }
  return entries;
}

/** Every process under `root` (itself included) with its depth below it. */
function treeOf(root: number): { entry: ProcessEntry; depth: number }[] {
  const table = processTable();
  const depth = new Map([[root, 0]]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const entry of table) {
      const parentDepth = depth.get(entry.parent);
      if (parentDepth !== undefined && !depth.has(entry.pid)) {
        depth.set(entry.pid, parentDepth + 1);
        grew = true;
      }
    }
  }
  return table.flatMap((entry) => (depth.has(entry.pid) ? [{ entry, depth: depth.get(entry.pid)! }] : []));
}

/** The pids of the tree under `root`, `root` first. */
export function treePids(root: number): number[] {
  return [root, ...treeOf(root).map(({ entry }) => entry.pid).filter((pid) => pid !== root)];
}

/**
 * The process whose memory is the server's: the deepest process in the tree under `root` (named
 * `name` if given), the innermost one, which holds the sockets.
 */
export function deepestPid(root: number, name?: string): number {
  let chosen = root;
  let chosenDepth = -1;
  for (const { entry, depth } of treeOf(root)) {
    if (name && entry.name !== name) continue;
    if (depth > chosenDepth) {
      chosen = entry.pid;
      chosenDepth = depth;
    }
  }
  return chosen;
}

const ticksPerSecond = 100; // USER_HZ: 100 on every Linux the bench runs on (getconf CLK_TCK).

/** CPU time (user + system, all threads) used so far by the processes of the tree, in ms. */
export function treeCpuMs(pids: number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const fields = statFields(readFileSync(`/proc/${pid}/stat`, "utf8"));
      // utime and stime are fields 14 and 15 of stat, 12 and 13 after the name.
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // Gone: its time is lost with it (a launcher does not exit while its server runs).
    }
  }
  return (ticks * 1000) / ticksPerSecond;
}

/** Each thread of the tree with the CPUs it may run on (Cpus_allowed_list, as taskset writes it). */
export function threadAffinities(pids: number[]): { pid: number; tid: number; cpus: string }[] {
  const threads: { pid: number; tid: number; cpus: string }[] = [];
  for (const pid of pids) {
    let tids: string[] = [];
    try {
      tids = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const tid of tids) {
      try {
        const match = /^Cpus_allowed_list:\s*(\S+)/m.exec(readFileSync(`/proc/${pid}/task/${tid}/status`, "utf8"));
        if (match) threads.push({ pid, tid: Number(tid), cpus: match[1]! });
      } catch {
        // The thread ended while it was read.
      }
    }
  }
  return threads;
}
