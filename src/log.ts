// Structured logs: one JSON object per line on stdout. Message contents are never logged, only sizes.
import type { LogLevel } from "./config.ts";
import type { RuntimeName } from "./runtimes.ts";

export type { RuntimeName };

/** What a log line is about. */
export type LogEvent = "listen" | "open" | "close" | "reject" | "error" | "shutdown";

/** Fields of a log line besides `ts`, `level`, `event` and `runtime`. */
export type LogFields = Record<string, string | number | boolean | undefined>;

/** Writes structured log lines. */
export interface Logger {
  debug(event: LogEvent, fields?: LogFields): void;
  info(event: LogEvent, fields?: LogFields): void;
  warn(event: LogEvent, fields?: LogFields): void;
  error(event: LogEvent, fields?: LogFields): void;
}

const severity: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

// Whatever the level, an operator needs to see a server start listening and stop: these lines are
// never filtered (and test harnesses and the benchmark wait for `listen`).
const lifecycleEvents: ReadonlySet<LogEvent> = new Set(["listen", "shutdown"]);

/** A logger for one runtime that drops lines below `level`. `write` defaults to console.log. */
export function createLogger(options: { runtime: RuntimeName; level: LogLevel; write?: (line: string) => void }): Logger {
  const write = options.write ?? ((line: string) => console.log(line));
  const threshold = severity[options.level];
  const at = (level: LogLevel) => (event: LogEvent, fields: LogFields = {}) => {
    if (severity[level] < threshold && !lifecycleEvents.has(event)) return;
    write(JSON.stringify({ ts: new Date().toISOString(), level, event, runtime: options.runtime, ...fields }));
  };
  return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}
