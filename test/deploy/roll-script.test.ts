// deploy/roll.sh and roll-shared.sh when something is wrong: each restarts nothing after an instance
// that does not come back, and says so; with no instance running it says that. (The rolls that go well
// are tested under load in rolling-restart.test.ts and shared-port.test.ts.) Run with a stand-in systemctl that only records what it is asked.
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

describe("deploy/roll-shared.sh", () => {
  it("stops at an instance that does not listen again, leaving the next one as it is", async () => {
    const restarts = join(dir, "shared-restarts");
    const units = ["multivac-shared@1.service", "multivac-shared@2.service"];
    // The restarted unit's MainPID is a process that does not exist, so nothing of it ever listens.
    const systemctl = systemctlStandIn(units, { restart: `echo "$unit" >> ${restarts}`, show: "echo 2147483646" }, "roll-shared.sh");
    try {
      const { code, output } = await systemctl.roll({ ROLL_WAIT_S: "1" });
      expect(code).toBe(1);
      expect(output).toContain("roll: multivac-shared@1.service did not listen within 1 s; stopping here");
      expect(readFileSync(restarts, "utf8")).toBe("multivac-shared@1.service\n");
    } finally {
      systemctl.remove();
    }
  });

  it("says so when no instance is running", async () => {
    const systemctl = systemctlStandIn([], { restart: "exit 1" }, "roll-shared.sh");
    try {
      expect(await systemctl.roll()).toEqual({ code: 1, output: "roll: no multivac-shared@N instance is running\n" });
    } finally {
      systemctl.remove();
    }
  });
});
