// Several instances of the runtime under test, as deploy/multivac@.service runs them on a VM: each with
// the unit's environment, restarted in place as `systemctl restart` does (SIGTERM, wait for the exit,
// start again). Behind one nginx, each on a port of its own (deployInstances); or all on one port with
// REUSE_PORT=1, balanced by the kernel (startInstances with the same port repeated).
import { freePort } from "../e2e/support/free-port.ts";
import { startNginx, type NginxProcess } from "./nginx.ts";
import { startRuntime } from "./runtimes.ts";
import type { ServerProcess } from "./server-process.ts";
import { unitEnvironment } from "./systemd-unit.ts";
import type { TestCertificate } from "./test-certificate.ts";

/** One instance: its port and its running process. */
export interface Instance {
  port: number;
  baseUrl: string;
  /** The process now serving as this instance; replaced by each restart. */
  server(): Promise<ServerProcess>;
}

/** Instances of one runtime, each restartable on its own. */
export interface InstanceSet {
  instances: Instance[];
  /** As `systemctl restart`: resolves once the old process exited and the new one is launched. */
  restart(index: number): Promise<void>;
  stop(): Promise<void>;
}

/** The instances and the nginx in front of them. */
export interface Deployment {
  instances: Instance[];
  nginx: NginxProcess;
  /** As `systemctl restart multivac@PORT`: resolves once the old process exited and the new one is launched. */
  restart(port: number): Promise<void>;
  stop(): Promise<void>;
}

/** What the tests and the bench change: settings over the unit's, and where each instance is spawned. */
interface InstanceOptions {
  /** The unit's environment for an instance on `port` (default: deploy/multivac@.service's). */
  unitEnv?: (port: number) => Record<string, string>;
  env?: Record<string, string>;
  spawn?: (start: () => Promise<ServerProcess>, index: number) => Promise<ServerProcess>;
}

/** Starts one instance of `runtime` per entry of `ports`, one after the other (a port may repeat with REUSE_PORT=1). */
export async function startInstances(runtime: string, ports: number[], options: InstanceOptions = {}): Promise<InstanceSet> {
  const unitEnv = options.unitEnv ?? unitEnvironment;
  const launch = (port: number) => startRuntime(runtime, { port, env: { ...unitEnv(port), ...options.env } });
  const processes: Array<Promise<ServerProcess>> = [];
  const stop = async () => {
    await Promise.all(processes.map((server) => server.then((s) => s.stop(), () => undefined)));
  };
  try {
    const instances: Instance[] = [];
    for (const [index, port] of ports.entries()) {
      processes[index] = options.spawn ? options.spawn(() => launch(port), index) : launch(port);
      await processes[index];
      instances.push({ port, baseUrl: `http://127.0.0.1:${port}`, server: () => processes[index]! });
    }
    return {
      instances,
      restart: async (index) => {
        const old = await processes[index]!;
        const exited = new Promise((resolve) => (old.child.exitCode === null ? old.child.once("exit", resolve) : resolve(undefined)));
        old.child.kill("SIGTERM");
        await exited;
        const next = launch(ports[index]!);
        // Not awaited: a started unit is not yet a listening server, which is why a roll waits for it.
        next.catch(() => undefined);
        processes[index] = next;
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Starts `count` instances of `runtime` on free ports and nginx with the shipped upstream in front. */
export async function deployInstances(runtime: string, count: number, certificate: TestCertificate, options: InstanceOptions & { tls?: boolean } = {}): Promise<Deployment> {
  const ports: number[] = [];
  // Taken before any instance listens, so each must differ from the ones before it.
  while (ports.length < count) {
    const port = await freePort();
    if (!ports.includes(port)) ports.push(port);
  }
  const set = await startInstances(runtime, ports, options);
  try {
    const nginx = await startNginx(set.instances.map((instance) => instance.baseUrl), certificate, { tls: options.tls });
    return {
      instances: set.instances,
      nginx,
      restart: (port) => set.restart(ports.indexOf(port)),
      stop: async () => {
        await nginx.stop();
        await set.stop();
      },
    };
  } catch (error) {
    await set.stop();
    throw error;
  }
}
