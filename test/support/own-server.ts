// For suites that need a server with other settings than the shared one: one per test file.
import { afterAll, beforeAll, inject } from "vitest";
import type { RuntimeName } from "../../src/runtimes.ts";
import { startRuntime } from "./runtimes.ts";
import type { ServerProcess } from "./server-process.ts";

/** The runtime under test (from the project name, e.g. "limits:deno"). */
export const runtimeUnderTest = (): RuntimeName => inject("runtime");

/**
 * Registers a server of the runtime under test with `env` for this file: started before its tests,
 * stopped after them. Call it at the top level of a test file (hooks registered inside another hook
 * are not run); the returned function gives the running server.
 */
export function ownServer(env: Record<string, string>): () => ServerProcess {
  let server: ServerProcess | undefined;
  beforeAll(async () => {
    server = await startRuntime(runtimeUnderTest(), { env });
  });
  afterAll(async () => {
    await server?.stop();
  });
  return () => {
    if (!server) throw new Error("the server of this file did not start");
    return server;
  };
}
