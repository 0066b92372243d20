// Experiment behind a proposed fix, not a product entry: node/main.ts's wiring, except that
// @hono/node-server's upgradeWebSocket gets a slim stand-in for the Hono Context. Its helper keeps
// the context it is given alive for the whole connection (a closure in its upgrade IIFE reads
// `c.req.url`), and with it the Context's ~20 bound methods, HonoRequest, the Request and its
// Headers, the URL and the IncomingMessage: ~7.5 KB of heap per idle connection (heap snapshot,
// 2000 connections). It reads only `c.env`, `c.req.url` and `c.req.header("upgrade")`.
// Run: npm run bench -- --only raw-ws,product-node,product-node-slim --parts idle
import { serve, upgradeWebSocket } from "@hono/node-server";
import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context } from "hono";
import { WebSocketServer } from "ws";
import { configOrReport, createProcessHost } from "../../src/host/process-host.ts";
import { sessionEvents } from "../../src/host/session-events.ts";
import { selectSubprotocol } from "../../src/http/subprotocol.ts";

/** What the helper reads of a Context, copied out so the Context itself can be collected. */
function slimContext(c: Context): Context {
  const url = c.req.url;
  const upgrade = c.req.header("upgrade");
  return { env: c.env, req: { url, header: (name: string) => (name.toLowerCase() === "upgrade" ? upgrade : undefined) } } as unknown as Context;
}

const config = configOrReport(process.env, (line) => console.error(line));
if (!config) process.exit(1);
const webSocketServer = new WebSocketServer({ noServer: true, maxPayload: config.maxMessageBytes, handleProtocols: (offered) => selectSubprotocol(offered) ?? false });
const host = createProcessHost({
  runtime: "node",
  config,
  upgrade: (host) => (c, accepted) => upgradeWebSocket(slimContext(c), sessionEvents(accepted, host)),
  remoteAddress: (c) => getConnInfo(c).remote.address,
});
serve({ fetch: host.app.fetch, port: config.port, hostname: config.host, websocket: { server: webSocketServer } }, (info) => {
  console.log(JSON.stringify({ event: "listen", runtime: "node-slim-context", port: info.port }));
});
host.startSweeps();
process.on("SIGTERM", () => process.exit(0));
