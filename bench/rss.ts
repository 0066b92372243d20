// Resident memory of a server process, read from /proc (Linux only, like the bench machine).
import { readFileSync } from "node:fs";

/** VmRSS of `pid` in KiB, or undefined if the process is gone. */
export function rssKiB(pid: number): number | undefined {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** The soft limit on open files of this process (inherited by the generators it spawns). */
export function openFileLimit(): number {
  const match = /^Max open files\s+(\d+|unlimited)/m.exec(readFileSync("/proc/self/limits", "utf8"));
  return !match || match[1] === "unlimited" ? Number.MAX_SAFE_INTEGER : Number(match[1]);
}
