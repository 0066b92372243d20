// Which process is the server? The tool is given a URL, not a pid, so it asks the kernel who owns
// the listening socket: /proc/net/tcp{,6} map the port to the socket's inode, and each process's
// /proc/<pid>/fd links name the inodes it holds (`socket:[12345]`). Linux only.
import { readdirSync, readFileSync, readlinkSync } from "node:fs";

const tcpListenState = "0A";

/** Inodes of the sockets in LISTEN state on `port`, any local address (0.0.0.0 and :: serve loopback too). */
export function listeningInodes(port: number): Set<string> {
  const inodes = new Set<string>();
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text: string;
    try {
      text = readFileSync(table, "utf8");
    } catch {
      continue;
    }
    // Columns: sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ...
    for (const line of text.split("\n").slice(1)) {
      const fields = line.trim().split(/\s+/);
      const local = fields[1];
      const inode = fields[9];
      if (!local || !inode || fields[3] !== tcpListenState) continue;
      const localPort = Number.parseInt(local.slice(local.lastIndexOf(":") + 1), 16);
      if (localPort === port && inode !== "0") inodes.add(inode);
    }
  }
  return inodes;
}

/** Pids (other than this one) holding any of `inodes` open, in ascending order. */
export function pidsHolding(inodes: Set<string>): number[] {
  const wanted = new Set([...inodes].map((inode) => `socket:[${inode}]`));
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${entry}/fd`);
    } catch {
      continue; // ended meanwhile, or not ours to read
    }
    for (const fd of fds) {
      let link: string;
      try {
        link = readlinkSync(`/proc/${entry}/fd/${fd}`);
      } catch {
        continue;
      }
      if (wanted.has(link)) {
        pids.push(Number(entry));
        break;
      }
    }
  }
  return pids;
}

/** The pids of whatever listens on `port`, or an empty list when none can be seen. */
export function listenerPids(port: number): number[] {
  const inodes = listeningInodes(port);
  return inodes.size === 0 ? [] : pidsHolding(inodes);
}
