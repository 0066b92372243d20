// What /proc says about a server's processes (Linux only, like the bench and stress machines):
// memory, CPU time, CPU placement, the tree under a launcher, and who owns a listening socket.
import { readdirSync, readFileSync, readlinkSync } from "node:fs";

/** `read()`, or undefined when it throws: a process or thread may end (or not be ours to read) at any time. */
function attempt<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

const read = (path: string) => attempt(() => readFileSync(path, "utf8"));
/** The numeric entries of a /proc directory (pids, tids, fds). */
const entries = (dir: string) => (attempt(() => readdirSync(dir)) ?? []).filter((name) => /^\d+$/.test(name)).map(Number);

/** Fields of /proc/<pid>/stat after the command name (which is in parentheses and may hold spaces). */
function statFields(pid: number): string[] | undefined {
  const stat = read(`/proc/${pid}/stat`);
  return stat?.slice(stat.lastIndexOf(")") + 2).split(" ");
}

/** VmRSS of `pid` in KiB, or undefined if the process is gone. */
export function rssKiB(pid: number): number | undefined {
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(read(`/proc/${pid}/status`) ?? "");
  return match ? Number(match[1]) : undefined;
}

/** Total VmRSS of `pids` in KiB; undefined when none of them exists any more. */
export function totalRssKiB(pids: number[]): number | undefined {
  const each = pids.map(rssKiB).filter((kib) => kib !== undefined);
  return each.length === 0 ? undefined : each.reduce((sum, kib) => sum + kib, 0);
}

/** Every process under `roots` (themselves included) with its depth and command name: launchers wrap
 * servers (`deno task` starts `deno run`, the Workers launcher starts workerd). */
export function processTree(roots: number[]): { pid: number; depth: number; name: string }[] {
  const table = entries("/proc").flatMap((pid) => {
    const stat = read(`/proc/${pid}/stat`);
    return stat ? [{ pid, parent: Number(statFields(pid)?.[1]), name: stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")) }] : [];
  });
  const tree = (pid: number, depth: number): { pid: number; depth: number; name: string }[] => {
    const entry = table.find((candidate) => candidate.pid === pid);
    return entry ? [{ pid, depth, name: entry.name }, ...table.filter((child) => child.parent === pid).flatMap((child) => tree(child.pid, depth + 1))] : [];
  };
  return roots.flatMap((root) => tree(root, 0));
}

/** The process that holds the sockets: the deepest one under `root` (named `name` if given). */
export function deepestPid(root: number, name?: string): number {
  const candidates = processTree([root]).filter((entry) => !name || entry.name === name);
  return candidates.reduce((deepest, entry) => (entry.depth > deepest.depth ? entry : deepest), { pid: root, depth: -1 }).pid;
}

const ticksPerSecond = 100; // USER_HZ: 100 on every Linux these tools run on (getconf CLK_TCK).

/** CPU time (user + system, all threads) used so far by `pids`, in ms. */
export function cpuMs(pids: number[]): number {
  // utime and stime are fields 14 and 15 of stat, 12 and 13 after the name.
  const ticks = pids.map((pid) => statFields(pid) ?? []).reduce((sum, fields) => sum + Number(fields[11] ?? 0) + Number(fields[12] ?? 0), 0);
  return (ticks * 1000) / ticksPerSecond;
}

/** The CPUs a process or thread may run on, as taskset writes them ("0", "0-1,4"). */
export function allowedCpus(statusPath = "/proc/self/status"): string | undefined {
  return /^Cpus_allowed_list:\s*(\S+)/m.exec(read(statusPath) ?? "")?.[1];
}

/** Each thread of `pids` with the CPUs it may run on. */
export function threadAffinities(pids: number[]): { pid: number; cpus: string }[] {
  return pids.flatMap((pid) => {
    const cpus = entries(`/proc/${pid}/task`).map((tid) => allowedCpus(`/proc/${pid}/task/${tid}/status`));
    return cpus.flatMap((list) => (list ? [{ pid, cpus: list }] : []));
  });
}

// Listening addresses as /proc/net/tcp{,6} print them (hex words in host byte order): a connection to
// 127.0.0.1 reaches a listener on any of the first four, one to ::1 the last two or a wildcard.
const servingIpv4 = ["00000000", "0100007F", "0".repeat(32), "0000000000000000FFFF00000100007F"];
const servingIpv6 = ["0".repeat(32), "00000000000000000000000001000000"];

/** The pids (other than this one) that own the socket listening on `port` for `host`. */
export function listenerPids(host: string, port: number): number[] {
  const serving = new Set(host === "::1" ? servingIpv6 : host === "127.0.0.1" ? servingIpv4 : [...servingIpv4, ...servingIpv6]);
  const sockets = new Set<string>();
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    // Columns: sl local_address rem_address st ... inode; state 0A is LISTEN.
    for (const line of (read(table) ?? "").split("\n").slice(1)) {
      const [, local = "", , state, , , , , , inode = "0"] = line.trim().split(/\s+/);
      const [address = "", hexPort = ""] = local.split(":");
      if (state === "0A" && Number.parseInt(hexPort, 16) === port && serving.has(address) && inode !== "0") sockets.add(`socket:[${inode}]`);
    }
  }
  if (sockets.size === 0) return [];
  const holds = (pid: number) => entries(`/proc/${pid}/fd`).some((fd) => sockets.has(attempt(() => readlinkSync(`/proc/${pid}/fd/${fd}`)) ?? ""));
  return entries("/proc").filter((pid) => pid !== process.pid && holds(pid));
}
