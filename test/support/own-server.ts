// For suites that need a server with other settings than the shared one: one per test file.
import { afterAll, beforeAll, inject } from "vitest";
import type { RuntimeName } from "../../src/runtimes.ts";
import { startRuntime, startTestEntry } from "./runtimes.ts";
import type { ServerProcess } from "./server-process.ts";

/** The runtime under test (from the project name, e.g. "limits:deno"). */
export const runtimeUnderTest = (): RuntimeName => inject("runtime");

/** A server of the runtime under test with `env`, started before this file's tests and stopped after; call
 * it at a test file's top level (hooks registered inside a hook never run). Returns the running server's getter. */
export function ownServer(env: Record<string, string>): () => ServerProcess {
  return serverForThisFile(() => startRuntime(runtimeUnderTest(), { env }));
}

/** As {@link ownServer}, with the runtime's test entry: the product plus test/entries/test-app.ts. */
export function ownTestEntry(env: Record<string, string> = {}): () => ServerProcess {
  return serverForThisFile(() => startTestEntry(runtimeUnderTest(), { env }));
}

function serverForThisFile(start: () => Promise<ServerProcess>): () => ServerProcess {
  let server: ServerProcess | undefined;
  beforeAll(async () => {
    server = await start();
  });
  afterAll(async () => {
    await server?.stop();
  });
  return () => {
    if (!server) throw new Error("the server of this file did not start");
    return server;
  };
}
