// The Bun entry composed with the test app (test-app.ts).
import { serveWithBun } from "../../bun/serve.ts";
import { configOrReport } from "../../src/host/process-host.ts";
import { mountTestMiddleware, withThrowingCore } from "./test-app.ts";

const config = configOrReport(process.env, (line) => console.error(line));
if (!config) process.exit(1);
serveWithBun(withThrowingCore(config), (code) => process.exit(code), mountTestMiddleware);
