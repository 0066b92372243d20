// Node entry: node:http + ws, the stack it shares with Deno (src/adapter/ws/serve.ts).
import { configOrReport } from "../src/host/process-host.ts";
import { serveWithWs } from "../src/adapter/ws/serve.ts";

const config = configOrReport(process.env, (line) => console.error(line));
if (!config) process.exit(1);

const onSignal = serveWithWs("node", config, (code) => process.exit(code));
process.on("SIGINT", () => onSignal("SIGINT"));
process.on("SIGTERM", () => onSignal("SIGTERM"));
