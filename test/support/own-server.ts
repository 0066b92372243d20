// For suites that need a server with other settings than the shared one: start it per test file.
import { afterAll, inject } from "vitest";
import { startRuntime } from "./runtimes.ts";
import type { ServerProcess } from "./server-process.ts";

/** The runtime under test (from the project name, e.g. "limits:deno"). */
export const runtimeUnderTest = (): string => inject("runtime");

/** Starts a server of the runtime under test with `env`, stopped after the file's tests. */
export async function ownServer(env: Record<string, string>): Promise<ServerProcess> {
  const server = await startRuntime(runtimeUnderTest(), { env });
  afterAll(() => server.stop());
  return server;
}
