// Several instances behind the shipped nginx (deploy/nginx.conf, deploy/multivac@.service): nginx's
// least_conn spreads new WebSockets over them, each instance's /metrics and /healthz speak for that
// instance alone, and nginx's per-address limit counts one client's connections over all of them.
import { readFileSync } from "node:fs";
import { request } from "node:https";
import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deployInstances, type Deployment } from "../support/instances.ts";
import { scrapeMetrics } from "../support/metrics-scrape.ts";
import { runtimeUnderTest } from "../support/own-server.ts";
import { makeTestCertificate, type TestCertificate } from "../support/test-certificate.ts";
import { wsUrl } from "../support/ws-client.ts";

/** The per-address limit as shipped in deploy/nginx.conf. */
const perAddressLimit = Number(readFileSync(new URL("../../deploy/nginx.conf", import.meta.url), "utf8").match(/limit_conn multivac_per_address (\d+);/)?.[1]);

let certificate: TestCertificate;
let deployment: Deployment;
beforeAll(async () => {
  certificate = makeTestCertificate();
  deployment = await deployInstances(runtimeUnderTest(), 2, certificate);
});
afterAll(async () => {
  await deployment?.stop();
  certificate?.remove();
});

/** Opens /echo through nginx from `localAddress`: the open socket, or the refusal's status, headers and body. */
function connect(localAddress: string): Promise<WebSocket | { status: number; retryAfter: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(wsUrl(deployment.nginx.baseUrl, "/echo"), { localAddress, ca: certificate.certPem });
    socket.once("open", () => resolve(socket));
    socket.once("unexpected-response", (_request, response) => {
      let body = "";
      response.on("data", (chunk: Buffer) => (body += chunk.toString()));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, retryAfter: response.headers["retry-after"], body }));
    });
    socket.once("error", reject);
  });
}

/** Opens `count` WebSockets from each address, 20 at a time. */
async function openMany(addresses: string[], count: number): Promise<WebSocket[]> {
  const sockets: WebSocket[] = [];
  for (const address of addresses) {
    for (let opened = 0; opened < count; opened += 20) {
      const batch = await Promise.all(Array.from({ length: Math.min(20, count - opened) }, () => connect(address)));
      for (const socket of batch) {
        if (!(socket instanceof WebSocket)) throw new Error(`refused: ${JSON.stringify(socket)}`);
        sockets.push(socket);
      }
    }
  }
  return sockets;
}

const closeAll = (sockets: WebSocket[]) => Promise.all(sockets.map((socket) => new Promise((resolve) => (socket.once("close", resolve), socket.close()))));

/** GET through nginx (https, the test certificate): status and JSON body. */
function getThroughNginx(path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    request(new URL(path, deployment.nginx.baseUrl), { ca: certificate.certPem }, (response) => {
      let text = "";
      response.on("data", (chunk: Buffer) => (text += chunk.toString()));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }));
    })
      .on("error", reject)
      .end();
  });
}

/** Open WebSockets on each instance, by its own /metrics. */
const openPerInstance = () =>
  Promise.all(deployment.instances.map(async ({ baseUrl }) => (await scrapeMetrics(baseUrl)).get(`websocket_connections_open{runtime="${runtimeUnderTest()}"}`)));

/** Waits until the instances' /metrics show `total` open WebSockets in all (closes are counted a moment later). */
async function settle(total: number): Promise<Array<number | undefined>> {
  let counts = await openPerInstance();
  for (let attempt = 0; counts.reduce((sum: number, count) => sum + (count ?? 0), 0) !== total && attempt < 40; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    counts = await openPerInstance();
  }
  return counts;
}

describe("two instances behind deploy/nginx.conf", () => {
  it("spreads 200 WebSockets over both instances, each counted in its own /metrics", async () => {
    const sockets = await openMany(["127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5"], 50);
    const counts = await settle(200);
    expect(counts.reduce((sum: number, count) => sum + (count ?? 0), 0)).toBe(200);
    // least_conn: the instance with fewer open gets the next one, so neither ends far behind.
    for (const count of counts) expect(count).toBeGreaterThanOrEqual(50);
    await closeAll(sockets);
    await settle(0);
  });

  it("names the instance that answered /healthz: its own address, as nginx's upstream names it", async () => {
    const addresses = deployment.instances.map(({ port }) => `127.0.0.1:${port}`);
    for (const [index, { baseUrl }] of deployment.instances.entries()) {
      expect(await (await fetch(new URL("/healthz", baseUrl))).json()).toMatchObject({ status: "ok", instance: addresses[index] });
    }
    const throughNginx = await getThroughNginx("/healthz");
    expect(throughNginx.status).toBe(200);
    expect(addresses).toContain(throughNginx.body.instance);
  });

  it("serves /metrics on each instance's own port only, never through nginx", async () => {
    for (const { baseUrl } of deployment.instances) expect((await fetch(new URL("/metrics", baseUrl))).status).toBe(200);
    const status = await new Promise<number>((resolve, reject) => {
      request(new URL("/metrics", deployment.nginx.baseUrl), { ca: certificate.certPem }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      })
        .on("error", reject)
        .end();
    });
    expect(status).toBe(404);
  });

  it(`answers 429 with Retry-After from nginx past ${perAddressLimit} WebSockets from one address, whichever instances hold them`, async () => {
    expect(perAddressLimit).toBeGreaterThan(0);
    const sockets = await openMany(["127.0.0.6"], perAddressLimit);
    // No instance holds them all: each is under its own MAX_CONNECTIONS_PER_IP, so only nginx counts them all.
    const counts = await settle(perAddressLimit);
    for (const count of counts) expect(count).toBeLessThan(perAddressLimit);
    const rejectsBefore = await Promise.all(deployment.instances.map(async ({ server }) => (await server()).output.filter((line) => line.includes('"event":"reject"')).length));

    const refused = await connect("127.0.0.6");
    expect(refused).toMatchObject({ status: 429, retryAfter: "30", body: expect.stringContaining("Too many connections from your address") });
    // nginx answered: no instance saw the upgrade.
    const rejectsAfter = await Promise.all(deployment.instances.map(async ({ server }) => (await server()).output.filter((line) => line.includes('"event":"reject"')).length));
    expect(rejectsAfter).toEqual(rejectsBefore);
    // Another address is not affected; and one closed socket makes room again.
    const other = await connect("127.0.0.7");
    expect(other).toBeInstanceOf(WebSocket);
    await closeAll([sockets.pop()!]);
    const again = await connect("127.0.0.6");
    expect(again).toBeInstanceOf(WebSocket);
    await closeAll([...sockets, other as WebSocket, again as WebSocket]);
  });
});
