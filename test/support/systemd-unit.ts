// A template unit of deploy/ as systemd reads it for one instance: `%i` is the instance name (the port of
// multivac@.service, a number of multivac-shared@.service).
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The template units' paths, as shipped. */
export const unitFile = fileURLToPath(new URL("../../deploy/multivac@.service", import.meta.url));
export const sharedUnitFile = fileURLToPath(new URL("../../deploy/multivac-shared@.service", import.meta.url));

/** The values of a key of the unit for instance `name`, every line of it (Environment= may repeat). */
export function unitValues(key: string, name: number | string, file = unitFile): string[] {
  const unit = readFileSync(file, "utf8").replaceAll("%i", String(name));
  return [...unit.matchAll(new RegExp(`^${key}=(.*)$`, "gm"))].map((match) => match[1]!.trim());
}

/** The instance's Environment= settings as one record (later lines override earlier ones, as in systemd). */
export function unitEnvironment(name: number | string, file = unitFile): Record<string, string> {
  const pairs = unitValues("Environment", name, file).flatMap((line) => line.split(/\s+/)).map((pair) => pair.split("=") as [string, string]);
  return Object.fromEntries(pairs);
}
