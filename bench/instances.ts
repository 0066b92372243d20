// npm run bench -- --instances [--quick] [--only node,deno,bun] [--rounds N]
// What the ways of running several instances cost (docs/deploying.md): the same closed-loop echo load
// through nginx with deploy/nginx.conf's upstream (plain ws:, as the generator speaks no TLS) to one
// instance and to two, and straight to two instances sharing one port (REUSE_PORT=1, the kernel
// balancing them), alternating, in one run. One instance per core, as the unit files advise: the first
// alone on the server CPU; nginx, the generator and the second instance on the other. So the
// one-instance figure is the best one instance gets from this machine, and each process's CPU use is
// printed, from which the CPU per message of every process on the path.
import { describeGenerator, prepareGenerator, resultOf, startGenerator } from "./generator.ts";
import { describePinning, keepOnServerCpu, setUpPinning, spawnOnServerCpu, type Pinning } from "./pinning.ts";
import { productBenchEnv } from "./servers.ts";
import { processRuntimes } from "../src/runtimes.ts";
import { freePort } from "../test/e2e/support/free-port.ts";
import { deployInstances, startInstances } from "../test/support/instances.ts";
import { cpuMs, processTree } from "../test/support/processes.ts";
import type { ServerProcess } from "../test/support/server-process.ts";
import { sharedUnitFile, unitEnvironment } from "../test/support/systemd-unit.ts";
import { makeTestCertificate, type TestCertificate } from "../test/support/test-certificate.ts";

/** What one run measures; `connections` stays under nginx's per-address limit (the generator is one address). */
export const instancesSettings = {
  full: { runtimes: processRuntimes, connections: 64, bytes: 32, warmupMs: 1_500, durationMs: 3_000, rounds: 3 },
  quick: { runtimes: processRuntimes, connections: 64, bytes: 32, warmupMs: 300, durationMs: 1_000, rounds: 1 },
};
export type InstancesSettings = Omit<(typeof instancesSettings)["full"], "runtimes"> & { runtimes: readonly string[] };

/** One measurement; `busy` is CPU over the window by process (1 = one core). */
export interface Figures {
  perSecond: number;
  p99Ms: number;
  p999Ms: number;
  errors: number;
  busy: Record<string, number>;
}

/** How the load reaches the instances: through nginx (deploy/nginx.conf), or the kernel (REUSE_PORT=1). */
type Balancer = "nginx" | "kernel";
/** The set-ups each round measures, in order. */
const setups: Array<{ balancer: Balancer; count: number; label: string }> = [
  { balancer: "nginx", count: 1, label: "nginx x1" },
  { balancer: "nginx", count: 2, label: "nginx x2" },
  { balancer: "kernel", count: 2, label: "kernel x2" },
];

/** The processes under load: where the generator connects, each one's root pid, and how to stop them. */
interface Stack {
  port: number;
  roots: Record<string, number>;
  stop(): Promise<void>;
}

/** Starts the set-up's instances (and nginx), the first on the server CPU. */
async function startStack(runtime: string, balancer: Balancer, count: number, pinning: Pinning, certificate: TestCertificate): Promise<Stack> {
  const spawn = (start: () => Promise<ServerProcess>, index: number) => (index === 0 ? spawnOnServerCpu(pinning, start) : start());
  const rootsOf = (servers: ServerProcess[]) => Object.fromEntries(servers.map((server, index) => [`instance ${index + 1}`, server.child.pid ?? 0]));
  if (balancer === "nginx") {
    const deployment = await deployInstances(runtime, count, certificate, { env: productBenchEnv, tls: false, spawn });
    const servers = await Promise.all(deployment.instances.map((instance) => instance.server()));
    return { port: Number(new URL(deployment.nginx.baseUrl).port), roots: { nginx: deployment.nginx.pid, ...rootsOf(servers) }, stop: deployment.stop };
  }
  // deploy/multivac-shared@.service's environment, on loopback.
  const port = await freePort();
  const set = await startInstances(runtime, Array.from({ length: count }, () => port), {
    unitEnv: () => ({ ...unitEnvironment(1, sharedUnitFile), HOST: "127.0.0.1" }),
    env: productBenchEnv,
    spawn,
  });
  const servers = await Promise.all(set.instances.map((instance) => instance.server()));
  return { port, roots: rootsOf(servers), stop: set.stop };
}

/** Starts a set-up, places it on the CPUs, measures one echo run, stops it. */
async function measure(runtime: string, balancer: Balancer, count: number, settings: InstancesSettings, pinning: Pinning, certificate: TestCertificate): Promise<Figures> {
  const stack = await startStack(runtime, balancer, count, pinning, certificate);
  try {
    for (const [name, root] of Object.entries(stack.roots)) {
      if (pinning.enabled) keepOnServerCpu(root, { cpu: name === "instance 1" ? pinning.serverCpu! : pinning.generatorCpu!, repinned: 0, threads: 0 });
    }
    const trees = Object.entries(stack.roots).map(([name, root]) => [name, processTree([root]).map((entry) => entry.pid)] as const);
    const atStart: Record<string, number> = {};
    const busyMs: Record<string, number> = {};
    const generator = startGenerator({ mode: "echo", host: "127.0.0.1", port: stack.port, path: "/echo", connections: settings.connections, bytes: settings.bytes, frame: "binary", warmupMs: settings.warmupMs, durationMs: settings.durationMs });
    const outcome = await resultOf(generator, (line) => {
      for (const [name, pids] of trees) {
        if (line.phase === "start") atStart[name] = cpuMs(pids);
        else busyMs[name] = cpuMs(pids) - (atStart[name] ?? 0);
      }
    });
    const wallMs = outcome.wallMs ?? settings.durationMs;
    const busy = Object.fromEntries([...Object.entries(busyMs), ["generator", outcome.cpuMs ?? 0]].map(([name, ms]) => [name, Number(ms) / wallMs]));
    return { perSecond: outcome.perSecond ?? 0, p99Ms: outcome.latency?.p99Ms ?? 0, p999Ms: outcome.latency?.p999Ms ?? 0, errors: outcome.errors, busy };
  } finally {
    await stack.stop();
  }
}

const median = (runs: Figures[]) => [...runs].sort((a, b) => a.perSecond - b.perSecond)[Math.floor(runs.length / 2)]!;
const formatBusy = (busy: Record<string, number>) => Object.entries(busy).map(([name, value]) => `${name} ${value.toFixed(2)}`).join(", ");
/** CPU time per message, in microseconds, of the processes whose names pass `pick`. */
const usPerMessage = (figures: Figures, pick: (name: string) => boolean) =>
  ((Object.entries(figures.busy).filter(([name]) => pick(name)).reduce((total, [, busy]) => total + busy, 0) * 1e6) / Math.max(1, figures.perSecond)).toFixed(1);
const isInstance = (name: string) => name.startsWith("instance");
/** Every process on a message's path (not the generator), each and together. */
const pathCost = (figures: Figures) => {
  const parts = figures.busy["nginx"] === undefined ? [] : [`nginx ${usPerMessage(figures, (name) => name === "nginx")}`];
  return `${[...parts, `instances ${usPerMessage(figures, isInstance)}`].join(" + ")} = ${usPerMessage(figures, (name) => name !== "generator")} us`;
};
const latency = (figures: Figures) => `${Math.round(figures.perSecond)} msg/s (p99 ${figures.p99Ms.toFixed(2)}, p999 ${figures.p999Ms.toFixed(2)} ms)`;

/** What bench/results/instances.json holds: per runtime, the median round of each set-up. */
export interface InstancesResults {
  startedAt: string;
  rounds: number;
  connections: number;
  bytes: number;
  runtimes: Record<string, Record<string, Figures>>;
}

/** CPU time per message in microseconds: every process on the path, then nginx's and the instances' shares. */
export function cpuPerMessage(figures: Figures): { path: number; nginx?: number; instances: number } {
  const us = (pick: (name: string) => boolean) => Number(usPerMessage(figures, pick));
  return { path: us((name) => name !== "generator"), ...(figures.busy["nginx"] === undefined ? {} : { nginx: us((name) => name === "nginx") }), instances: us(isInstance) };
}

/**
 * Runs the scenario for every runtime and prints its figures; `save` gets the medians of a whole run.
 * Returns the exit code (1 if a run had errors).
 */
export async function runInstancesBench(settings: InstancesSettings, say: (line: string) => void = console.log, save?: (results: InstancesResults) => void): Promise<number> {
  const results: InstancesResults = { startedAt: new Date().toISOString(), rounds: settings.rounds, connections: settings.connections, bytes: settings.bytes, runtimes: {} };
  const pinning = setUpPinning(true);
  say(describePinning(pinning));
  say(describeGenerator(prepareGenerator()));
  say(`${settings.connections} connections x ${settings.bytes} B binary, through nginx or to instances sharing a port, ${settings.warmupMs / 1000} s warm-up, ${settings.durationMs / 1000} s measured, ${settings.rounds} round(s)`);
  const certificate = makeTestCertificate();
  let broken = false;
  try {
    for (const runtime of settings.runtimes) {
      const runs = new Map<string, Figures[]>(setups.map(({ label }) => [label, []]));
      for (let round = 0; round < settings.rounds; round++) {
        // A fresh stack each time, so no set-up inherits another's warmed-up processes.
        for (const { balancer, count, label } of setups) {
          const figures = await measure(runtime, balancer, count, settings, pinning, certificate);
          runs.get(label)!.push(figures);
          broken ||= figures.errors > 0;
          say(`  ${runtime} ${label}: ${latency(figures)}, errors ${figures.errors}; CPU busy: ${formatBusy(figures.busy)}`);
        }
      }
      const medians = new Map([...runs].map(([label, figures]) => [label, median(figures)] as const));
      results.runtimes[runtime] = Object.fromEntries(medians);
      const [one, two, kernel] = setups.map(({ label }) => medians.get(label)!);
      say(
        `${runtime}: nginx x1 ${latency(one!)}; nginx x2 ${latency(two!)}; kernel x2 ${latency(kernel!)}; ` +
          `nginx x2 / x1 = ${(two!.perSecond / one!.perSecond).toFixed(2)}, kernel x2 / nginx x2 = ${(kernel!.perSecond / two!.perSecond).toFixed(2)}`,
      );
      say(`${runtime}: CPU per message: nginx x1 ${pathCost(one!)}; nginx x2 ${pathCost(two!)}; kernel x2 ${pathCost(kernel!)}`);
    }
  } finally {
    certificate.remove();
  }
  save?.(results);
  return broken ? 1 : 0;
}
