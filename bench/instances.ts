// npm run bench -- --instances [--quick] [--only node,deno,bun]
// What a second instance behind nginx buys (docs/deploying.md): the same closed-loop echo load through
// nginx, configured with deploy/nginx.conf (its upstream; plain ws: on the TLS server block, as the C
// generator speaks no TLS), to one instance and then to two, alternating, in one run. Placement on the
// 2 cores, one instance per core as the unit file advises: the first instance alone on the server CPU;
// nginx, the generator and (in the two-instance run) the second instance on the generator's CPU. So the
// one-instance figure is the best that one instance gets from this machine (nginx beside the instance
// instead would leave the generator's core half idle and flatter the ratio). Each process's CPU use over
// the measured window is printed, so the reader sees which one was saturated.
import { echoLoadBinary, prepareEchoGenerator, type EchoGenerator } from "./build-generator.ts";
import { runEcho } from "./generator.ts";
import { describePinning, keepOnServerCpu, setUpPinning, spawnOnServerCpu, type Pinning } from "./pinning.ts";
import { treeCpuMs, treePids } from "./process-tree.ts";
import { productBenchEnv } from "./servers.ts";
import { processRuntimes } from "../src/runtimes.ts";
import { freePort } from "../test/e2e/support/free-port.ts";
import { startNginx, type NginxProcess } from "../test/support/nginx.ts";
import { startRuntime } from "../test/support/runtimes.ts";
import type { ServerProcess } from "../test/support/server-process.ts";
import { unitEnvironment } from "../test/support/systemd-unit.ts";
import { makeTestCertificate, type TestCertificate } from "../test/support/test-certificate.ts";

/** What one run measures. */
export interface InstancesSettings {
  runtimes: readonly string[];
  /** Under nginx's per-address limit (100 in deploy/nginx.conf): the generator connects from one address. */
  connections: number;
  bytes: number;
  warmupMs: number;
  durationMs: number;
  /** Rounds of one-then-two; each figure is the median round by messages per second. */
  rounds: number;
}

export const instancesSettings = {
  full: { runtimes: processRuntimes, connections: 64, bytes: 32, warmupMs: 1_500, durationMs: 3_000, rounds: 3 },
  quick: { runtimes: processRuntimes, connections: 64, bytes: 32, warmupMs: 300, durationMs: 1_000, rounds: 1 },
} satisfies Record<string, InstancesSettings>;

/** One measurement through nginx. */
interface Figures {
  perSecond: number;
  p99Ms: number;
  p999Ms: number;
  errors: number;
  /** CPU busy over the window (1 = one core), by process. */
  busy: Record<string, number>;
}

/** Instances and nginx of one measurement, placed on the CPUs. */
interface Stack {
  instances: ServerProcess[];
  nginx: NginxProcess;
  /** Process trees to time, by name. */
  trees: Record<string, number[]>;
  stop(): Promise<void>;
}

async function startStack(runtime: string, count: number, certificate: TestCertificate, pinning: Pinning): Promise<Stack> {
  const instances: ServerProcess[] = [];
  let nginx: NginxProcess | undefined;
  const stop = async () => {
    await nginx?.stop();
    await Promise.all(instances.map((instance) => instance.stop()));
  };
  try {
    for (let index = 0; index < count; index++) {
      const port = await freePort();
      const launch = () => startRuntime(runtime, { port, env: { ...unitEnvironment(port), ...productBenchEnv } });
      // The first on the server CPU; the second where the runner is (the generator's CPU).
      instances.push(await (index === 0 ? spawnOnServerCpu(pinning, launch) : launch()));
    }
    nginx = await startNginx(instances.map((instance) => instance.baseUrl), certificate, { tls: false });
    const trees: Record<string, number[]> = { nginx: treePids(nginx.pid) };
    instances.forEach((instance, index) => (trees[`instance ${index + 1}`] = treePids(instance.child.pid ?? 0)));
    if (pinning.enabled) {
      const cpus = [pinning.serverCpu!, pinning.generatorCpu!];
      instances.forEach((instance, index) => keepOnServerCpu(instance.child.pid ?? 0, { cpu: cpus[index]!, repinned: 0, threads: 0 }));
      keepOnServerCpu(nginx.pid, { cpu: pinning.generatorCpu!, repinned: 0, threads: 0 });
    }
    return { instances, nginx, trees, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function measure(stack: Stack, settings: InstancesSettings, generator: EchoGenerator): Promise<Figures> {
  const atStart: Record<string, number> = {};
  const busyMs: Record<string, number> = {};
  const outcome = await runEcho(
    { mode: "echo", url: `${stack.nginx.baseUrl.replace(/^http/, "ws")}/echo`, connections: settings.connections, bytes: settings.bytes, frame: "binary", warmupMs: settings.warmupMs, durationMs: settings.durationMs },
    generator,
    (line) => {
      for (const [name, pids] of Object.entries(stack.trees)) {
        if (line.phase === "start") atStart[name] = treeCpuMs(pids);
        else busyMs[name] = treeCpuMs(pids) - (atStart[name] ?? 0);
      }
    },
  );
  const wallMs = outcome.wallMs ?? settings.durationMs;
  const busy = Object.fromEntries(Object.entries(busyMs).map(([name, ms]) => [name, ms / wallMs]));
  busy.generator = ((outcome.cpuUserMs ?? 0) + (outcome.cpuSystemMs ?? 0)) / wallMs;
  return { perSecond: outcome.perSecond ?? 0, p99Ms: outcome.latency?.p99Ms ?? 0, p999Ms: outcome.latency?.p999Ms ?? 0, errors: outcome.errors, busy };
}

const median = (runs: Figures[]) => [...runs].sort((a, b) => a.perSecond - b.perSecond)[Math.floor(runs.length / 2)]!;
const formatBusy = (busy: Record<string, number>) => Object.entries(busy).map(([name, value]) => `${name} ${value.toFixed(2)}`).join(", ");
/** CPU microseconds per message of one process: what nginx costs beside an instance. */
const usPerMessage = (figures: Figures, name: string) => (((figures.busy[name] ?? 0) * 1e6) / Math.max(1, figures.perSecond)).toFixed(1);

/** Runs the scenario for every runtime and prints its table; returns the exit code (1 if a run had errors). */
export async function runInstancesBench(settings: InstancesSettings, say: (line: string) => void = console.log): Promise<number> {
  const pinning = setUpPinning(true);
  const generator = prepareEchoGenerator("c");
  say(describePinning(pinning));
  say(`echo generator: ${generator.kind === "c" ? echoLoadBinary : `Node + ws (${generator.detail})`}`);
  say(`${settings.connections} connections x ${settings.bytes} B binary through nginx, ${settings.warmupMs / 1000} s warm-up, ${settings.durationMs / 1000} s measured, ${settings.rounds} round(s)`);
  const certificate = makeTestCertificate();
  let broken = false;
  try {
    for (const runtime of settings.runtimes) {
      const runs: Record<1 | 2, Figures[]> = { 1: [], 2: [] };
      for (let round = 0; round < settings.rounds; round++) {
        for (const count of [1, 2] as const) {
          // A fresh stack each time, so neither count inherits the other's warmed-up processes.
          const stack = await startStack(runtime, count, certificate, pinning);
          try {
            const figures = await measure(stack, settings, generator);
            runs[count].push(figures);
            broken ||= figures.errors > 0;
            say(`  ${runtime} x${count}: ${Math.round(figures.perSecond)} msg/s, p99 ${figures.p99Ms.toFixed(2)} ms, p999 ${figures.p999Ms.toFixed(2)} ms, errors ${figures.errors}; CPU busy: ${formatBusy(figures.busy)}`);
          } finally {
            await stack.stop();
          }
        }
      }
      const [one, two] = [median(runs[1]), median(runs[2])];
      say(
        `${runtime}: one instance ${Math.round(one.perSecond)} msg/s (p99 ${one.p99Ms.toFixed(2)}, p999 ${one.p999Ms.toFixed(2)} ms); ` +
          `two ${Math.round(two.perSecond)} msg/s (p99 ${two.p99Ms.toFixed(2)}, p999 ${two.p999Ms.toFixed(2)} ms); two / one = ${(two.perSecond / one.perSecond).toFixed(2)}; ` +
          `CPU per message with one: nginx ${usPerMessage(one, "nginx")} us, instance ${usPerMessage(one, "instance 1")} us`,
      );
    }
  } finally {
    certificate.remove();
  }
  return broken ? 1 : 0;
}
