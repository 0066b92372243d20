// Deno entry: Deno.serve with Deno's own WebSocket upgrade (see upgrade.ts for why not hono/deno's).
import { configVariables } from "../src/config.ts";
import { configOrReport, createProcessHost } from "../src/host/process-host.ts";
import { HostedSession } from "../src/host/hosted-session.ts";
import { upgradeWithDeno } from "./upgrade.ts";

// Env access is granted per variable (deno.json), and Deno.env.toObject() would need all of it.
const environment = Object.fromEntries(configVariables.map((name) => [name, Deno.env.get(name)]));
const config = configOrReport(environment, (line) => console.error(line));
if (!config) Deno.exit(1);

const host = createProcessHost({
  runtime: "deno",
  config,
  upgrade: (host) => (c, accepted) => upgradeWithDeno(c.req.raw, accepted, new HostedSession(accepted, host), { pingIntervalS: config.pingIntervalS }),
  // Deno.serve hands its ServeHandlerInfo to app.fetch as the second argument, which Hono calls env.
  remoteAddress: (c) => (c.env as Deno.ServeHandlerInfo<Deno.NetAddr> | undefined)?.remoteAddr.hostname,
});

const onSignal = host.shutdownHandler(
  () => {
    stopSweeps();
    // shutdown() stops accepting and resolves once in-flight requests are done; upgraded sockets are
    // drained by the shared handler, so its promise is not awaited here.
    void server.shutdown();
  },
  (code) => Deno.exit(code),
);
// Listening for signals before serving: the harness (or a user) may stop the server right after "listen".
Deno.addSignalListener("SIGINT", () => onSignal("SIGINT"));
Deno.addSignalListener("SIGTERM", () => onSignal("SIGTERM"));

const server = Deno.serve({
  port: config.port,
  hostname: config.host,
  onListen: ({ hostname, port }) => {
    const urlHost = hostname.includes(":") ? `[${hostname}]` : hostname;
    host.log.info("listen", { host: hostname, port, url: `http://${urlHost}:${port}` });
  },
}, host.app.fetch);
const stopSweeps = host.startSweeps();
