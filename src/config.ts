// The one place that reads the environment: each setting as the table in src/settings.ts says.
import type { SessionRules } from "./core/session.ts";
import { ConfigError } from "./setting-kinds.ts";
import { settings, type SettingValues } from "./settings.ts";

export { ConfigError } from "./setting-kinds.ts";
export { logLevels, type LogLevel } from "./settings.ts";

/** The validated configuration of a server: every setting, with the two TLS files as one pair. */
export type Config = Omit<SettingValues, "tlsCertFile" | "tlsKeyFile"> & {
  /** Certificate and key files for https:/wss: (Node, Deno, Bun); undefined serves plain http:. */
  tls: TlsFiles | undefined;
};

/** TLS_CERT_FILE and TLS_KEY_FILE: paths of PEM files, read at start-up by the process host. */
export interface TlsFiles {
  certFile: string;
  keyFile: string;
}

/** The environment as a plain record (process.env, Deno.env.toObject(), a Worker's env). */
export type Environment = Readonly<Record<string, unknown>>;

function text(env: Environment, name: string): string | undefined {
  const value = env[name];
  if (value === undefined || value === null || value === "") return undefined;
  return String(value).trim();
}

/** Every setting's value, each row of the table parsed in order; throws {@link ConfigError} on the first bad one. */
export function parseSettings(env: Environment): SettingValues {
  const values: Record<string, unknown> = {};
  for (const [key, setting] of Object.entries(settings)) values[key] = setting.parse(text(env, setting.name), setting.name, values);
  return values as SettingValues;
}

/** Reads and validates the configuration; throws {@link ConfigError} on the first bad value. */
export function parseConfig(env: Environment): Config {
  const { tlsCertFile, tlsKeyFile, ...rest } = parseSettings(env);
  return { ...rest, tls: tlsFiles(tlsCertFile, tlsKeyFile) };
}

// Both or neither: a certificate without its key (or the reverse) is a half-done set-up, not plain http.
function tlsFiles(certFile: string | undefined, keyFile: string | undefined): TlsFiles | undefined {
  if (certFile === undefined && keyFile === undefined) return undefined;
  if (certFile === undefined || keyFile === undefined) {
    const [set, missing] = certFile === undefined ? ["TLS_KEY_FILE", "TLS_CERT_FILE"] : ["TLS_CERT_FILE", "TLS_KEY_FILE"];
    throw new ConfigError(`${missing} is not set but ${set} is: set both (PEM certificate chain and private key) for https:, or neither`);
  }
  return { certFile, keyFile };
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
