// The Node entry composed with the test app (test-app.ts).
import { configOrReport } from "../../src/host/process-host.ts";
import { serveWithWs } from "../../src/adapter/ws/serve.ts";
import { mountTestMiddleware, withThrowingCore } from "./test-app.ts";

const config = configOrReport(process.env, (line) => console.error(line));
if (!config) process.exit(1);
const onSignal = serveWithWs("node", withThrowingCore(config), (code) => process.exit(code), mountTestMiddleware);
process.on("SIGTERM", () => onSignal("SIGTERM"));
