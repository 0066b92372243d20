// deploy/multivac@.service, stopped as systemd stops an instance: its KillSignal to every process of the
// unit (KillMode=control-group) or to the main one only (mixed). The unit runs `npm start` (Deno and Bun:
// `npm run start:deno`, `npm run start:bun`: docs/deploying.md#systemd), so npm, a shell and the server
// all get the signal, and `deno task` passes its copy on: the server must still drain once, 1001 and exit.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { ProcessRuntimeName } from "../../src/runtimes.ts";
import { runtimeUnderTest } from "../support/own-server.ts";
import { sharedUnitFile, unitEnvironment, unitFile, unitValues } from "../support/systemd-unit.ts";
import { openSocket } from "../support/ws-client.ts";

/** The instance this test runs: its name is its port, which the test then replaces by a free one. */
const instance = 8787;

/** ExecStart's npm arguments; Deno and Bun run their own npm script (docs/deploying.md#systemd). */
function npmArguments(): string[] {
  const [command, ...args] = unitValues("ExecStart", instance)[0]!.split(/\s+/);
  expect(command).toMatch(/\/npm$/);
  expect(args).toEqual(["start"]);
  const scripts: Record<ProcessRuntimeName, string[]> = { node: args, deno: ["run", "start:deno"], bun: ["run", "start:bun"] };
  return scripts[runtimeUnderTest() as ProcessRuntimeName];
}

/** The instance's Environment= settings, with a free port (PORT=0) and npm's cache in a temp dir. */
const environment = (cacheDir: string) => ({ ...unitEnvironment(instance), PORT: "0", npm_config_cache: cacheDir });

const cacheDir = mkdtempSync(join(tmpdir(), "multivac-npm-"));
afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));

const portIsClosed = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.once("connect", () => (socket.destroy(), resolve(false)));
    socket.once("error", () => resolve(true));
  });

describe("deploy/multivac@.service", () => {
  it.each([
    ["deploy/multivac@.service", unitFile, `multivac@${instance}.service`],
    ["deploy/multivac-shared@.service", sharedUnitFile, "multivac-shared@1.service"],
  ])("%s is a unit systemd accepts without a warning, as an instance", { skip: !existsSync("/usr/bin/systemd-analyze") }, async (_shown, file, name) => {
    // As `systemctl enable multivac@8787` names it: %i expanded.
    const instanceFile = join(cacheDir, name);
    symlinkSync(file, instanceFile);
    const child = spawn("/usr/bin/systemd-analyze", ["verify", instanceFile], { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    expect({ code, output }).toEqual({ code: 0, output: "" });
  });

  it("drains and stops on the signals systemd sends", async () => {
    const [killMode = "control-group"] = unitValues("KillMode", instance);
    const [killSignal = "SIGTERM"] = unitValues("KillSignal", instance);
    // Its own process group, as the unit's cgroup: what systemd signals with KillMode=control-group.
    const npm = spawn("npm", npmArguments(), { detached: true, env: { ...process.env, ...environment(cacheDir) }, stdio: ["ignore", "pipe", "pipe"] });
    const output: string[] = [];
    npm.stdout.on("data", (chunk: Buffer) => output.push(...chunk.toString().split("\n")));
    const entries = () => output.flatMap((line) => (line.startsWith("{") ? [JSON.parse(line) as Record<string, unknown>] : []));
    try {
      for (let waited = 0; !entries().some((entry) => entry.event === "listen") && waited < 60_000; waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
      const port = entries().find((entry) => entry.event === "listen")?.port as number;
      const client = await openSocket(`ws://127.0.0.1:${port}/ws`);

      if (killMode === "control-group") process.kill(-npm.pid!, killSignal as NodeJS.Signals);
      else npm.kill(killSignal as NodeJS.Signals);
      // Bounded, so that a server that never got the signal fails here and is still killed below.
      const timedOut = new Promise<{ code: string }>((resolve) => setTimeout(() => resolve({ code: "no close within 10 s" }), 10_000));
      expect((await Promise.race([client.closed, timedOut])).code).toBe(1001);
      for (let waited = 0; !(await portIsClosed(port)) && waited < 15_000; waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await portIsClosed(port)).toBe(true);
      expect(entries().filter((entry) => entry.event === "shutdown")).toEqual([
        expect.objectContaining({ signal: killSignal }),
        expect.objectContaining({ drained: true }),
      ]);
    } finally {
      try {
        process.kill(-npm.pid!, "SIGKILL");
      } catch {
        // Already gone, as it should be.
      }
    }
  });
});
