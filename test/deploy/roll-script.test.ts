// deploy/roll.sh when something is wrong: it restarts nothing after an instance that does not come
// back, and says so; with no instance running it says that. (The roll that goes well is tested under
// load in rolling-restart.test.ts.) Run with a stand-in systemctl that only records what it is asked.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "../e2e/support/free-port.ts";
import { portUnits, systemctlStandIn } from "../support/systemctl-stand-in.ts";

const dir = mkdtempSync(join(tmpdir(), "multivac-roll-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("deploy/roll.sh", () => {
  it("stops at an instance that gives no 200 on /healthz, leaving the next one as it is", async () => {
    // Nothing listens on these ports: the first restarted instance never answers.
    const ports = [await freePort(), await freePort()];
    const restarts = join(dir, "restarts");
    const systemctl = systemctlStandIn(portUnits(ports), { restart: `echo "$unit" >> ${restarts}` });
    try {
      const { code, output } = await systemctl.roll({ ROLL_WAIT_S: "1" });
      expect(code).toBe(1);
      expect(output).toContain(`roll: multivac@${ports[0]}.service gave no 200 on /healthz within 1 s; stopping here`);
      expect(readFileSync(restarts, "utf8")).toBe(`multivac@${ports[0]}.service\n`);
    } finally {
      systemctl.remove();
    }
  });

  it("says so when no instance is running", async () => {
    const systemctl = systemctlStandIn([], { restart: "exit 1" });
    try {
      expect(await systemctl.roll()).toEqual({ code: 1, output: "roll: no multivac@PORT instance is running\n" });
    } finally {
      systemctl.remove();
    }
  });
});
