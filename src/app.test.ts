import { describe, expect, it } from "vitest";
import type { ConnectionLimits, UpgradeOutcome } from "./adapter/contract.ts";
import { createApp } from "./app.ts";
import { parseConfig } from "./config.ts";
import { createLogger } from "./log.ts";

const upgradeHeaders = { Upgrade: "websocket", Connection: "Upgrade", "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version": "13" };

/** The app with an upgrade that ends in `outcome` and an admission that records what it is asked. */
function appWith(outcome: UpgradeOutcome, refuse = false) {
  const calls: string[] = [];
  const connectionLimits: ConnectionLimits = {
    admit: async (address, id) => (calls.push(`admit ${address} ${id.length > 0}`), refuse ? "per-address" : undefined),
    release: async (address) => void calls.push(`release ${address}`),
  };
  const app = createApp({
    runtime: "workers",
    config: parseConfig({}),
    log: createLogger({ runtime: "workers", level: "error", write: () => {} }),
    remoteAddress: () => "192.0.2.7",
    connectionLimits,
    upgrade: () => (calls.push("upgrade"), outcome),
  });
  return { app, calls };
}

describe("the app's connection admission", () => {
  it("keeps the admission of an upgrade that opened, and answers with the runtime's response", async () => {
    const answer = new Response("the runtime's", { status: 200 });
    const { app, calls } = appWith({ opened: true, response: answer });
    const response = await app.request("/echo", { headers: upgradeHeaders });
    expect(await response.text()).toBe("the runtime's");
    expect(calls).toEqual(["admit 192.0.2.7 true", "upgrade"]);
  });

  it("gives the admission back when no socket opens, and answers with the runtime's refusal", async () => {
    const { app, calls } = appWith({ opened: false, response: new Response("no\n", { status: 400 }) });
    const response = await app.request("/echo", { headers: upgradeHeaders });
    expect(response.status).toBe(400);
    expect(calls).toEqual(["admit 192.0.2.7 true", "upgrade", "release 192.0.2.7"]);
  });

  it("refuses with 429 when the admission is refused, without upgrading or releasing", async () => {
    const { app, calls } = appWith({ opened: true }, true);
    const response = await app.request("/echo", { headers: upgradeHeaders });
    expect(response.status).toBe(429);
    expect(calls).toEqual(["admit 192.0.2.7 true"]);
  });
});
