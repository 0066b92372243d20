// A stand-in for systemctl on PATH, for running a roll script of deploy/ where systemd cannot run:
// `list-units` prints the given units as systemd would, `restart UNIT` and `show ... UNIT` run the
// given shell commands with the unit in $unit; anything else fails. The script under test is the real one.
import { spawn } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** A directory holding the stand-in, and the roll script run with it first on PATH. */
export interface SystemctlStandIn {
  /** Runs the roll script; its exit code and its stdout and stderr together. */
  roll(env?: Record<string, string>): Promise<{ code: number | null; output: string }>;
  remove(): void;
}

/** What the stand-in does for `systemctl restart UNIT` and `systemctl show --property=... --value UNIT`. */
export interface StandInCommands {
  restart: string;
  /** Prints the property asked for (the roll scripts ask one at a time); unset fails. */
  show?: string;
}

/** The unit names of multivac@PORT instances. */
export const portUnits = (ports: number[]) => ports.map((port) => `multivac@${port}.service`);

/** A stand-in listing `units` as running, for `script` in deploy/ (roll.sh by default). */
export function systemctlStandIn(units: string[], commands: StandInCommands, script = "roll.sh"): SystemctlStandIn {
  const rollScript = fileURLToPath(new URL(`../../deploy/${script}`, import.meta.url));
  const dir = mkdtempSync(join(tmpdir(), "multivac-systemctl-"));
  const listed = units.map((unit) => `${unit} loaded active running Multivac WebSocket endpoint\\n`).join("");
  writeFileSync(
    join(dir, "systemctl"),
    `#!/bin/sh
eval "unit=\\\${$#}"
case "$1" in
  list-units) printf '${listed}' ;;
  restart) ${commands.restart} ;;
  show) ${commands.show ?? "exit 1"} ;;
  *) echo "systemctl stand-in: $*" >&2; exit 1 ;;
esac
`,
  );
  chmodSync(join(dir, "systemctl"), 0o755);
  return {
    roll: (env = {}) => {
      const child = spawn("sh", [rollScript], { env: { ...process.env, PATH: `${dir}:${process.env.PATH}`, ...env }, stdio: ["ignore", "pipe", "pipe"] });
      let output = "";
      child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
      return new Promise((resolve) => child.once("exit", (code) => resolve({ code, output })));
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
