// deploy/multivac@.service as systemd reads it for one instance: `%i` is the instance name, its port.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The template unit's path, as shipped. */
export const unitFile = fileURLToPath(new URL("../../deploy/multivac@.service", import.meta.url));

/** The values of a key of the unit for instance `port`, every line of it (Environment= may repeat). */
export function unitValues(key: string, port: number): string[] {
  const unit = readFileSync(unitFile, "utf8").replaceAll("%i", String(port));
  return [...unit.matchAll(new RegExp(`^${key}=(.*)$`, "gm"))].map((match) => match[1]!.trim());
}

/** The instance's Environment= settings as one record (later lines override earlier ones, as in systemd). */
export function unitEnvironment(port: number): Record<string, string> {
  const pairs = unitValues("Environment", port).flatMap((line) => line.split(/\s+/)).map((pair) => pair.split("=") as [string, string]);
  return Object.fromEntries(pairs);
}
