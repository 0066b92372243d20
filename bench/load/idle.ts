// Idle connections for the memory figure: open them all, say so, then stay silent until released.
import { createInterface } from "node:readline";
import type { HoldingLine, IdlePlan, LoadResult } from "../plan.ts";
import { dropAll, openSockets } from "./connect.ts";

const CONNECT_CONCURRENCY = 200;

/** Holds `connections` idle sockets until the runner writes `release` (or `holdMs` passes). */
export async function runIdle(plan: IdlePlan, announce: (line: HoldingLine) => void): Promise<LoadResult> {
  const opened = await openSockets(plan.url, plan.connections, CONNECT_CONCURRENCY, Date.now() + plan.holdMs);
  let closedEarly = 0;
  for (const socket of opened.sockets) socket.on("close", () => (closedEarly += 1));
  announce({ event: "holding", opened: opened.sockets.length, errors: opened.errors });

  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, plan.holdMs);
    const lines = createInterface({ input: process.stdin });
    lines.on("line", (line) => {
      if (line.trim() !== "release") return;
      clearTimeout(timer);
      lines.close();
      resolve();
    });
  });
  const errors = opened.errors + closedEarly;
  dropAll(opened.sockets);
  return {
    event: "result",
    mode: "idle",
    opened: opened.sockets.length,
    errors,
    firstError: opened.firstError ?? (closedEarly > 0 ? `${closedEarly} sockets closed while idle` : undefined),
  };
}
