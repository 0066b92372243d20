// The one place that reads the environment and knows every setting's default and range.
import { isKnownTimeZone } from "./core/clock-format.ts";
import type { SessionRules } from "./core/session.ts";
import { parseAddressRange } from "./http/ip-address.ts";

/** Log levels, least to most severe. */
export const logLevels = ["debug", "info", "warn", "error"] as const;
/** One of {@link logLevels}. */
export type LogLevel = (typeof logLevels)[number];

/** The validated configuration of a server. */
export interface Config {
  port: number;
  host: string;
  /** Exact origins allowed to open a WebSocket; undefined allows any. */
  allowedOrigins: readonly string[] | undefined;
  maxMessageBytes: number;
  rateLimit: number;
  idleTimeoutS: number;
  pingIntervalS: number;
  maxConnections: number;
  /** Open WebSockets per client address; 0 turns the limit off. */
  maxConnectionsPerIp: number;
  /** Unsent reply bytes above which a connection is no longer read (flow control). */
  maxBufferedBytes: number;
  shutdownGraceS: number;
  /** Seconds a shutdown answers 503 to health checks and upgrades before it closes connections. */
  shutdownDelayS: number;
  logLevel: LogLevel;
  botTimeZone: string;
  /** Certificate and key files for https:/wss: (Node, Deno, Bun); undefined serves plain http:. */
  tls: TlsFiles | undefined;
  /** Proxy addresses and CIDR ranges whose forwarding headers name the client; empty trusts none. */
  trustProxy: readonly string[];
}

/** TLS_CERT_FILE and TLS_KEY_FILE: paths of PEM files, read at start-up by the process host. */
export interface TlsFiles {
  certFile: string;
  keyFile: string;
}

/** A setting that cannot be used; its message names the variable and what it accepts. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

/** The environment as a plain record (process.env, Deno.env.toObject(), a Worker's env). */
export type Environment = Readonly<Record<string, unknown>>;

// workerd refuses messages over 32 MiB itself, so a larger limit would be a promise we cannot keep.
const MAX_MESSAGE_BYTES_CEILING = 32 * 1024 * 1024;
const MAX_BUFFERED_BYTES_CEILING = 1024 * 1024 * 1024;

function text(env: Environment, name: string): string | undefined {
  const value = env[name];
  if (value === undefined || value === null || value === "") return undefined;
  return String(value).trim();
}

function integer(env: Environment, name: string, fallback: number, min: number, max: number): number {
  const raw = text(env, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name}=${JSON.stringify(raw)} is invalid: expected a whole number from ${min} to ${max}`);
  }
  return value;
}

function origins(env: Environment, name: string): readonly string[] | undefined {
  const raw = text(env, name);
  if (raw === undefined) return undefined;
  const list = raw.split(",").map((entry) => entry.trim()).filter((entry) => entry !== "");
  for (const entry of list) {
    let origin: string | undefined;
    try {
      origin = new URL(entry).origin;
    } catch {
      origin = undefined;
    }
    if (origin !== entry) {
      throw new ConfigError(`${name} has ${JSON.stringify(entry)}: expected a comma list of origins such as https://example.com`);
    }
  }
  return list;
}

function oneOf<T extends string>(env: Environment, name: string, fallback: T, allowed: readonly T[]): T {
  const raw = text(env, name);
  if (raw === undefined) return fallback;
  const value = raw.toLowerCase() as T;
  if (!allowed.includes(value)) {
    throw new ConfigError(`${name}=${JSON.stringify(raw)} is invalid: expected one of ${allowed.join(", ")}`);
  }
  return value;
}

function timeZone(env: Environment, name: string): string {
  const raw = text(env, name) ?? "UTC";
  if (!isKnownTimeZone(raw)) {
    throw new ConfigError(`${name}=${JSON.stringify(raw)} is invalid: expected an IANA time zone such as UTC or Europe/Paris`);
  }
  return raw;
}

// Both or neither: a certificate without its key (or the reverse) is a half-done set-up, not plain http.
function tlsFiles(env: Environment): TlsFiles | undefined {
  const certFile = text(env, "TLS_CERT_FILE");
  const keyFile = text(env, "TLS_KEY_FILE");
  if (certFile === undefined && keyFile === undefined) return undefined;
  if (certFile === undefined || keyFile === undefined) {
    const [set, missing] = certFile === undefined ? ["TLS_KEY_FILE", "TLS_CERT_FILE"] : ["TLS_CERT_FILE", "TLS_KEY_FILE"];
    throw new ConfigError(`${missing} is not set but ${set} is: set both (PEM certificate chain and private key) for https:, or neither`);
  }
  return { certFile, keyFile };
}

function addressRanges(env: Environment, name: string): readonly string[] {
  const raw = text(env, name);
  if (raw === undefined) return [];
  const list = raw.split(",").map((entry) => entry.trim()).filter((entry) => entry !== "");
  for (const entry of list) {
    if (!parseAddressRange(entry)) {
      throw new ConfigError(`${name} has ${JSON.stringify(entry)}: expected a comma list of IP addresses or CIDR ranges such as 127.0.0.1, 10.0.0.0/8, ::1`);
    }
  }
  return list;
}

/**
 * Every environment variable {@link parseConfig} reads. Deno grants env access by name
 * (`--allow-env=PORT,...`), so its entry reads exactly these instead of the whole environment.
 */
export const configVariables = [
  "PORT",
  "HOST",
  "ALLOWED_ORIGINS",
  "MAX_MESSAGE_BYTES",
  "RATE_LIMIT",
  "IDLE_TIMEOUT_S",
  "PING_INTERVAL_S",
  "MAX_CONNECTIONS",
  "MAX_CONNECTIONS_PER_IP",
  "MAX_BUFFERED_BYTES",
  "SHUTDOWN_GRACE_S",
  "LOG_LEVEL",
  "BOT_TIMEZONE",
  "SHUTDOWN_DELAY_S",
  "TLS_CERT_FILE",
  "TLS_KEY_FILE",
  "TRUST_PROXY",
] as const;

/** Reads and validates the configuration; throws {@link ConfigError} on the first bad value. */
export function parseConfig(env: Environment): Config {
  const host = text(env, "HOST") ?? "0.0.0.0";
  const maxMessageBytes = integer(env, "MAX_MESSAGE_BYTES", 1024 * 1024, 1, MAX_MESSAGE_BYTES_CEILING);
  return {
    port: integer(env, "PORT", 8787, 0, 65535),
    host,
    allowedOrigins: origins(env, "ALLOWED_ORIGINS"),
    maxMessageBytes,
    rateLimit: integer(env, "RATE_LIMIT", 100, 0, 1_000_000),
    idleTimeoutS: integer(env, "IDLE_TIMEOUT_S", 300, 0, 86_400),
    pingIntervalS: integer(env, "PING_INTERVAL_S", 30, 0, 3_600),
    maxConnections: integer(env, "MAX_CONNECTIONS", 10_000, 1, 10_000_000),
    // 100: a household's or an office's NAT fits, and one address holds at most 1% of the default
    // MAX_CONNECTIONS (docs/security.md#what-a-client-can-make-the-server-hold).
    maxConnectionsPerIp: integer(env, "MAX_CONNECTIONS_PER_IP", 100, 0, 10_000_000),
    // At least one reply of the largest message must fit, or a client that reads as fast as it sends
    // would be paused by every large echo. The default is exactly that: one largest reply may wait.
    maxBufferedBytes: integer(env, "MAX_BUFFERED_BYTES", maxMessageBytes, maxMessageBytes, MAX_BUFFERED_BYTES_CEILING),
    shutdownGraceS: integer(env, "SHUTDOWN_GRACE_S", 10, 0, 3_600),
    shutdownDelayS: integer(env, "SHUTDOWN_DELAY_S", 0, 0, 3_600),
    logLevel: oneOf(env, "LOG_LEVEL", "info", logLevels),
    botTimeZone: timeZone(env, "BOT_TIMEZONE"),
    tls: tlsFiles(env),
    trustProxy: addressRanges(env, "TRUST_PROXY"),
  };
}

/** The parts of the configuration that the per-connection core needs. */
export function sessionRulesOf(config: Config): SessionRules {
  return {
    maxMessageBytes: config.maxMessageBytes,
    rateLimit: config.rateLimit,
    idleTimeoutMs: config.idleTimeoutS * 1000,
    timeZone: config.botTimeZone,
  };
}
