// A rolling restart of two instances sharing one port (REUSE_PORT=1, deploy/multivac-shared@.service),
// under 200 page-like clients and a new visitor every 20 ms, run by deploy/roll-shared.sh with a
// stand-in systemctl, then a burst of new connections while one instance restarts. net.ipv4.tcp_migrate_req belongs to a network namespace, so this program runs in a
// namespace of its own (`unshare --net`, loopback only), sets the sysctl there and reports what the
// clients saw as one JSON line; the namespace, and the setting with it, end with the program.
// Usage: unshare --net node test/support/shared-port-roll.ts <runtime> <tcp_migrate_req 0|1>
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { createServer } from "node:http";
import WebSocket from "ws";
import { freePort } from "../e2e/support/free-port.ts";
import { startInstances } from "./instances.ts";
import { newcomers } from "./newcomers.ts";
import { pageLikeClient, type ClientRecord } from "./page-like-client.ts";
import { systemctlStandIn } from "./systemctl-stand-in.ts";
import { sharedUnitFile, unitEnvironment } from "./systemd-unit.ts";
import { wsUrl } from "./ws-client.ts";

const CLIENTS = 200;
const clientAddresses = ["127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5"];
const BACK_WITHIN_MS = 2000;
const BURST = 150;

/** What the clients saw during the roll, for the test to judge. */
export interface SharedPortRollOutcome {
  rollCode: number | null;
  rollOutput: string;
  rollMs: number;
  /** Reconnects after a 1001 that failed, by status or error. */
  failedReconnects: string[];
  newcomersTried: number;
  newcomersRefused: string[];
  goingAways: number;
  otherCloses: number[];
  worstBackMs: number;
  clientsNeverRestarted: number;
  /** A burst of new connections with one instance stopped in its middle: how many, and each that failed. */
  burstTried: number;
  burstFailed: string[];
}

/**
 * Opens `count` WebSockets to `url` as fast as one event loop can, spread over the client addresses,
 * calling `midway` after two thirds; each that opens is closed. The failures: connections reset or
 * refused, upgrades not answered 101.
 */
async function burst(url: string, count: number, midway: () => void): Promise<string[]> {
  const failed: string[] = [];
  const attempts: Array<Promise<void>> = [];
  for (let index = 0; index < count; index++) {
    attempts.push(
      new Promise<void>((resolve) => {
        const socket = new WebSocket(url, { localAddress: clientAddresses[index % clientAddresses.length] });
        socket.once("open", () => (socket.terminate(), resolve()));
        socket.once("unexpected-response", (_request, response) => (failed.push(String(response.statusCode)), socket.terminate(), resolve()));
        socket.once("error", (error) => (failed.push(error.message), resolve()));
      }),
    );
    if (index === Math.floor((count * 2) / 3)) midway();
    await new Promise((resolve) => setImmediate(resolve));
  }
  await Promise.all(attempts);
  return failed;
}

async function main(runtime: string, migrate: string): Promise<SharedPortRollOutcome> {
  execFileSync("ip", ["link", "set", "lo", "up"]);
  writeFileSync("/proc/sys/net/ipv4/tcp_migrate_req", migrate);
  const port = await freePort();
  const units = ["multivac-shared@1.service", "multivac-shared@2.service"];
  // The unit's environment (the same for every instance but for npm's cache); PORT is the free one.
  const set = await startInstances(runtime, [port, port], { unitEnv: () => unitEnvironment(1, sharedUnitFile) });
  // The stand-in systemctl asks this server to restart an instance (answering once systemd would) and
  // for its MainPID (the process launched for it, which runs the server or is the server's parent).
  const control = createServer((request, response) => {
    const [, action, index] = request.url?.match(/^\/(restart|pid)\/multivac-shared@(\d+)\.service$/) ?? [];
    const instance = Number(index) - 1;
    const answer = action === "restart" ? set.restart(instance).then(() => "restarted") : set.instances[instance]!.server().then((server) => String(server.child.pid));
    answer.then(
      (text) => response.end(`${text}\n`),
      (error: Error) => ((response.statusCode = 500), response.end(error.message)),
    );
  });
  await new Promise<void>((resolve) => control.listen(0, "127.0.0.1", resolve));
  const { port: controlPort } = control.address() as { port: number };
  const curl = `curl --silent --fail --max-time 30 "http://127.0.0.1:${controlPort}`;
  const systemctl = systemctlStandIn(units, { restart: `${curl}/restart/$unit" --request POST`, show: `${curl}/pid/$unit"` }, "roll-shared.sh");
  try {
    const url = wsUrl(`http://127.0.0.1:${port}`, "/echo");
    const clients = Array.from({ length: CLIENTS }, (_, index) => pageLikeClient(url, { localAddress: clientAddresses[index % clientAddresses.length]!, name: `c${index}` }));
    await Promise.all(clients.map((client) => client.ready));
    await new Promise((resolve) => setTimeout(resolve, 1000));

    const startedAt = Date.now();
    let rollDone = false;
    const [rolled, arrivals] = await Promise.all([
      systemctl.roll({ ROLL_WAIT_S: "30" }).finally(() => (rollDone = true)),
      newcomers(url, () => rollDone, { localAddress: "127.0.0.6" }),
    ]);
    const rollMs = Date.now() - startedAt;
    await new Promise((resolve) => setTimeout(resolve, BACK_WITHIN_MS + 500));
    const records: ClientRecord[] = await Promise.all(clients.map((client) => client.stop()));
    // Connections queued on a listener as it closes are what tcp_migrate_req decides about; a burst
    // around a restart makes sure there are some.
    let restarted: Promise<void> = Promise.resolve();
    const burstFailed = await burst(url, BURST, () => (restarted = set.restart(0)));
    await restarted;
    return {
      rollCode: rolled.code,
      rollOutput: rolled.output,
      rollMs,
      failedReconnects: records.flatMap((record) => record.failedAttempts),
      newcomersTried: arrivals.tried,
      newcomersRefused: arrivals.refused,
      goingAways: records.reduce((total, record) => total + record.goingAways, 0),
      otherCloses: records.flatMap((record) => record.otherCloses),
      worstBackMs: Math.max(0, ...records.flatMap((record) => record.backAfterMs)),
      clientsNeverRestarted: records.filter((record) => record.goingAways === 0).length,
      burstTried: BURST,
      burstFailed,
    };
  } finally {
    control.close();
    systemctl.remove();
    await set.stop();
  }
}

const [runtime = "node", migrate = "1"] = process.argv.slice(2);
console.log(JSON.stringify(await main(runtime, migrate)));
// Client sockets and timers that outlived the run would keep the namespace alive.
process.exit(0);
