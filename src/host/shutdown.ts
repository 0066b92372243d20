// Graceful shutdown of a process runtime (SIGINT/SIGTERM): stop accepting, close every connection
// with 1001 Going Away (RFC 6455 §7.4.1), wait for the close handshakes up to the grace period.
import { CloseCode } from "../core/close-codes.ts";
import type { Logger } from "../log.ts";
import type { LiveConnections } from "./live-connections.ts";

/** What a shutdown needs from the runtime entry. */
export interface ShutdownSteps {
  connections: LiveConnections;
  log: Logger;
  graceMs: number;
  /** Stops the listener, so no new connection arrives while draining. */
  stopListening: () => void;
}

const POLL_MS = 25;

/** Drains the process; resolves once every connection is closed or the grace period is over. */
export async function drainConnections(steps: ShutdownSteps, signal: string): Promise<void> {
  const { connections, log, graceMs } = steps;
  const started = Date.now();
  log.info("shutdown", { signal, open: connections.count, grace_ms: graceMs });
  steps.stopListening();
  connections.closeAll(CloseCode.goingAway, "server shutting down");
  while (connections.count > 0 && Date.now() - started < graceMs) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  log.info("shutdown", { signal, open: connections.count, drained: connections.count === 0, elapsed_ms: Date.now() - started });
}

/**
 * Runs the drain on the first signal and then `exit(0)`; a second signal exits at once (code 1), for the
 * operator who does not want to wait.
 */
export function shutdownOnce(steps: ShutdownSteps, exit: (code: number) => void): (signal: string) => void {
  let draining = false;
  return (signal) => {
    if (draining) return exit(1);
    draining = true;
    void drainConnections(steps, signal).finally(() => exit(0));
  };
}
