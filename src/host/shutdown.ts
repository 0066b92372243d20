// Graceful shutdown of a process runtime (SIGINT/SIGTERM), so a deploy drops no user: drain first,
// with the listener still open, then stop listening. While draining, /healthz answers 503 (a load
// balancer polling it stops sending new clients here) and new upgrades get 503 + Retry-After. After
// SHUTDOWN_DELAY_S (0 by default; as long as the load balancer needs to notice), every connection is
// closed with 1001 Going Away (RFC 6455 §7.4.1), and its page reconnects to whichever server answers.
// Once the close handshakes are done, or at SHUTDOWN_GRACE_S, the listener closes. With REUSE_PORT the
// listening socket closes first instead: siblings share the port, so a 503 phase would only refuse
// clients the kernel can hand to them (with net.ipv4.tcp_migrate_req=1 it also moves this listener's
// queue there), and an upgrade on a connection accepted just before is answered 101, then 1001.
import { CloseCode } from "../core/close-codes.ts";
import type { Logger } from "../log.ts";
import type { LiveConnections } from "./live-connections.ts";

/** What a shutdown needs from the runtime entry. */
export interface ShutdownSteps {
  connections: LiveConnections;
  log: Logger;
  graceMs: number;
  /** How long to answer 503 with connections still open, before closing them. */
  delayMs: number;
  /** From now on /healthz answers 503 "draining" and upgrades are refused. */
  startDraining: () => void;
  /** Stops the listener; called once drained, so health checks reach the server until then. */
  stopListening: () => void;
  /**
   * Closes the listening socket alone, as draining starts: set when other instances share the port
   * (REUSE_PORT). Connections already accepted are served on, so a request under way is not cut.
   */
  closeListener?: () => void;
}

const POLL_MS = 25;

/** Drains the process; resolves once every connection is closed or the grace period is over. */
export async function drainConnections(steps: ShutdownSteps, signal: string): Promise<void> {
  const { connections, log, graceMs, delayMs } = steps;
  log.info("shutdown", { signal, open: connections.count, delay_ms: delayMs, grace_ms: graceMs });
  steps.startDraining();
  steps.closeListener?.();
  if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
  const started = Date.now();
  connections.closeAll(CloseCode.goingAway, "server shutting down");
  while (connections.count > 0 && Date.now() - started < graceMs) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  steps.stopListening();
  log.info("shutdown", { signal, open: connections.count, drained: connections.count === 0, elapsed_ms: Date.now() - started });
}

// One stop request often arrives twice within milliseconds: systemd's SIGTERM and a terminal's Ctrl-C
// go to every process of the group, and a wrapper in it (`deno task`, seen with Deno 2.9.6) passes its
// copy on. A signal this long after the first is the operator insisting.
const INSISTING_AFTER_MS = 1000;

/**
 * Runs the drain on the first signal and then `exit(0)`; a second signal a second or more later exits at
 * once (code 1), for the operator who does not want to wait.
 */
export function shutdownOnce(steps: ShutdownSteps, exit: (code: number) => void): (signal: string) => void {
  let firstSignalAt: number | undefined;
  return (signal) => {
    if (firstSignalAt !== undefined) {
      if (Date.now() - firstSignalAt >= INSISTING_AFTER_MS) exit(1);
      return;
    }
    firstSignalAt = Date.now();
    void drainConnections(steps, signal).finally(() => exit(0));
  };
}
