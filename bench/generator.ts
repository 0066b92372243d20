// The load generator (bench/generator-c/load.c): built into bench/.build/ when its source is newer, then one
// process per measurement, on the runner's CPU (bench/pinning.ts), never the server's.
import { execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, mkdirSync, statSync } from "node:fs";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { commandVersion } from "./machine.ts";

/** One generator run; each field becomes a flag of generator-c/load.c (`warmupMs` is `--warmup-ms`). */
export interface LoadPlan {
  /** echo: closed loop, one message in flight per connection; handshake: open and close in loops; idle: hold silent sockets. */
  mode: "echo" | "handshake" | "idle";
  host: string;
  port: number;
  path: string;
  connections?: number;
  bytes?: number;
  /** Text frames of ASCII letters exercise the UTF-8 paths. */
  frame?: "binary" | "text";
  warmupMs?: number;
  durationMs?: number;
  /** Handshakes in flight at once (handshake: its parallel loops). */
  concurrency?: number;
  /** Idle: how long to hold if the runner never says `release`. */
  holdMs?: number;
}

/** Latency percentiles in milliseconds. */
export interface LatencySummary {
  count: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
}

/** The last line a generator prints; latency is round trips (echo) or time to open (handshake). */
interface LoadResult {
  event: "result";
  /** Echoes, or open+close cycles, per second. */
  perSecond?: number;
  latency?: LatencySummary;
  /** Connections open at once (echo, idle) or cycles (handshake). */
  opened: number;
  /** Failed connects, wrong echoes, unexpected closes. */
  errors: number;
  firstError?: string;
  /** Echo: the generator's own CPU time (user and system) over the measured window, and the window's length. */
  cpuMs?: number;
  wallMs?: number;
}

/** The lines a generator prints: echo's measured window opening and closing (so the runner can time the
 * server over the same window), idle's "every socket is open", and last its result. */
type WindowLine = { event: "window"; phase: "start" | "end" };
type GeneratorLine = WindowLine | { event: "holding"; opened: number; errors: number } | LoadResult;

const source = fileURLToPath(new URL("./generator-c/load.c", import.meta.url));
const binary = fileURLToPath(new URL("./.build/load", import.meta.url));

/** The generator of a run, as the results file records it (`kind` is always "c" since the Node one went). */
export interface EchoGenerator {
  kind: "c";
  /** The compiler that built it. */
  detail: string;
}

/** Builds the generator if needed; throws when there is no compiler or the build fails. */
export function prepareGenerator(): EchoGenerator {
  const compiler = [process.env.CC, "cc", "gcc"].find((candidate) => candidate && commandVersion(candidate));
  if (!compiler) throw new Error("the bench needs a C compiler (cc, gcc, or $CC) to build its load generator");
  if (!existsSync(binary) || statSync(binary).mtimeMs < statSync(source).mtimeMs) {
    mkdirSync(fileURLToPath(new URL("./.build/", import.meta.url)), { recursive: true });
    execFileSync(compiler, ["-O2", "-std=c11", "-D_GNU_SOURCE", "-Wall", "-Wextra", "-o", binary, source, "-lm"], { stdio: ["ignore", "ignore", "inherit"], timeout: 120_000 });
  }
  return { kind: "c", detail: commandVersion(compiler)! };
}

/** One line for the output: which program generated the load. */
export function describeGenerator(generator: EchoGenerator): string {
  return `load generator: compiled C, epoll, one thread (bench/generator-c/, built with ${generator.detail})`;
}

/** A running generator: its pid, the lines it prints, and how to let an idle one go. */
export interface Generator {
  pid: number | undefined;
  /** The next line it prints; throws if it ends without one. */
  next(): Promise<GeneratorLine>;
  release(): void;
}

/** Starts one generator run; it stops itself, and is killed if it overstays its plan. */
export function startGenerator(plan: LoadPlan): Generator {
  const args = Object.entries(plan).flatMap(([name, value]) => [`--${name.replace(/[A-Z]/g, (upper) => `-${upper.toLowerCase()}`)}`, String(value)]);
  const child = spawn(binary, args, { stdio: ["pipe", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  child.on("error", (error) => (stderr += error.message));
  const killer = setTimeout(() => child.kill("SIGKILL"), (plan.warmupMs ?? 0) + (plan.durationMs ?? 0) + (plan.holdMs ?? 0) + 90_000);
  const closed = once(child, "close").finally(() => clearTimeout(killer));
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  return {
    pid: child.pid,
    async next() {
      const line = await lines.next();
      if (!line.done) return JSON.parse(line.value) as GeneratorLine;
      const [code, signal] = (await closed) as [number | null, string | null];
      throw new Error(`load generator (${plan.mode}) ended with ${signal ?? code} and no result. ${stderr.trim()}`);
    },
    release: () => child.stdin.end("release\n"),
  };
}

/** Reads a generator's lines up to its result, telling `onWindow` when an echo run's measured window opens and closes. */
export async function resultOf(generator: Generator, onWindow: (line: WindowLine) => void = () => {}): Promise<LoadResult> {
  for (;;) {
    const line = await generator.next();
    if (line.event === "result") return line;
    if (line.event === "window") onWindow(line);
  }
}
