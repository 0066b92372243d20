// The Deno entry composed with the test app (test-app.ts).
import { configOrReport } from "../../src/host/process-host.ts";
import { serveWithWs } from "../../src/adapter/ws/serve.ts";
import { variablesFor } from "../../src/settings.ts";
import { mountTestMiddleware, withThrowingCore } from "./test-app.ts";

const environment = Object.fromEntries(variablesFor("deno").map((name) => [name, Deno.env.get(name)]));
const config = configOrReport(environment, (line) => console.error(line));
if (!config) Deno.exit(1);
const onSignal = serveWithWs("deno", withThrowingCore(config), (code) => Deno.exit(code), mountTestMiddleware);
Deno.addSignalListener("SIGTERM", () => onSignal("SIGTERM"));
