// The client's address behind nginx (deploy/nginx.conf): the logs and MAX_CONNECTIONS_PER_IP use the
// address from X-Forwarded-For only when TRUST_PROXY names nginx; a header a client forged is never
// believed. Loopback has a whole /8, so 127.0.0.2-127.0.0.9 are distinct clients of nginx on 127.0.0.1.
import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startNginx, type NginxProcess } from "../support/nginx.ts";
import { runtimeUnderTest } from "../support/own-server.ts";
import { startRuntime } from "../support/runtimes.ts";
import type { ServerProcess } from "../support/server-process.ts";
import { makeTestCertificate, type TestCertificate } from "../support/test-certificate.ts";
import { wsUrl } from "../support/ws-client.ts";

interface Deployment {
  server: ServerProcess;
  nginx: NginxProcess;
}

let certificate: TestCertificate;
const deployments: Deployment[] = [];

beforeAll(() => {
  certificate = makeTestCertificate();
});
afterAll(async () => {
  for (const { nginx, server } of deployments) {
    await nginx.stop();
    await server.stop();
  }
  certificate?.remove();
});

/** A server with `env` behind its own nginx. */
async function deploy(env: Record<string, string>): Promise<Deployment> {
  const server = await startRuntime(runtimeUnderTest(), { env });
  const deployment = { server, nginx: await startNginx(server.baseUrl, certificate) };
  deployments.push(deployment);
  return deployment;
}

/** Opens /echo at `baseUrl` from `localAddress`, sending `headers`: the open socket, or the refusal status. */
function connect(baseUrl: string, localAddress: string, headers: Record<string, string> = {}): Promise<WebSocket | number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(wsUrl(baseUrl, "/echo"), { localAddress, headers, ca: certificate.certPem });
    socket.once("open", () => resolve(socket));
    socket.once("unexpected-response", (_request, response) => {
      resolve(response.statusCode ?? 0);
      socket.terminate();
    });
    socket.once("error", reject);
  });
}

/** The `remote` of the server's open lines, once `count` of them are there. */
async function openedFrom(server: ServerProcess, count: number): Promise<string[]> {
  const remotes = () =>
    server.output.flatMap((line) => {
      const entry = JSON.parse(line) as { event?: string; remote?: string };
      return entry.event === "open" ? [entry.remote ?? "(none)"] : [];
    });
  for (let attempt = 0; remotes().length < count && attempt < 40; attempt++) await new Promise((resolve) => setTimeout(resolve, 25));
  return remotes();
}

const closeAll = (sockets: Array<WebSocket | number>) =>
  Promise.all(sockets.map((socket) => (typeof socket === "number" ? undefined : new Promise((resolve) => (socket.once("close", resolve), socket.close())))));

describe("behind nginx with TRUST_PROXY naming it", () => {
  let deployment: Deployment;
  beforeAll(async () => {
    deployment = await deploy({ TRUST_PROXY: "127.0.0.1", MAX_CONNECTIONS_PER_IP: "1" });
  });

  it("logs the client's address from X-Forwarded-For, not nginx's and not a forged one", async () => {
    const honest = await connect(deployment.nginx.baseUrl, "127.0.0.2");
    const forger = await connect(deployment.nginx.baseUrl, "127.0.0.3", { "X-Forwarded-For": "203.0.113.9", Forwarded: "for=198.51.100.1" });
    expect(await openedFrom(deployment.server, 2)).toEqual(["127.0.0.2", "127.0.0.3"]);
    await closeAll([honest, forger]);
  });

  it("counts MAX_CONNECTIONS_PER_IP per client address, not per proxy", async () => {
    const first = await connect(deployment.nginx.baseUrl, "127.0.0.4");
    const other = await connect(deployment.nginx.baseUrl, "127.0.0.5");
    const second = await connect(deployment.nginx.baseUrl, "127.0.0.4");
    expect([first, other, second].map((socket) => (typeof socket === "number" ? socket : 101))).toEqual([101, 101, 429]);
    await closeAll([first, other, second]);
  });

  it("ignores the headers of a peer that is not nginx", async () => {
    const direct = await connect(deployment.server.baseUrl, "127.0.0.6", { "X-Forwarded-For": "203.0.113.9" });
    expect((await openedFrom(deployment.server, 5)).at(-1)).toBe("127.0.0.6");
    await closeAll([direct]);
  });
});

describe("behind nginx without TRUST_PROXY", () => {
  it("logs nginx's own address: X-Forwarded-For is not believed", async () => {
    const { nginx, server } = await deploy({});
    const socket = await connect(nginx.baseUrl, "127.0.0.7", { "X-Forwarded-For": "203.0.113.9" });
    expect(await openedFrom(server, 1)).toEqual(["127.0.0.1"]);
    await closeAll([socket]);
  });
});
