// Resident memory of a server process, read from /proc (Linux only, like the bench machine).
import { readdirSync, readFileSync } from "node:fs";

/** VmRSS of `pid` in KiB, or undefined if the process is gone. */
export function rssKiB(pid: number): number | undefined {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

interface ProcessEntry {
  pid: number;
  parent: number;
  name: string;
}

function processTable(): ProcessEntry[] {
  const entries: ProcessEntry[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      // The command name is in parentheses and may hold spaces; fields after it are plain.
      const close = stat.lastIndexOf(")");
      const fields = stat.slice(close + 2).split(" ");
      entries.push({ pid: Number(name), parent: Number(fields[1]), name: stat.slice(stat.indexOf("(") + 1, close) });
    } catch {
      // The process ended while the table was read.
    }
  }
  return entries;
}

/**
 * The process whose memory is the server's: the deepest process in the tree under `root` (named
 * `name` if given). Launchers wrap servers: `deno task` starts `deno run`, and the Workers launcher
 * is a Node process that starts workerd; the innermost process is the one holding the sockets.
 */
export function serverPid(root: number, name?: string): number {
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
  let chosen = root;
  let chosenDepth = -1;
  for (const entry of table) {
    const entryDepth = depth.get(entry.pid);
    if (entryDepth === undefined || (name && entry.name !== name)) continue;
    if (entryDepth > chosenDepth) {
      chosen = entry.pid;
      chosenDepth = entryDepth;
    }
  }
  return chosen;
}

/** The soft limit on open files of this process (inherited by the generators it spawns). */
export function openFileLimit(): number {
  const match = /^Max open files\s+(\d+|unlimited)/m.exec(readFileSync("/proc/self/limits", "utf8"));
  return !match || match[1] === "unlimited" ? Number.MAX_SAFE_INTEGER : Number(match[1]);
}
