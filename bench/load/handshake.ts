// Handshake rate: `concurrency` loops, each opening a socket, closing it cleanly and starting over.
// Only cycles that finish inside the window count, so the rate is not flattered by a tail.
import type WebSocket from "ws";
import type { HandshakePlan, LoadResult } from "../plan.ts";
import { openSocket } from "./connect.ts";
import { latencyHistogram, recordSince, summarise } from "./latency.ts";

const CLOSE_WAIT_MS = 5_000;
const RETRY_PAUSE_MS = 20;

function closeCleanly(socket: WebSocket): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      socket.terminate();
      resolve();
    }, CLOSE_WAIT_MS);
    socket.once("close", () => {
      clearTimeout(timer);
      resolve();
    });
    socket.close(1000);
  });
}

/** Opens and closes sockets for `durationMs`; returns cycles per second and time-to-open. */
export async function runHandshakes(plan: HandshakePlan): Promise<LoadResult> {
  const histogram = latencyHistogram();
  const endsAt = performance.now() + plan.durationMs;
  let cycles = 0;
  let errors = 0;
  let firstError: string | undefined;

  const lane = async () => {
    while (performance.now() < endsAt) {
      const startedAt = performance.now();
      const outcome = await openSocket(plan.url);
      if (outcome instanceof Error) {
        errors += 1;
        firstError ??= outcome.message;
        await new Promise((resolve) => setTimeout(resolve, RETRY_PAUSE_MS));
        continue;
      }
      recordSince(histogram, startedAt);
      outcome.on("error", () => {});
      await closeCleanly(outcome);
      if (performance.now() <= endsAt) cycles += 1;
    }
  };
  await Promise.all(Array.from({ length: plan.concurrency }, lane));
  return {
    event: "result",
    mode: "handshake",
    perSecond: cycles / (plan.durationMs / 1000),
    latency: summarise(histogram),
    opened: cycles,
    errors,
    firstError,
  };
}
