// A bad configuration value stops start-up with one clear line naming the variable, and a non-zero exit.
import { describe, expect, it } from "vitest";
import { runtimeUnderTest } from "../support/own-server.ts";
import { startRuntime } from "../support/runtimes.ts";
import { ServerExitedError } from "../support/server-process.ts";

describe("configuration", () => {
  it.each([
    ["MAX_MESSAGE_BYTES", "lots"],
    ["BOT_TIMEZONE", "Mars/Olympus_Mons"],
    ["LOG_LEVEL", "loud"],
  ])("refuses %s=%s at start-up", async (name, value) => {
    const failure = await startRuntime(runtimeUnderTest(), { env: { [name]: value } }).then(
      async (server) => {
        await server.stop();
        return undefined;
      },
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(ServerExitedError);
    const { exitCode, stderr } = failure as ServerExitedError;
    expect(exitCode).not.toBe(0);
    const lines = stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(name);
    expect(lines[0]).not.toMatch(/\n\s+at /);
  });
});
