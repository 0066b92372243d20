// Bun.serve with the product's limits mapped onto Bun's own WebSocket options.
import { getConnInfo } from "hono/bun";
import type { AppOptions } from "../src/app.ts";
import type { Config } from "../src/config.ts";
import { createProcessHost } from "../src/host/process-host.ts";
import { listenFailure, startupStep } from "../src/host/startup-failure.ts";
import { readTlsCredentials } from "../src/host/tls-credentials.ts";
import { bufferedBytesOfBun, bunUpgrade, sessionWebSocketHandler } from "./adapter.ts";

/**
 * Serves the app with Bun.serve, draining on SIGTERM and SIGINT; a failure to start ends the process
 * with one line and exit code 1. `mountMiddleware` is an entry's own Hono middleware (the product has none).
 */
export function serveWithBun(config: Config, exit: (code: number) => never, mountMiddleware?: AppOptions["mountMiddleware"]): void {
  const tlsFiles = config.tls;
  // Checked before Bun sees them, so a bad file is one line naming the variable (src/host/tls-credentials.ts).
  const tls = tlsFiles && startupStep(() => readTlsCredentials(tlsFiles), exit);

  const host = createProcessHost({
    runtime: "bun",
    config,
    upgrade: bunUpgrade,
    peerAddress: (c) => getConnInfo(c).remote.address,
    bufferedBytesOf: bufferedBytesOfBun,
    mountMiddleware,
  });

  // Signal handlers go in before the server listens: once "listen" is logged, a SIGTERM must drain.
  let stopListening = () => {};
  let closeListener = () => {};
  const onSignal = host.shutdownHandler(() => stopListening(), exit, () => closeListener());
  process.on("SIGINT", () => onSignal("SIGINT"));
  process.on("SIGTERM", () => onSignal("SIGTERM"));

  // Bun.serve throws at once when it cannot listen (port in use, privileged port): one line, exit 1.
  const server = startupStep(() => Bun.serve({
    port: config.port,
    hostname: config.host,
    // SO_REUSEPORT: instances on one HOST:PORT, balanced by the kernel (docs/deploying.md#kernel-balancing).
    reusePort: config.reusePort,
    tls,
    fetch: host.app.fetch,
    websocket: {
      ...sessionWebSocketHandler,
      // Bun closes over-long messages with 1009 itself, before the message is buffered.
      maxPayloadLength: config.maxMessageBytes,
      // Bun (uWS) pings a peer that was silent for idleTimeout and drops it after one more idleTimeout
      // without an answer: silent for two ping intervals (docs/protocol.md#limits). uWS counts in 4-s steps.
      sendPings: config.pingIntervalS > 0,
      idleTimeout: Math.min(960, config.pingIntervalS),
      // Flow control pauses a slow reader at MAX_BUFFERED_BYTES (src/host/hosted-session.ts). Bun's own
      // limit is only the last resort above that, for replies to messages Bun had already read when it
      // paused: closing there is better than what Bun does otherwise, dropping messages silently.
      backpressureLimit: Math.max(16 * 1024 * 1024, 2 * (config.maxBufferedBytes + config.maxMessageBytes)),
      closeOnBackpressureLimit: true,
    },
  }), exit, (error) => listenFailure(error, config.host, config.port));
  const stopSweeps = host.startSweeps();
  stopListening = () => {
    stopSweeps();
    void server.stop();
  };
  // stop() without force closes the listening socket and lets accepted connections and WebSockets finish.
  closeListener = () => void server.stop();
  host.listening({ host: server.hostname ?? config.host, port: server.port ?? config.port, url: server.url.href });
}
