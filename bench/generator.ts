// Runs a load generator in a process of its own and reads its JSON lines: the compiled C generator
// (bench/generator-c/) for echo runs where it could be built, and bench/load.ts (Node + ws) for
// idle and handshake runs, and for echo where it could not. Generators inherit the runner's CPU
// (bench/pinning.ts), so they never share the server's.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { echoLoadBinary, type EchoGenerator } from "./build-generator.ts";
import type { EchoPlan, HoldingLine, IdlePlan, LoadPlan, LoadResult, WindowLine } from "./plan.ts";

const loadScript = fileURLToPath(new URL("./load.ts", import.meta.url));

interface Generator {
  holding: Promise<HoldingLine>;
  result: Promise<LoadResult>;
  release(): void;
}

/** The command line of the C generator for `plan`. */
function echoLoadArguments(plan: EchoPlan): string[] {
  return [
    "--url", plan.url,
    "--connections", String(plan.connections),
    "--bytes", String(plan.bytes),
    "--frame", plan.frame,
    "--warmup-ms", String(plan.warmupMs),
    "--duration-ms", String(plan.durationMs),
  ];
}

function spawnGenerator(command: string, args: string[], what: string, budgetMs: number, onWindow: (line: WindowLine) => void = () => {}): Generator {
  const child = spawn(command, args, { stdio: ["pipe", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  // A generator that cannot start (its binary gone) reports it here rather than crash the runner.
  child.on("error", (error) => (stderr += error.message));
  const killer = setTimeout(() => child.kill("SIGKILL"), budgetMs);

  let onHolding: (line: HoldingLine) => void = () => {};
  let onResult: (line: LoadResult) => void = () => {};
  const ended = new Promise<Error>((resolve) =>
    child.once("close", (code, signal) => {
      clearTimeout(killer);
      // Arrives after the result when all went well; then nobody is waiting for it any more.
      resolve(new Error(`load generator (${what}) ended with ${signal ?? code} and no result. ${stderr.trim()}`));
    }),
  );
  const holding = new Promise<HoldingLine>((resolve, reject) => {
    onHolding = resolve;
    void ended.then(reject);
  });
  holding.catch(() => {}); // Echo and handshake generators never hold; their failure shows in `result`.
  const result = new Promise<LoadResult>((resolve, reject) => {
    onResult = resolve;
    void ended.then(reject);
  });

  let pending = "";
  child.stdout.on("data", (chunk: Buffer) => {
    pending += chunk.toString();
    const lines = pending.split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) {
      const parsed = JSON.parse(line) as HoldingLine | LoadResult | WindowLine;
      if (parsed.event === "holding") onHolding(parsed);
      else if (parsed.event === "window") onWindow(parsed);
      else onResult(parsed);
    }
  });
  return { holding, result, release: () => child.stdin.end("release\n") };
}

function spawnNodeGenerator(plan: LoadPlan, budgetMs: number, onWindow?: (line: WindowLine) => void): Generator {
  // The project's Node 24 (the runner's own binary) with the ws client.
  return spawnGenerator(process.execPath, [loadScript, JSON.stringify(plan)], `node ${plan.mode}`, budgetMs, onWindow);
}

/** Runs one echo measurement to its end; `onWindow` hears when its measured window opens and closes. */
export function runEcho(plan: EchoPlan, generator: EchoGenerator, onWindow: (line: WindowLine) => void): Promise<LoadResult> {
  const budgetMs = plan.durationMs + plan.warmupMs + 90_000;
  if (generator.kind === "node") return spawnNodeGenerator(plan, budgetMs, onWindow).result;
  return spawnGenerator(echoLoadBinary, echoLoadArguments(plan), "c echo", budgetMs, onWindow).result;
}

/** Runs one handshake measurement to its end. */
export function runHandshakes(plan: Exclude<LoadPlan, IdlePlan | EchoPlan>): Promise<LoadResult> {
  return spawnNodeGenerator(plan, plan.durationMs + 90_000).result;
}

/** Idle sockets spread over `parts` generators (one process may not hold them all). */
export interface IdleHold {
  /** Resolves when every generator holds its sockets: total opened and errors. */
  holding: Promise<{ opened: number; errors: number }>;
  /** Lets the sockets go and waits for the generators to finish. */
  release(): Promise<LoadResult[]>;
}

/** Opens `plan.connections` idle sockets over `parts` generator processes. */
export function holdIdle(plan: IdlePlan, parts: number): IdleHold {
  const share = Math.ceil(plan.connections / parts);
  const generators = Array.from({ length: parts }, (_, index) =>
    spawnNodeGenerator({ ...plan, connections: Math.min(share, plan.connections - index * share) }, plan.holdMs + 60_000),
  );
  return {
    holding: Promise.all(generators.map((generator) => generator.holding)).then((lines) => ({
      opened: lines.reduce((sum, line) => sum + line.opened, 0),
      errors: lines.reduce((sum, line) => sum + line.errors, 0),
    })),
    release: () => {
      for (const generator of generators) generator.release();
      return Promise.all(generators.map((generator) => generator.result));
    },
  };
}
