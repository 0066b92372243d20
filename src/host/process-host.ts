// What a long-lived server process (Node, Deno, Bun) sets up around the app, shared by their entries.
import type { BufferedBytesOf, UpgradeHandler } from "../adapter/contract.ts";
import { createApp, type AppOptions } from "../app.ts";
import { ConfigError, parseConfig, sessionRulesOf, type Config, type Environment } from "../config.ts";
import { deadPeerTimeoutMs } from "../core/connection-end.ts";
import { flowControlLimitsOf } from "../core/flow-control.ts";
import { StepClock } from "../core/step-clock.ts";
import { clientAddressResolver } from "../http/client-address.ts";
import { createLogger, type Logger, type RuntimeName } from "../log.ts";
import { LiveConnections } from "./live-connections.ts";
import { Metrics } from "./metrics.ts";
import type { MeasuredFlowControl, ProcessServices } from "./hosted-session.ts";
import { shutdownOnce } from "./shutdown.ts";

/** A configured process: its settings, logger, open connections and the app to serve. */
export interface ProcessHost extends ProcessServices {
  config: Config;
  log: Logger;
  connections: LiveConnections;
  app: ReturnType<typeof createApp>;
  /** Logs `listen` and names this instance by the address it listens on (/healthz). */
  listening(address: { host: string; port: number; url: string }): void;
  /** Starts the idle-timeout sweep; returns the function that stops it. */
  startSweeps(): () => void;
  /**
   * The signal handler that drains (503 to health checks and upgrades, 1001 to connections), then calls
   * `exit`; with REUSE_PORT it calls `closeListener` as draining starts (src/host/shutdown.ts).
   */
  shutdownHandler(stopListening: () => void, exit: (code: number) => void, closeListener?: () => void): (signal: string) => void;
}

/** The configuration, or undefined after writing one line that names the bad variable. */
export function configOrReport(env: Environment, report: (line: string) => void): Config | undefined {
  try {
    return parseConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      report(`configuration error: ${error.message}`);
      return undefined;
    }
    throw error;
  }
}

/** Wires config, logger, connection registry and app for one runtime. */
export function createProcessHost(options: {
  runtime: RuntimeName;
  config: Config;
  upgrade: (services: ProcessServices) => UpgradeHandler;
  /** The direct peer's address; behind a proxy named in TRUST_PROXY, the client's comes from its headers. */
  peerAddress?: AppOptions["remoteAddress"];
  /** How this runtime reads a socket's unsent bytes. */
  bufferedBytesOf: BufferedBytesOf;
  mountMiddleware?: AppOptions["mountMiddleware"];
}): ProcessHost {
  const { runtime, config } = options;
  const log = createLogger({ runtime, level: config.logLevel });
  const connections = new LiveConnections(config);
  const metrics = new Metrics();
  const services: ProcessServices = { rules: sessionRulesOf(config), clock: new StepClock(), flowControl: measuredFlowControlOf(config, options.bufferedBytesOf), log, connections, metrics };
  const { peerAddress } = options;
  const clientAddress = clientAddressResolver(config.trustProxy);
  let draining = false;
  let instance: string | undefined;
  const app = createApp({
    runtime,
    config,
    log,
    upgrade: options.upgrade(services),
    remoteAddress: peerAddress && ((c) => clientAddress(peerAddress(c), c.req.raw.headers)),
    openConnections: () => connections.count,
    instance: () => instance,
    // A pure check: the registry counts a connection once its socket opens (LiveConnections.admit).
    connectionLimits: { check: (address) => connections.overLimit(address) },
    mountMiddleware: options.mountMiddleware,
    onRefused: (refusal) => metrics.refused(refusal.reason),
    metricsText: () => metrics.render(runtime, connections.count, connections.bufferedBytes()),
    draining: () => draining,
    refuseUpgradesWhileDraining: !config.reusePort,
  });
  // host:port, as nginx's upstream names an instance and Prometheus labels a scraped target.
  const listening = ({ host: address, port, url }: { host: string; port: number; url: string }) => {
    instance = `${address.includes(":") ? `[${address}]` : address}:${port}`;
    log.info("listen", { host: address, port, url });
  };
  const startSweeps = () => {
    // Idle deadlines are in whole seconds, so a one-second sweep is exact enough.
    const timer = setInterval(() => connections.sweep(Date.now()), 1000);
    return () => clearInterval(timer);
  };
  const shutdownHandler = (stopListening: () => void, exit: (code: number) => void, closeListener?: () => void) =>
    shutdownOnce(
      {
        connections,
        log,
        graceMs: config.shutdownGraceS * 1000,
        delayMs: config.shutdownDelayS * 1000,
        startDraining: () => (draining = true),
        stopListening,
        closeListener: config.reusePort ? (closeListener ?? stopListening) : undefined,
      },
      exit,
    );
  return { ...services, config, log, connections, app, listening, startSweeps, shutdownHandler };
}

/**
 * Flow control from the settings. A paused client that does not drain is as good as a dead peer, so
 * it gets the dead-peer timeout even with the heartbeat off: Bun suspends its own heartbeat on a
 * paused socket, and a close frame would wait behind the unread replies.
 */
function measuredFlowControlOf(config: Config, bytesOf: BufferedBytesOf): MeasuredFlowControl {
  return { ...flowControlLimitsOf(config.maxBufferedBytes), stallMs: deadPeerTimeoutMs(config.pingIntervalS), bytesOf };
}
