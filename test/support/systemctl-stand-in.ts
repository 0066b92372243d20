// A stand-in for systemctl on PATH, for running deploy/roll.sh where systemd cannot run: `list-units`
// prints the given instances as systemd would, `restart UNIT` runs the given shell command with the
// unit in $2; anything else fails. The script under test itself is the real one.
import { spawn } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const rollScript = fileURLToPath(new URL("../../deploy/roll.sh", import.meta.url));

/** A directory holding the stand-in, and deploy/roll.sh run with it first on PATH. */
export interface SystemctlStandIn {
  /** Runs deploy/roll.sh; its exit code and its stdout and stderr together. */
  roll(env?: Record<string, string>): Promise<{ code: number | null; output: string }>;
  remove(): void;
}

/** A stand-in listing `ports` as running multivac@PORT units, whose `restart` runs `restartCommand`. */
export function systemctlStandIn(ports: number[], restartCommand: string): SystemctlStandIn {
  const dir = mkdtempSync(join(tmpdir(), "multivac-systemctl-"));
  const listed = ports.map((port) => `multivac@${port}.service loaded active running Multivac WebSocket endpoint on port ${port}\\n`).join("");
  writeFileSync(
    join(dir, "systemctl"),
    `#!/bin/sh
case "$1" in
  list-units) printf '${listed}' ;;
  restart) ${restartCommand} ;;
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
