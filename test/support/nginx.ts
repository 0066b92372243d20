// A real nginx (Debian's) in front of a server under test, with deploy/nginx.conf's ports, upstream instances and
// certificate paths replaced: in the foreground, its files in a directory of its own, on 127.0.0.1 only.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { connect as connectTls } from "node:tls";
import { freePort } from "../e2e/support/free-port.ts";
import { stopChild } from "./server-process.ts";
import type { TestCertificate } from "./test-certificate.ts";

/** CI installs Debian's nginx here (.ci/run); NGINX_PATH points elsewhere. */
export const nginxPath = process.env.NGINX_PATH ?? "/usr/sbin/nginx";

/** A running nginx and the https:// address it serves (http:// with `tls: false`). */
export interface NginxProcess {
  baseUrl: string;
  /** The master process; its worker is its child. */
  pid: number;
  stop(): Promise<void>;
}

/** The values deploy/nginx.conf is written with, as an operator would copy them. */
const templateValues = {
  tlsListen: "listen 443 ssl;",
  httpListen: "listen 80;",
  certFile: "/etc/letsencrypt/live/chat.example.com/fullchain.pem",
  keyFile: "/etc/letsencrypt/live/chat.example.com/privkey.pem",
};

/** The upstream's instance lines as shipped (multivac@8787, multivac@8788), with their parameters. */
const instanceLines = /^( *)server 127\.0\.0\.1:878[78]( [^;\n]*)?;\n/gm;

/** What the test replaces in deploy/nginx.conf: its literal values, and the instances of its upstream. */
export type SiteValues = Record<keyof typeof templateValues, string> & {
  /** host:port of each instance, in place of the shipped ones (with the shipped parameters). */
  instances: string[];
};

/** deploy/nginx.conf with test ports and paths; throws if the template no longer has a value it replaces. */
export function siteConfig(values: SiteValues): string {
  let site = readFileSync(new URL("../../deploy/nginx.conf", import.meta.url), "utf8");
  const stale = (what: string) => new Error(`deploy/nginx.conf no longer contains ${what}: update test/support/nginx.ts`);
  for (const [name, literal] of Object.entries(templateValues)) {
    if (!site.includes(literal)) throw stale(JSON.stringify(literal));
    site = site.replaceAll(literal, values[name as keyof typeof templateValues]);
  }
  const shipped = [...site.matchAll(instanceLines)];
  if (shipped.length !== 2) throw stale("the upstream lines server 127.0.0.1:8787 and :8788");
  const [indent = "", parameters = ""] = shipped[0]!.slice(1);
  const lines = values.instances.map((address) => `${indent}server ${address}${parameters};\n`).join("");
  const at = shipped[0]!.index;
  return site.slice(0, at) + lines + site.slice(at).replace(instanceLines, "");
}

/** The main configuration Debian's /etc/nginx/nginx.conf would be, pointed at the temp directory. */
function mainConfig(dir: string): string {
  return `daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
# A proxied WebSocket takes two connections (client and instance); the deploy tests hold 200 at once.
worker_rlimit_nofile 4096;
events { worker_connections 2048; }
http {
    access_log off;
    client_body_temp_path ${dir}/client_body;
    proxy_temp_path ${dir}/proxy;
    fastcgi_temp_path ${dir}/fastcgi;
    uwsgi_temp_path ${dir}/uwsgi;
    scgi_temp_path ${dir}/scgi;
    include ${dir}/site.conf;
}
`;
}

/** True once `port` completes a TLS handshake with the test certificate: this nginx is up (a bare TCP
 * connect could reach another process that took the port after freePort released it). */
function servesCertificate(port: number, certificate: TestCertificate): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connectTls({ host: "127.0.0.1", port, ca: certificate.certPem });
    socket.once("secureConnect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
  });
}

/** True once nginx at `port` passes GET /healthz to an instance: this nginx is up, in front of them. */
async function servesHealth(port: number): Promise<boolean> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/healthz`);
    return response.status === 200 && "runtime" in ((await response.json()) as object);
  } catch {
    return false;
  }
}

/** Starts nginx in front of the instance(s) at `upstreamUrls` (http://127.0.0.1:PORT), serving `certificate`;
 * `tls: false` serves the shipped TLS server block over plain http (the C bench generator speaks ws: only). */
export async function startNginx(upstreamUrls: string | string[], certificate: TestCertificate, { tls = true } = {}): Promise<NginxProcess> {
  const instances = [upstreamUrls].flat().map((url) => new URL(url).host);
  // nginx that could not bind a port freePort had found free (another process took it in between) tries again.
  attempts: for (let attempt = 1; ; attempt++) {
    const dir = mkdtempSync(join(tmpdir(), "multivac-nginx-"));
    const [tlsPort, httpPort] = [await freePort(), await freePort()];
    writeFileSync(
      join(dir, "site.conf"),
      siteConfig({
        tlsListen: `listen 127.0.0.1:${tlsPort}${tls ? " ssl" : ""};`,
        httpListen: `listen 127.0.0.1:${httpPort};`,
        instances,
        certFile: certificate.certFile,
        keyFile: certificate.keyFile,
      }),
    );
    writeFileSync(join(dir, "nginx.conf"), mainConfig(dir));
    const child = spawn(nginxPath, ["-p", dir, "-c", join(dir, "nginx.conf"), "-e", join(dir, "error.log")], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const stop = async () => {
      // SIGTERM is nginx's fast shutdown: it does not wait for open WebSockets as SIGQUIT would.
      await stopChild(child, 5000);
      rmSync(dir, { recursive: true, force: true });
    };
    for (const deadline = Date.now() + 10_000; !(await (tls ? servesCertificate(tlsPort, certificate) : servesHealth(tlsPort))); await delay(50)) {
      if (child.exitCode === null && Date.now() <= deadline) continue;
      const errorLog = readFileSync(join(dir, "error.log"), { encoding: "utf8", flag: "a+" });
      await stop();
      if (errorLog.includes("Address already in use") && attempt < 3) continue attempts;
      throw new Error(`nginx did not start (exit ${child.exitCode}).\nstderr: ${stderr}\nerror.log: ${errorLog}`);
    }
    return { baseUrl: `${tls ? "https" : "http"}://127.0.0.1:${tlsPort}`, pid: child.pid ?? 0, stop };
  }
}
