// The server stack Node and Deno share: node:http for plain requests and the npm `ws` package for
// WebSockets. Deno runs both as they are, and `ws` gives what Deno's own
// Deno.upgradeWebSocket cannot (docs/runtimes.md#deno): the RFC 6455 outcome for every protocol error, a message
// limit enforced before buffering, and a socket that can stop reading. So both entries keep only what
// is their runtime's own (how the environment is read, signals) and call this.
import { createServer as createHttpServer, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { Server as NetServer, type AddressInfo } from "node:net";
import { WebSocketServer, type ServerOptions } from "ws";
import type { Config } from "../../config.ts";
import type { AppOptions } from "../../app.ts";
import { createProcessHost } from "../../host/process-host.ts";
import { exitOnStartupFailure, listenFailure, messageOf, startupStep } from "../../host/startup-failure.ts";
import { readTlsCredentials } from "../../host/tls-credentials.ts";
import { selectSubprotocol } from "../../http/subprotocol.ts";
import type { RuntimeName } from "../../log.ts";
import { startHeartbeat } from "./heartbeat.ts";
import { requestListener, type NodeEnv } from "./request-listener.ts";
import { acceptUpgrade, bufferedBytesOfWs, serveUpgrades, SessionWebSocket } from "./upgrade.ts";

/**
 * A client that trickles its request head (slowloris) holds a socket until `headersTimeout`: node:http's
 * default is 60 s, checked every 30 s, so up to 90 s. Bun gives up after about 10 s; so does this.
 * Heads over 16 KiB (node:http's default `maxHeaderSize`) are answered 431 on every runtime.
 */
const requestHeadLimits = { headersTimeout: 10_000, requestTimeout: 10_000, connectionsCheckingInterval: 1_000 };

/**
 * ws keeps a message's fragments as one Buffer each (~100 bytes apiece) until the last, and closes with
 * 1008 past `maxFragments`. Its default, 16,384, spans several socket reads when the fragments are
 * 1 byte, so the lists outlive young-generation collections and the heap grows with every such
 * client. At 1,024 a list fits one 64 KiB read and dies young (docs/security.md). A 1 MiB message still
 * passes in 1 KiB fragments. (Not in @types/ws 8.18 yet.)
 */
const fragmentLimit = { maxFragments: 1024 } as ServerOptions;

/**
 * Serves the app on node:http + ws, or node:https + ws with TLS_CERT_FILE/TLS_KEY_FILE (Deno's
 * node:https serves wss: with ws as Node's does); returns the signal handler that drains and then
 * calls `exit`. A failure to start ends the process with one line and exit code 1. `mountMiddleware`
 * is an entry's own Hono middleware (the product's entries have none).
 */
export function serveWithWs(runtime: RuntimeName, config: Config, exit: (code: number) => never, mountMiddleware?: AppOptions["mountMiddleware"]): (signal: string) => void {
  const tlsFiles = config.tls;
  const tls = tlsFiles && startupStep(() => readTlsCredentials(tlsFiles), exit);

  // ws enforces the size limit (1009), UTF-8 (1007) and framing (1002) itself, before our code runs.
  const webSocketServer = new WebSocketServer({
    noServer: true,
    WebSocket: SessionWebSocket,
    maxPayload: config.maxMessageBytes,
    ...fragmentLimit,
    handleProtocols: (offered) => selectSubprotocol(offered) ?? false,
  });

  const host = createProcessHost({
    runtime,
    config,
    upgrade: acceptUpgrade,
    // Plain requests and upgrades alike carry the IncomingMessage as `env.incoming`.
    peerAddress: (c) => (c.env as NodeEnv).incoming.socket.remoteAddress,
    bufferedBytesOf: bufferedBytesOfWs,
    mountMiddleware,
  });

  const server: Server = tls ? createHttpsServer({ ...requestHeadLimits, ...tls }) : createHttpServer(requestHeadLimits);
  server.on("request", requestListener(host.app.fetch, (error) => host.log.error("error", { message: messageOf(error) })));
  // reusePort (Node 22.12+; Deno's node:http passes it on to its own listener too): REUSE_PORT.
  server.listen({ port: config.port, host: config.host, reusePort: config.reusePort }, () => {
    const info = server.address() as AddressInfo;
    const hostname = info.family === "IPv6" ? `[${info.address}]` : info.address;
    host.listening({ host: info.address, port: info.port, url: `${tls ? "https" : "http"}://${hostname}:${info.port}` });
  });
  // Listening fails asynchronously, as an 'error' event (Deno's node:http alike); without a listener it
  // would be an uncaught exception with a stack trace.
  server.on("error", (error) => {
    if (!server.listening) exitOnStartupFailure(listenFailure(error, config.host, config.port), exit);
    host.log.error("error", { message: messageOf(error) });
  });
  serveUpgrades(server, webSocketServer, host.app.fetch, host.log);
  const stopSweeps = host.startSweeps();
  const stopHeartbeat = startHeartbeat(webSocketServer, config.pingIntervalS, host.log);

  return host.shutdownHandler(
    () => {
      stopSweeps();
      stopHeartbeat();
      if (server.listening) server.close();
      // Idle keep-alive HTTP connections would otherwise hold the listener open.
      server.closeIdleConnections();
    },
    exit,
    // net.Server's close, not http.Server's: that one also drops connections with no request yet, and
    // with REUSE_PORT those are clients the kernel gave this instance just before it stopped listening.
    () => NetServer.prototype.close.call(server),
  );
}
