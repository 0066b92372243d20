// Starts a real server process on an ephemeral port and tells the tests where it listens.
import { spawn, type ChildProcess } from "node:child_process";
import type { RuntimeName } from "../../src/runtimes.ts";

/** A running server process and its base URL (http://127.0.0.1:PORT, or https:// with TLS). */
export interface ServerProcess {
  baseUrl: string;
  child: ChildProcess;
  /** Every line the server wrote to stdout so far. */
  output: string[];
  stop(): Promise<void>;
}

/** A server that exited before it listened (e.g. refused its configuration). */
export class ServerExitedError extends Error {
  override name = "ServerExitedError";
  readonly exitCode: number | null;
  readonly stderr: string;

  constructor(exitCode: number | null, stderr: string, stdout: string) {
    super(`server exited with ${exitCode} before listening.\nstderr: ${stderr}\nstdout: ${stdout}`);
    this.exitCode = exitCode;
    this.stderr = stderr;
  }
}

/** Sends SIGTERM (unless the child has exited), then SIGKILL after `graceMs`; resolves once it has exited. */
export async function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  const exited = new Promise((resolve) => (child.exitCode === null && child.signalCode === null ? child.once("exit", resolve) : resolve(undefined)));
  if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
  const killer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  await exited;
  clearTimeout(killer);
}

/** Spawns `command` with PORT=0 on 127.0.0.1 and waits for its `listen` log line. */
export function startServerProcess(
  command: string,
  args: string[],
  options: { env?: Record<string, string>; cwd?: string; startTimeoutMs?: number } = {},
): Promise<ServerProcess> {
  const child = spawn(command, args, {
    cwd: options.cwd ?? process.cwd(),
    // Settings the suites depend on are pinned, so a developer's shell cannot change the results.
    env: { ...process.env, PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "info", RATE_LIMIT: "1000", ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));

  const stop = () => stopChild(child, 15_000);

  return new Promise((resolve, reject) => {
    const timeout = setTimeout(() => {
      void stop();
      reject(new Error(`${command} ${args.join(" ")} did not log "listen" in time.\nstderr: ${stderr}\nstdout: ${output.join("\n")}`));
    }, options.startTimeoutMs ?? 30_000);
    let pending = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) {
        output.push(line);
        const entry = parseLogLine(line);
        if (entry?.event === "listen" && typeof entry.port === "number") {
          clearTimeout(timeout);
          // https: when the server serves TLS (TLS_CERT_FILE/TLS_KEY_FILE), as its `url` says.
          const scheme = typeof entry.url === "string" && entry.url.startsWith("https:") ? "https" : "http";
          resolve({ baseUrl: `${scheme}://127.0.0.1:${entry.port}`, child, output, stop });
        }
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timeout);
      // Let the last stderr chunk arrive before reporting it.
      setTimeout(() => reject(new ServerExitedError(code, stderr, [...output, pending].join("\n"))), 50);
    });
  });
}

function parseLogLine(line: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    /** The runtime under test, for suites that start servers of their own (e.g. with other limits). */
    runtime: RuntimeName;
  }
}
