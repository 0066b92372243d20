// Node entry: @hono/node-server for plain HTTP, our own upgrade over `ws` (node/upgrade.ts).
import { serve } from "@hono/node-server";
import { getConnInfo } from "@hono/node-server/conninfo";
import type { Server } from "node:http";
import { WebSocketServer } from "ws";
import { configOrReport, createProcessHost } from "../src/host/process-host.ts";
import { selectSubprotocol } from "../src/http/subprotocol.ts";
import { startHeartbeat } from "./heartbeat.ts";
import { acceptUpgrade, serveUpgrades } from "./upgrade.ts";

const config = configOrReport(process.env, (line) => console.error(line));
if (!config) process.exit(1);

// ws enforces the size limit (1009), UTF-8 (1007) and framing (1002) itself, before our code runs.
const webSocketServer = new WebSocketServer({
  noServer: true,
  maxPayload: config.maxMessageBytes,
  handleProtocols: (offered) => selectSubprotocol(offered) ?? false,
});

const host = createProcessHost({
  runtime: "node",
  config,
  upgrade: acceptUpgrade,
  // Plain requests and upgrades alike carry the IncomingMessage as `env.incoming`.
  remoteAddress: (c) => getConnInfo(c).remote.address,
});

const server = serve({ fetch: host.app.fetch, port: config.port, hostname: config.host }, (info) => {
  const hostname = info.family === "IPv6" ? `[${info.address}]` : info.address;
  host.log.info("listen", { host: info.address, port: info.port, url: `http://${hostname}:${info.port}` });
}) as Server;
serveUpgrades(server, webSocketServer, host.app.fetch, host.log);
const stopSweeps = host.startSweeps();
const stopHeartbeat = startHeartbeat(webSocketServer, config.pingIntervalS, host.log);

const onSignal = host.shutdownHandler(
  () => {
    stopSweeps();
    stopHeartbeat();
    server.close();
    // Idle keep-alive HTTP connections would otherwise hold the listener open.
    server.closeIdleConnections();
  },
  (code) => process.exit(code),
);
process.on("SIGINT", () => onSignal("SIGINT"));
process.on("SIGTERM", () => onSignal("SIGTERM"));
