// What is measured, and for how long: the full run, and the quick smoke run that only proves that
// everything runs and prints numbers. A new echo scenario is one line of `fullEcho`.

/** One closed-loop echo scenario. */
export interface EchoScenario {
  id: string;
  path: "/echo" | "/ws";
  connections: number;
  bytes: number;
  frame: "binary" | "text";
}

/** Everything one server goes through. */
export interface BenchSettings {
  echo: EchoScenario[];
  warmupMs: number;
  durationMs: number;
  /** Runs per judged figure, servers alternating (bench/take-turns.ts); the figure is their median. */
  rounds: number;
  /** Undefined skips the part (an experiment that needs only one figure). */
  handshake?: { concurrency: number; durationMs: number };
  idle?: { connections: number; holdMs: number };
}

const KiB = 1024;

function echo(connections: number, bytes: number, frame: EchoScenario["frame"] = "binary", path: EchoScenario["path"] = "/echo"): EchoScenario {
  const size = bytes >= KiB ? `${bytes / KiB}KiB` : `${bytes}B`;
  const route = path === "/ws" ? "ws " : "";
  return { id: `${route}${connections}c ${size} ${frame === "binary" ? "bin" : "text"}`, path, connections, bytes, frame };
}

/** Target ratios apply to scenarios with at least this many connections (64 and 1,000 here: many connections taking turns, where a runtime's per-connection cost shows). */
export const JUDGED_MIN_CONNECTIONS = 64;

const fullEcho: EchoScenario[] = [
  echo(1, 32),
  echo(64, 32),
  echo(1000, 32),
  echo(1, 64 * KiB),
  echo(64, 64 * KiB),
  echo(1000, 64 * KiB),
  // Text: the runtime checks its UTF-8; a product that decoded and encoded it again would show here.
  echo(64, 32, "text"),
  echo(1000, 32, "text"),
  // The bot route echoes binary unchanged, so it compares with a raw echo like for like.
  echo(64, 32, "binary", "/ws"),
  echo(1000, 32, "binary", "/ws"),
];

export const fullSettings: BenchSettings = {
  echo: fullEcho,
  // Every figure comes from a newly started process (bench/take-turns.ts), whose JIT and heap sizes
  // need a moment under load to settle.
  warmupMs: 1_500,
  durationMs: 1_500,
  // Enough that the median of the rounds' ratios holds from run to run (bench/ratios.ts).
  rounds: 5,
  handshake: { concurrency: 32, durationMs: 1_500 },
  idle: { connections: 10_000, holdMs: 60_000 },
};

export const quickSettings: BenchSettings = {
  echo: [echo(64, 32), echo(64, 64 * KiB), echo(64, 32, "binary", "/ws")],
  warmupMs: 150,
  durationMs: 400,
  rounds: 1,
  handshake: { concurrency: 16, durationMs: 400 },
  idle: { connections: 500, holdMs: 20_000 },
};
