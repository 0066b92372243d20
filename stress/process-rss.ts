// Resident memory of the server, from /proc/<pid>/status (VmRSS), optionally summed over the
// process's descendants: a launcher such as local workerd's may hold memory in a child that is not
// the process listening on the port.
import { readdirSync, readFileSync } from "node:fs";
import { rssKiB } from "../bench/rss.ts";

/** `roots` and every process below them. */
export function withDescendants(roots: number[]): number[] {
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // The command name sits in parentheses and may contain spaces; the parent pid follows the state.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      parentOf.set(Number(entry), Number(fields[1]));
    } catch {
      // ended while the table was being read
    }
  }
  const found = new Set(roots);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, parent] of parentOf) {
      if (found.has(parent) && !found.has(pid)) {
        found.add(pid);
        grew = true;
      }
    }
  }
  return [...found];
}

/** Total VmRSS of `pids` in KiB; undefined when none of them exists any more. */
export function totalRssKiB(pids: number[]): number | undefined {
  let total: number | undefined;
  for (const pid of pids) {
    const kib = rssKiB(pid);
    if (kib !== undefined) total = (total ?? 0) + kib;
  }
  return total;
}
