// The kinds of value a setting takes: how each is read from its environment variable, what the docs
// say it accepts, and the message that names the variable when a value does not fit.
import { isKnownTimeZone } from "./core/clock-format.ts";
import { parseAddressRange } from "./http/ip-address.ts";

/** A setting that cannot be used; its message names the variable and what it accepts. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

/** The values of the settings read before this one, by their key in the settings table. */
export type EarlierSettings = Readonly<Record<string, unknown>>;

/** How one setting is read: its default and what it accepts (as the docs show them), and its parser. */
export interface SettingKind<T> {
  default: string;
  accepted: string;
  /** `raw` is the variable's trimmed text, undefined when unset or empty. */
  parse(raw: string | undefined, name: string, earlier: EarlierSettings): T;
}

/** A whole number from `min` to `max`. */
export function wholeNumber(fallback: number, min: number, max: number): SettingKind<number> {
  return {
    default: `\`${fallback}\``,
    accepted: `\`${min}-${max}\``,
    parse: (raw, name) => checkedWholeNumber(raw, name, fallback, min, max),
  };
}

/** The parser of {@link wholeNumber}, for a setting whose bounds follow another setting. */
export function checkedWholeNumber(raw: string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name}=${JSON.stringify(raw)} is invalid: expected a whole number from ${min} to ${max}`);
  }
  return value;
}

/** Text taken as it is (`accepted` says what the docs expect); `fallback` when unset. */
export function plainText(fallback: string, accepted: string): SettingKind<string> {
  return { default: `\`${fallback}\``, accepted, parse: (raw) => raw ?? fallback };
}

/** A path to a file (`accepted` says of what), read later by whoever needs it; undefined when unset. */
export function filePath(unset: string, accepted: string): SettingKind<string | undefined> {
  return { default: `unset (${unset})`, accepted, parse: (raw) => raw };
}

/** One of `allowed`, in any case. */
export function oneOf<T extends string>(fallback: T, allowed: readonly T[]): SettingKind<T> {
  return {
    default: `\`${fallback}\``,
    accepted: allowed.map((value) => `\`${value}\``).join(", "),
    parse: (raw, name) => {
      if (raw === undefined) return fallback;
      const value = raw.toLowerCase() as T;
      if (!allowed.includes(value)) {
        throw new ConfigError(`${name}=${JSON.stringify(raw)} is invalid: expected one of ${allowed.join(", ")}`);
      }
      return value;
    },
  };
}

/** A switch: `0` (off) or `1` (on). */
export function onOff(fallback: boolean): SettingKind<boolean> {
  return {
    default: `\`${fallback ? 1 : 0}\``,
    accepted: "`0`, `1`",
    parse: (raw, name) => {
      if (raw === undefined) return fallback;
      if (raw !== "0" && raw !== "1") throw new ConfigError(`${name}=${JSON.stringify(raw)} is invalid: expected 0 or 1`);
      return raw === "1";
    },
  };
}

/** An IANA time zone. */
export function timeZone(fallback: string): SettingKind<string> {
  return {
    default: `\`${fallback}\``,
    accepted: "an IANA time zone",
    parse: (raw, name) => {
      const value = raw ?? fallback;
      if (!isKnownTimeZone(value)) {
        throw new ConfigError(`${name}=${JSON.stringify(value)} is invalid: expected an IANA time zone such as UTC or Europe/Paris`);
      }
      return value;
    },
  };
}

function commaList(raw: string): string[] {
  return raw.split(",").map((entry) => entry.trim()).filter((entry) => entry !== "");
}

/** A comma list of exact origins (`https://example.com`); undefined when unset. */
export function origins(unset: string): SettingKind<readonly string[] | undefined> {
  return {
    default: `unset (${unset})`,
    accepted: "comma list of origins",
    parse: (raw, name) => {
      if (raw === undefined) return undefined;
      const list = commaList(raw);
      for (const entry of list) {
        if (originOf(entry) !== entry) {
          throw new ConfigError(`${name} has ${JSON.stringify(entry)}: expected a comma list of origins such as https://example.com`);
        }
      }
      return list;
    },
  };
}

function originOf(text: string): string | undefined {
  try {
    return new URL(text).origin;
  } catch {
    return undefined;
  }
}

/** A comma list of IP addresses and CIDR ranges; empty when unset. */
export function addressRanges(unset: string): SettingKind<readonly string[]> {
  return {
    default: `unset (${unset})`,
    accepted: "comma list of IP addresses or CIDR ranges",
    parse: (raw, name) => {
      if (raw === undefined) return [];
      const list = commaList(raw);
      for (const entry of list) {
        if (!parseAddressRange(entry)) {
          throw new ConfigError(`${name} has ${JSON.stringify(entry)}: expected a comma list of IP addresses or CIDR ranges such as 127.0.0.1, 10.0.0.0/8, ::1`);
        }
      }
      return list;
    },
  };
}
