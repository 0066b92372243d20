// Runs bench/load.ts in a process of its own and reads its JSON lines.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { HoldingLine, IdlePlan, LoadPlan, LoadResult } from "./plan.ts";

const loadScript = fileURLToPath(new URL("./load.ts", import.meta.url));

interface Generator {
  holding: Promise<HoldingLine>;
  result: Promise<LoadResult>;
  release(): void;
}

function spawnGenerator(plan: LoadPlan, budgetMs: number): Generator {
  // The project's Node 24 (the runner's own binary) with the ws client: the fastest client here.
  const child = spawn(process.execPath, [loadScript, JSON.stringify(plan)], { stdio: ["pipe", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const killer = setTimeout(() => child.kill("SIGKILL"), budgetMs);

  let onHolding: (line: HoldingLine) => void = () => {};
  let onResult: (line: LoadResult) => void = () => {};
  const ended = new Promise<Error>((resolve) =>
    child.once("exit", (code, signal) => {
      clearTimeout(killer);
      // Arrives after the result when all went well; then nobody is waiting for it any more.
      resolve(new Error(`load generator (${plan.mode}) ended with ${signal ?? code} and no result. ${stderr.trim()}`));
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
      const parsed = JSON.parse(line) as HoldingLine | LoadResult;
      if (parsed.event === "holding") onHolding(parsed);
      else onResult(parsed);
    }
  });
  return { holding, result, release: () => child.stdin.end("release\n") };
}

/** Runs one echo or handshake measurement to its end. */
export function runLoad(plan: Exclude<LoadPlan, IdlePlan>): Promise<LoadResult> {
  const budgetMs = plan.durationMs + (plan.mode === "echo" ? plan.warmupMs : 0) + 90_000;
  return spawnGenerator(plan, budgetMs).result;
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
    spawnGenerator({ ...plan, connections: Math.min(share, plan.connections - index * share) }, plan.holdMs + 60_000),
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
