// A rolling restart behind the shipped nginx, under load: 200 page-like clients through nginx while
// deploy/roll.sh restarts the two instances one at a time. systemd cannot run here, so the script runs
// with a stand-in `systemctl` on PATH that lists the instances and, for `restart`, does what systemd
// does (SIGTERM, wait for the exit, start again); the script's own /healthz wait is the real one.
import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deployInstances, type Deployment } from "../support/instances.ts";
import { newcomers } from "../support/newcomers.ts";
import { runtimeUnderTest } from "../support/own-server.ts";
import { pageLikeClient, type ClientRecord } from "../support/page-like-client.ts";
import { portUnits, systemctlStandIn, type SystemctlStandIn } from "../support/systemctl-stand-in.ts";
import { makeTestCertificate, type TestCertificate } from "../support/test-certificate.ts";
import { wsUrl } from "../support/ws-client.ts";

const CLIENTS = 200;
// Four client addresses, so that nginx's per-address limit (100) is not what is being tested here.
const clientAddresses = ["127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5"];
const BACK_WITHIN_MS = 2000;

let certificate: TestCertificate;
let deployment: Deployment;
let control: Server;
let systemctl: SystemctlStandIn;

beforeAll(async () => {
  certificate = makeTestCertificate();
  deployment = await deployInstances(runtimeUnderTest(), 2, certificate);
  // The stand-in systemctl asks this server to restart an instance; it answers once systemd would.
  control = createServer((request, response) => {
    const port = Number(request.url?.match(/^\/restart\/multivac@(\d+)\.service$/)?.[1]);
    deployment.restart(port).then(
      () => response.end("restarted\n"),
      (error: Error) => (response.statusCode = 500, response.end(error.message)),
    );
  });
  await new Promise<void>((resolve) => control.listen(0, "127.0.0.1", resolve));
  const { port: controlPort } = control.address() as { port: number };
  systemctl = systemctlStandIn(portUnits(deployment.instances.map(({ port }) => port)), {
    restart: `curl --silent --fail --max-time 30 --request POST "http://127.0.0.1:${controlPort}/restart/$unit"`,
  });
});
afterAll(async () => {
  control?.close();
  await deployment?.stop();
  certificate?.remove();
  systemctl?.remove();
});

describe("a rolling restart of two instances behind deploy/nginx.conf", () => {
  it(`keeps ${CLIENTS} clients served: each reconnect succeeds at once, each client is answered again within ${BACK_WITHIN_MS} ms`, { timeout: 90_000 }, async () => {
    const url = wsUrl(deployment.nginx.baseUrl, "/echo");
    const clients = Array.from({ length: CLIENTS }, (_, index) =>
      pageLikeClient(url, { ca: certificate.certPem, localAddress: clientAddresses[index % clientAddresses.length]!, name: `c${index}` }),
    );
    await Promise.all(clients.map((client) => client.ready));
    await new Promise((resolve) => setTimeout(resolve, 1000));

    const startedAt = Date.now();
    let rollDone = false;
    const [rolled, { refused: newcomersRefused }] = await Promise.all([systemctl.roll({ ROLL_WAIT_S: "30" }).finally(() => (rollDone = true)), newcomers(url, () => rollDone, { ca: certificate.certPem, localAddress: "127.0.0.6" })]);
    const rollMs = Date.now() - startedAt;
    // The last clients closed by the second instance reconnect within a second; give them the full bound.
    await new Promise((resolve) => setTimeout(resolve, BACK_WITHIN_MS + 500));
    const records: ClientRecord[] = await Promise.all(clients.map((client) => client.stop()));

    const sum = (pick: (record: ClientRecord) => number) => records.reduce((total, record) => total + pick(record), 0);
    const backTimes = records.flatMap((record) => record.backAfterMs);
    const failed = records.flatMap((record) => record.failedAttempts);
    const worstBackMs = Math.max(...backTimes);
    // Shown only when an assertion fails: the figures of one run belong to no passing test's output.
    const run =
      `roll of 2 instances under ${CLIENTS} clients took ${rollMs} ms; ${sum((r) => r.goingAways)} reconnects after 1001, ` +
      `${failed.length} failed attempts, worst time back ${Math.round(worstBackMs)} ms; ${sum((r) => r.unansweredAtClose)} of ${sum((r) => r.sent)} ` +
      `messages crossed a close unanswered (to send again); ${newcomersRefused.length} new visitors refused`;

    expect(rolled.code, rolled.output).toBe(0);
    expect(rolled.output.match(/is back/g)).toHaveLength(2);
    expect(failed, run).toEqual([]);
    expect(newcomersRefused, run).toEqual([]);
    expect(records.flatMap((record) => record.otherCloses)).toEqual([]);
    // Every client was on one of the two instances, so each was restarted away at least once.
    for (const record of records) expect(record.goingAways).toBeGreaterThanOrEqual(1);
    expect(backTimes).toHaveLength(sum((r) => r.goingAways));
    expect(worstBackMs, run).toBeLessThan(BACK_WITHIN_MS);
  });
});
