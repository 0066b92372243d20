// Which process is the server? The tool is given a URL, not a pid, so it asks the kernel who owns
// the listening socket: /proc/net/tcp{,6} map the port to the socket's inode, and each process's
// /proc/<pid>/fd links name the inodes it holds (`socket:[12345]`). Linux only.
import { readdirSync, readFileSync, readlinkSync } from "node:fs";

const tcpListenState = "0A";

// Local addresses as /proc/net prints them (hex, each 32-bit word in host byte order, little-endian here).
const ipv4Any = "00000000";
const ipv4Loopback = "0100007F";
const ipv6Any = "0".repeat(32);
const ipv6Loopback = "00000000000000000000000001000000";
const ipv4MappedLoopback = "0000000000000000FFFF00000100007F";

/** Which listening addresses accept a connection made to `host` (a wildcard listener does too). */
function addressesServing(host: string): Set<string> {
  const forIpv4 = [ipv4Any, ipv4Loopback, ipv6Any, ipv4MappedLoopback];
  const forIpv6 = [ipv6Any, ipv6Loopback];
  if (host === "::1") return new Set(forIpv6);
  if (host === "127.0.0.1") return new Set(forIpv4);
  return new Set([...forIpv4, ...forIpv6]);
}

/** Inodes of the sockets in LISTEN state on `port` that a connection to `host` can reach. */
export function listeningInodes(host: string, port: number): Set<string> {
  const serving = addressesServing(host);
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
      const [address = "", hexPort = ""] = local.split(":");
      if (Number.parseInt(hexPort, 16) === port && serving.has(address) && inode !== "0") inodes.add(inode);
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

/** The pids of whatever listens on `port` for `host`, or an empty list when none can be seen. */
export function listenerPids(host: string, port: number): number[] {
  const inodes = listeningInodes(host, port);
  return inodes.size === 0 ? [] : pidsHolding(inodes);
}
