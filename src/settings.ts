// Every setting in one table: its variable, default, what it accepts, where it applies, what it means
// and how it is parsed. The parser (src/config.ts), Deno's env grants, wrangler.toml's vars and the
// configuration table of the docs all follow this table or are checked against it by a test.
import { processRuntimes, runtimes, type RuntimeName } from "./runtimes.ts";
import { addressRanges, checkedWholeNumber, filePath, oneOf, onOff, origins, plainText, timeZone, wholeNumber, type SettingKind } from "./setting-kinds.ts";

/** Log levels, least to most severe. */
export const logLevels = ["debug", "info", "warn", "error"] as const;
/** One of {@link logLevels}. */
export type LogLevel = (typeof logLevels)[number];

/** One row of the settings table. */
export interface Setting<T> extends SettingKind<T> {
  /** The environment variable. */
  name: string;
  /** Runtimes where the setting has an effect; every runtime validates every setting. */
  runtimes: readonly RuntimeName[];
  /** One line for the docs. */
  meaning: string;
}

// workerd refuses messages over 32 MiB itself, so a larger limit would be a promise we cannot keep.
const MAX_MESSAGE_BYTES_CEILING = 32 * 1024 * 1024;
const MAX_BUFFERED_BYTES_CEILING = 1024 * 1024 * 1024;

/**
 * The settings, keyed by their field in the configuration, in the order they are parsed and shown
 * (a row may read the rows above it).
 */
export const settings = {
  port: { name: "PORT", ...wholeNumber(8787, 0, 65535), runtimes: processRuntimes, meaning: "port to listen on (`0` picks a free one)" },
  host: { name: "HOST", ...plainText("0.0.0.0", "a host name or address"), runtimes: processRuntimes, meaning: "address to listen on" },
  reusePort: {
    name: "REUSE_PORT",
    ...onOff(false),
    runtimes: processRuntimes,
    meaning: "`1`: several instances listen on the same `HOST:PORT` (`SO_REUSEPORT`) and the kernel balances new connections ([deploying](docs/deploying.md#kernel-balancing))",
  },
  allowedOrigins: { name: "ALLOWED_ORIGINS", ...origins("any"), runtimes, meaning: "origins allowed to open a WebSocket, e.g. `https://example.com`; others get `403`" },
  maxMessageBytes: { name: "MAX_MESSAGE_BYTES", ...wholeNumber(1024 * 1024, 1, MAX_MESSAGE_BYTES_CEILING), runtimes, meaning: "largest message; a larger one closes with `1009`" },
  rateLimit: { name: "RATE_LIMIT", ...wholeNumber(100, 0, 1_000_000), runtimes, meaning: "messages per second per connection (bursts of 2x); over it closes with `1008`; `0` is off" },
  idleTimeoutS: { name: "IDLE_TIMEOUT_S", ...wholeNumber(300, 0, 86_400), runtimes, meaning: "seconds without a message before the server closes with `1000` `idle timeout`; `0` is off" },
  pingIntervalS: {
    name: "PING_INTERVAL_S",
    ...wholeNumber(30, 0, 3_600),
    runtimes,
    meaning: "heartbeat: a peer silent for two intervals is dropped, as is a stalled reader or an unanswered close after that long (60 s when `0`); `0` sends no pings",
  },
  maxConnections: { name: "MAX_CONNECTIONS", ...wholeNumber(10_000, 1, 10_000_000), runtimes: processRuntimes, meaning: "open WebSockets per process; more get `503`" },
  // 100: a household's or an office's NAT fits, and one address holds at most 1% of the default
  // MAX_CONNECTIONS (docs/security.md#what-a-client-can-make-the-server-hold).
  maxConnectionsPerIp: { name: "MAX_CONNECTIONS_PER_IP", ...wholeNumber(100, 0, 10_000_000), runtimes, meaning: "open WebSockets per client address; more get `429`; `0` is off" },
  // At least one reply of the largest message must fit, or a client that reads as fast as it sends
  // would be paused by every large echo. The default is exactly that: one largest reply may wait.
  maxBufferedBytes: {
    name: "MAX_BUFFERED_BYTES",
    default: "`MAX_MESSAGE_BYTES`",
    accepted: `\`MAX_MESSAGE_BYTES-${MAX_BUFFERED_BYTES_CEILING}\``,
    parse: (raw: string | undefined, name: string, earlier) => {
      const floor = earlier["maxMessageBytes"] as number;
      return checkedWholeNumber(raw, name, floor, floor, MAX_BUFFERED_BYTES_CEILING);
    },
    runtimes,
    meaning: "unsent reply bytes per connection above which the server stops reading it until they drain",
  },
  shutdownGraceS: { name: "SHUTDOWN_GRACE_S", ...wholeNumber(10, 0, 3_600), runtimes: processRuntimes, meaning: "seconds to close connections on SIGINT/SIGTERM" },
  logLevel: { name: "LOG_LEVEL", ...oneOf("info", logLevels), runtimes, meaning: "the least severe log line written" },
  botTimeZone: { name: "BOT_TIMEZONE", ...timeZone("UTC"), runtimes, meaning: "zone of the bot's `date` and `time`" },
  shutdownDelayS: {
    name: "SHUTDOWN_DELAY_S",
    ...wholeNumber(0, 0, 3_600),
    runtimes: processRuntimes,
    meaning: "seconds a shutdown answers `503` while connections stay open, before it closes them",
  },
  tlsCertFile: {
    name: "TLS_CERT_FILE",
    ...filePath("http", "path of a PEM certificate (chain)"),
    runtimes: processRuntimes,
    meaning: "with `TLS_KEY_FILE`, serve `https:` and `wss:`",
  },
  tlsKeyFile: {
    name: "TLS_KEY_FILE",
    ...filePath("http", "path of an unencrypted PEM private key"),
    runtimes: processRuntimes,
    meaning: "the certificate's key; one without the other stops start-up",
  },
  // The link is relative to the README, the page that shows this table.
  trustProxy: {
    name: "TRUST_PROXY",
    ...addressRanges("trust none"),
    runtimes: processRuntimes,
    meaning: "proxies whose `X-Forwarded-For` / `Forwarded` name the client ([deploying](docs/deploying.md#trust_proxy))",
  },
} satisfies Record<string, Setting<unknown>>;

/** The value of every setting, by its key in {@link settings}. */
export type SettingValues = { [Key in keyof typeof settings]: ReturnType<(typeof settings)[Key]["parse"]> };

/** The variables of the settings that apply to `runtime`. */
export function variablesFor(runtime: RuntimeName): string[] {
  return Object.values(settings).filter((setting: Setting<unknown>) => setting.runtimes.includes(runtime)).map((setting) => setting.name);
}

/** The settings table as markdown, for the docs (a unit test keeps the docs' copy equal to it). */
export function renderSettingsTable(): string {
  const everywhere = (list: readonly RuntimeName[]) => runtimes.every((runtime) => list.includes(runtime));
  const rows = Object.values(settings).map((setting: Setting<unknown>) =>
    `| \`${setting.name}\` | ${setting.default} | ${setting.accepted} | ${everywhere(setting.runtimes) ? "all" : setting.runtimes.join(", ")} | ${setting.meaning} |`,
  );
  return ["| setting | default | accepted | runtimes | meaning |", "| --- | --- | --- | --- | --- |", ...rows].join("\n");
}
