// Deno entry: node:http + ws, the stack it shares with Node (src/adapter/ws/serve.ts). Not Deno.serve with
// Deno.upgradeWebSocket: that stack cannot limit a message before reading it, cannot stop reading a
// slow client, and drops TCP without a close frame on protocol errors (docs/runtimes.md#deno).
import { configOrReport } from "../src/host/process-host.ts";
import { serveWithWs } from "../src/adapter/ws/serve.ts";
import { variablesFor } from "../src/settings.ts";

// Env access is granted per variable (deno.json), and Deno.env.toObject() would need all of it.
const environment = Object.fromEntries(variablesFor("deno").map((name) => [name, Deno.env.get(name)]));
const config = configOrReport(environment, (line) => console.error(line));
if (!config) Deno.exit(1);

const onSignal = serveWithWs("deno", config, (code) => Deno.exit(code));
// Listening for signals right away: the harness (or a user) may stop the server right after "listen".
Deno.addSignalListener("SIGINT", () => onSignal("SIGINT"));
Deno.addSignalListener("SIGTERM", () => onSignal("SIGTERM"));
