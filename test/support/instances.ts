// Several instances of the runtime under test behind one nginx, as deploy/multivac@.service and
// deploy/nginx.conf run them on a VM: each on a port of its own with the unit's environment, restarted
// on that same port as `systemctl restart multivac@PORT` does (SIGTERM, wait for the exit, start again).
import { freePort } from "../e2e/support/free-port.ts";
import { startNginx, type NginxProcess } from "./nginx.ts";
import { startRuntime } from "./runtimes.ts";
import type { ServerProcess } from "./server-process.ts";
import { unitEnvironment } from "./systemd-unit.ts";
import type { TestCertificate } from "./test-certificate.ts";

/** One instance: its port (the unit's instance name) and its running process. */
export interface Instance {
  port: number;
  baseUrl: string;
  /** The process now serving the port; replaced by each restart. */
  server(): Promise<ServerProcess>;
}

/** The instances and the nginx in front of them. */
export interface Deployment {
  instances: Instance[];
  nginx: NginxProcess;
  /** As `systemctl restart multivac@PORT`: resolves once the old process exited and the new one is launched. */
  restart(port: number): Promise<void>;
  stop(): Promise<void>;
}

/** What the bench changes: settings over the unit's, nginx without TLS, and where each instance is spawned. */
interface DeployOptions {
  env?: Record<string, string>;
  tls?: boolean;
  spawn?: (start: () => Promise<ServerProcess>, index: number) => Promise<ServerProcess>;
}

/** Starts `count` instances of `runtime` on free ports and nginx with the shipped upstream in front. */
export async function deployInstances(runtime: string, count: number, certificate: TestCertificate, options: DeployOptions = {}): Promise<Deployment> {
  const launch = (port: number) => startRuntime(runtime, { port, env: { ...unitEnvironment(port), ...options.env } });
  const processes = new Map<number, Promise<ServerProcess>>();
  const instances: Instance[] = [];
  const stopAll = () => Promise.all([...processes.values()].map((server) => server.then((s) => s.stop(), () => undefined)));
  try {
    for (let i = 0; i < count; i++) {
      const port = await freePort();
      processes.set(port, options.spawn ? options.spawn(() => launch(port), i) : launch(port));
      await processes.get(port);
      instances.push({ port, baseUrl: `http://127.0.0.1:${port}`, server: () => processes.get(port)! });
    }
    const nginx = await startNginx(instances.map((instance) => instance.baseUrl), certificate, { tls: options.tls });
    return {
      instances,
      nginx,
      restart: async (port) => {
        const old = await processes.get(port)!;
        const exited = new Promise((resolve) => (old.child.exitCode === null ? old.child.once("exit", resolve) : resolve(undefined)));
        old.child.kill("SIGTERM");
        await exited;
        const next = launch(port);
        // Not awaited: a started unit is not yet a listening server, which is why the roll polls /healthz.
        next.catch(() => undefined);
        processes.set(port, next);
      },
      stop: async () => {
        await nginx.stop();
        await stopAll();
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
