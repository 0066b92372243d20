// Bun entry: Bun.serve with the product's limits (serve.ts).
import { configOrReport } from "../src/host/process-host.ts";
import { serveWithBun } from "./serve.ts";

const config = configOrReport(process.env, (line) => console.error(line));
if (!config) process.exit(1);
serveWithBun(config, (code) => process.exit(code));
