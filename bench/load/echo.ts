// Closed-loop echo: each connection has exactly one message in flight, so throughput and latency
// are the server's answer to a fixed number of patient clients (no coordinated-omission backlog).
import { randomBytes } from "node:crypto";
import type { EchoPlan, LoadResult } from "../plan.ts";
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

/** Runs one closed-loop echo measurement and returns its result. */
export async function runEcho(plan: EchoPlan): Promise<LoadResult> {
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
  const startedAt = performance.now();
  await sleep(plan.durationMs);
  measuring = false;
  stopped = true;
  const elapsedS = (performance.now() - startedAt) / 1000;

  // Let the last round trips finish, so the server is not hit with resets mid-write.
  if (inFlight > 0) await Promise.race([new Promise<void>((resolve) => (drained = resolve)), sleep(DRAIN_MS)]);
  dropAll(opened.sockets);
  return {
    event: "result",
    mode: "echo",
    perSecond: echoed / elapsedS,
    latency: summarise(histogram),
    opened: opened.sockets.length,
    errors,
    firstError,
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
