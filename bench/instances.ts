// npm run bench -- --instances [--quick] [--only node,deno,bun] [--rounds N]
// What a second instance behind nginx buys (docs/deploying.md): the same closed-loop echo load through
// nginx with deploy/nginx.conf's upstream (plain ws:, as the generator speaks no TLS) to one instance
// and to two, alternating, in one run. One instance per core, as the unit file advises: the first alone
// on the server CPU; nginx, the generator and the second instance on the other. So the one-instance
// figure is the best one instance gets from this machine, and each process's CPU use is printed.
import { describeGenerator, prepareGenerator, resultOf, startGenerator } from "./generator.ts";
import { describePinning, keepOnServerCpu, setUpPinning, spawnOnServerCpu, type Pinning } from "./pinning.ts";
import { productBenchEnv } from "./servers.ts";
import { processRuntimes } from "../src/runtimes.ts";
import { deployInstances } from "../test/support/instances.ts";
import { cpuMs, processTree } from "../test/support/processes.ts";
import type { ServerProcess } from "../test/support/server-process.ts";
import { makeTestCertificate, type TestCertificate } from "../test/support/test-certificate.ts";

/** What one run measures; `connections` stays under nginx's per-address limit (the generator is one address). */
export const instancesSettings = {
  full: { runtimes: processRuntimes, connections: 64, bytes: 32, warmupMs: 1_500, durationMs: 3_000, rounds: 3 },
  quick: { runtimes: processRuntimes, connections: 64, bytes: 32, warmupMs: 300, durationMs: 1_000, rounds: 1 },
};
export type InstancesSettings = Omit<(typeof instancesSettings)["full"], "runtimes"> & { runtimes: readonly string[] };

/** One measurement through nginx; `busy` is CPU over the window by process (1 = one core). */
interface Figures {
  perSecond: number;
  p99Ms: number;
  p999Ms: number;
  errors: number;
  busy: Record<string, number>;
}

/** Starts `count` instances and nginx in front, placed on the CPUs; measures one echo run; stops them. */
async function measure(runtime: string, count: number, settings: InstancesSettings, pinning: Pinning, certificate: TestCertificate): Promise<Figures> {
  const spawn = (start: () => Promise<ServerProcess>, index: number) => (index === 0 ? spawnOnServerCpu(pinning, start) : start());
  const deployment = await deployInstances(runtime, count, certificate, { env: productBenchEnv, tls: false, spawn });
  const { nginx } = deployment;
  try {
    const instances = await Promise.all(deployment.instances.map((instance) => instance.server()));
    const roots = { nginx: nginx.pid, ...Object.fromEntries(instances.map((instance, index) => [`instance ${index + 1}`, instance.child.pid ?? 0])) };
    for (const [name, root] of Object.entries(roots)) {
      if (pinning.enabled) keepOnServerCpu(root, { cpu: name === "instance 1" ? pinning.serverCpu! : pinning.generatorCpu!, repinned: 0, threads: 0 });
    }
    const trees = Object.entries(roots).map(([name, root]) => [name, processTree([root]).map((entry) => entry.pid)] as const);
    const atStart: Record<string, number> = {};
    const busyMs: Record<string, number> = {};
    const { port } = new URL(nginx.baseUrl);
    const generator = startGenerator({ mode: "echo", host: "127.0.0.1", port: Number(port), path: "/echo", connections: settings.connections, bytes: settings.bytes, frame: "binary", warmupMs: settings.warmupMs, durationMs: settings.durationMs });
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
    await deployment.stop();
  }
}

const median = (runs: Figures[]) => [...runs].sort((a, b) => a.perSecond - b.perSecond)[Math.floor(runs.length / 2)]!;
const formatBusy = (busy: Record<string, number>) => Object.entries(busy).map(([name, value]) => `${name} ${value.toFixed(2)}`).join(", ");
const usPerMessage = (figures: Figures, name: string) => (((figures.busy[name] ?? 0) * 1e6) / Math.max(1, figures.perSecond)).toFixed(1);
const latency = (figures: Figures) => `${Math.round(figures.perSecond)} msg/s (p99 ${figures.p99Ms.toFixed(2)}, p999 ${figures.p999Ms.toFixed(2)} ms)`;

/** Runs the scenario for every runtime and prints its figures; returns the exit code (1 if a run had errors). */
export async function runInstancesBench(settings: InstancesSettings, say: (line: string) => void = console.log): Promise<number> {
  const pinning = setUpPinning(true);
  say(describePinning(pinning));
  say(describeGenerator(prepareGenerator()));
  say(`${settings.connections} connections x ${settings.bytes} B binary through nginx, ${settings.warmupMs / 1000} s warm-up, ${settings.durationMs / 1000} s measured, ${settings.rounds} round(s)`);
  const certificate = makeTestCertificate();
  let broken = false;
  try {
    for (const runtime of settings.runtimes) {
      const runs: Record<1 | 2, Figures[]> = { 1: [], 2: [] };
      for (let round = 0; round < settings.rounds; round++) {
        // A fresh stack each time, so neither count inherits the other's warmed-up processes.
        for (const count of [1, 2] as const) {
          const figures = await measure(runtime, count, settings, pinning, certificate);
          runs[count].push(figures);
          broken ||= figures.errors > 0;
          say(`  ${runtime} x${count}: ${latency(figures)}, errors ${figures.errors}; CPU busy: ${formatBusy(figures.busy)}`);
        }
      }
      const [one, two] = [median(runs[1]), median(runs[2])];
      say(
        `${runtime}: one instance ${latency(one)}; two ${latency(two)}; two / one = ${(two.perSecond / one.perSecond).toFixed(2)}; ` +
          `CPU per message with one: nginx ${usPerMessage(one, "nginx")} us, instance ${usPerMessage(one, "instance 1")} us`,
      );
    }
  } finally {
    certificate.remove();
  }
  return broken ? 1 : 0;
}
