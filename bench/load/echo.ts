// Closed-loop echo: each connection has exactly one message in flight, so throughput and latency
// are the server's answer to a fixed number of patient clients (no coordinated-omission backlog).
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import type { EchoPlan, LoadResult, WindowLine } from "../plan.ts";
import { dropAll, openSockets } from "./connect.ts";
import { latencyHistogram, recordSince, summarise } from "./latency.ts";

const CONNECT_CONCURRENCY = 100;
const CONNECT_BUDGET_MS = 30_000;
const DRAIN_MS = 2_000;

function payloadFor(plan: EchoPlan): Buffer {
  // Text payloads are ASCII letters, so every server sees valid UTF-8 of exactly `bytes` bytes.
  if (plan.frame === "text") return Buffer.alloc(plan.bytes, "abcdefghijklmnopqrstuvwxyz");
  return randomBytes(plan.bytes);
}

/** The CPUs this process may run on, as the C generator reports them (Cpus_allowed_list). */
function allowedCpus(): string | undefined {
  return /^Cpus_allowed_list:\s*(\S+)/m.exec(readFileSync("/proc/self/status", "utf8"))?.[1];
}

/** Runs one closed-loop echo measurement and returns its result; says when the measured window opens and closes. */
export async function runEcho(plan: EchoPlan, announce: (line: WindowLine) => void): Promise<LoadResult> {
  const opened = await openSockets(plan.url, plan.connections, CONNECT_CONCURRENCY, Date.now() + CONNECT_BUDGET_MS);
  const payload = payloadFor(plan);
  const binary = plan.frame === "binary";
  const histogram = latencyHistogram();
  let errors = opened.errors;
  let firstError = opened.firstError;
  const fail = (reason: string) => {
    errors += 1;
    firstError ??= reason;
  };

  let measuring = false;
  let stopped = false;
  let echoed = 0;
  let inFlight = 0;
  let drained: () => void = () => {};

  for (const socket of opened.sockets) {
    let sentAt = 0;
    const send = () => {
      inFlight += 1;
      sentAt = performance.now();
      socket.send(payload, { binary });
    };
    socket.on("message", (data: Buffer, isBinary: boolean) => {
      inFlight -= 1;
      if (isBinary !== binary || !data.equals(payload)) fail(`echo differs: ${data.length} bytes, binary=${isBinary}`);
      if (measuring) {
        recordSince(histogram, sentAt);
        echoed += 1;
      }
      if (!stopped) send();
      else if (inFlight === 0) drained();
    });
    socket.on("close", (code) => {
      if (!stopped) fail(`server closed a connection with ${code}`);
    });
    send();
  }

  await sleep(plan.warmupMs);
  histogram.reset();
  echoed = 0;
  measuring = true;
  announce({ event: "window", phase: "start" });
  const cpuAtStart = process.cpuUsage();
  const startedAt = performance.now();
  await sleep(plan.durationMs);
  measuring = false;
  stopped = true;
  const wallMs = performance.now() - startedAt;
  const cpu = process.cpuUsage(cpuAtStart);
  announce({ event: "window", phase: "end" });

  // Let the last round trips finish, so the server is not hit with resets mid-write.
  if (inFlight > 0) await Promise.race([new Promise<void>((resolve) => (drained = resolve)), sleep(DRAIN_MS)]);
  dropAll(opened.sockets);
  return {
    event: "result",
    mode: "echo",
    generator: "node",
    perSecond: echoed / (wallMs / 1000),
    latency: summarise(histogram),
    opened: opened.sockets.length,
    errors,
    firstError,
    cpuUserMs: cpu.user / 1000,
    cpuSystemMs: cpu.system / 1000,
    wallMs,
    cpus: allowedCpus(),
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
