// One server's turn: start it, measure idle memory on the fresh process, then every echo scenario,
// then the handshake rate, and stop it. Nothing else runs against it meanwhile.
import { runLoad, holdIdle } from "./generator.ts";
import type { EchoFigures, HandshakeFigures, IdleFigures, ServerResult } from "./results.ts";
import { openFileLimit, rssKiB, serverPid } from "./rss.ts";
import type { BenchSettings } from "./scenarios.ts";
import { isMissingLauncher, type BenchServer } from "./servers.ts";

const SETTLE_MS = 1_000;
const PAUSE_BETWEEN_MS = 300;
// Sockets a process needs besides the idle ones (stdio, its listener, runtime internals).
const SPARE_FILES = 256;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Measures `server` with `settings`; never throws (a failure is recorded in the result). */
export async function measureServer(server: BenchServer, settings: BenchSettings, extraEnv: Record<string, string>, say: (line: string) => void): Promise<ServerResult> {
  const result: ServerResult = { name: server.name, kind: server.kind, baseline: server.baseline, judged: server.judged, status: "measured", echo: [] };
  if (server.env) result.env = { ...server.env, ...extraEnv };
  let running;
  try {
    running = await server.start(extraEnv);
  } catch (error) {
    result.status = isMissingLauncher(error) ? "skipped" : "failed";
    result.note = isMissingLauncher(error) ? "no launcher in test/support/runtimes.ts yet" : firstLine(error);
    say(`${server.name}: ${result.status} (${result.note})`);
    return result;
  }
  const base = running.baseUrl.replace(/^http/, "ws");
  try {
    const pid = serverPid(running.child.pid ?? 0, server.rssProcessName);
    say(`${server.name}: listening at ${running.baseUrl} (RSS of pid ${pid})`);
    if (settings.idle) {
      result.idle = await measureIdle(`${base}/echo`, pid, settings.idle);
      say(`${server.name}: idle ${result.idle.kibPerConnection.toFixed(2)} KiB/conn over ${result.idle.connections}${result.idle.errors ? `, ${result.idle.errors} errors (${result.idle.firstError})` : ""}`);
    }
    for (const scenario of settings.echo) {
      await sleep(PAUSE_BETWEEN_MS);
      const outcome = await runLoad({ mode: "echo", url: `${base}${scenario.path}`, connections: scenario.connections, bytes: scenario.bytes, frame: scenario.frame, warmupMs: settings.warmupMs, durationMs: settings.durationMs });
      const figures: EchoFigures = { scenario: scenario.id, connections: scenario.connections, perSecond: outcome.perSecond ?? 0, ...outcome.latency!, errors: outcome.errors, firstError: outcome.firstError };
      result.echo.push(figures);
      say(`${server.name}: ${scenario.id}: ${Math.round(figures.perSecond)} msgs/s, p99 ${figures.p99Ms} ms${figures.errors ? `, ${figures.errors} errors (${figures.firstError})` : ""}`);
    }
    if (settings.handshake) {
      await sleep(PAUSE_BETWEEN_MS);
      const handshakes = await runLoad({ mode: "handshake", url: `${base}/echo`, ...settings.handshake });
      result.handshake = { perSecond: handshakes.perSecond ?? 0, ...handshakes.latency!, errors: handshakes.errors, firstError: handshakes.firstError } satisfies HandshakeFigures;
      say(`${server.name}: ${Math.round(result.handshake.perSecond)} handshakes/s${handshakes.errors ? `, ${handshakes.errors} errors (${handshakes.firstError})` : ""}`);
    }
  } catch (error) {
    result.status = "failed";
    result.note = firstLine(error);
    say(`${server.name}: failed (${result.note})`);
  } finally {
    await running.stop();
  }
  return result;
}

async function measureIdle(url: string, pid: number, idle: NonNullable<BenchSettings["idle"]>): Promise<IdleFigures> {
  await sleep(SETTLE_MS);
  const rssBeforeKiB = rssKiB(pid) ?? 0;
  // One generator holds as many sockets as its open-file limit allows; more are split over two or more.
  const perProcess = Math.max(1, openFileLimit() - SPARE_FILES);
  const hold = holdIdle({ mode: "idle", url, connections: idle.connections, holdMs: idle.holdMs }, Math.ceil(idle.connections / perProcess));
  const held = await hold.holding;
  const rssAfterKiB = await settledRss(pid);
  const finished = await hold.release();
  await sleep(SETTLE_MS);
  const errors = finished.reduce((sum, line) => sum + line.errors, 0);
  return {
    connections: held.opened,
    rssBeforeKiB,
    rssAfterKiB,
    kibPerConnection: held.opened > 0 ? (rssAfterKiB - rssBeforeKiB) / held.opened : 0,
    errors,
    firstError: finished.find((line) => line.firstError)?.firstError,
  };
}

/** RSS once it stops moving (the server may still be finishing handshakes), at most ~4 s later. */
async function settledRss(pid: number): Promise<number> {
  let previous = rssKiB(pid) ?? 0;
  for (let attempt = 0; attempt < 16; attempt += 1) {
    await sleep(250);
    const current = rssKiB(pid) ?? 0;
    if (Math.abs(current - previous) <= previous * 0.005) return current;
    previous = current;
  }
  return previous;
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0] ?? "";
}
