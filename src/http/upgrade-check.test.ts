import { describe, expect, it } from "vitest";
import { checkUpgrade } from "./upgrade-check.ts";

const valid = {
  upgrade: "websocket",
  connection: "Upgrade",
  "sec-websocket-key": "x3JJHMbDL1EzLkh9GBhXDw==",
  "sec-websocket-version": "13",
};

function check(headers: Record<string, string | undefined>, method = "GET", origins?: string[]) {
  const defined = Object.fromEntries(Object.entries({ ...valid, ...headers }).filter(([, v]) => v !== undefined)) as Record<string, string>;
  return checkUpgrade(new Request("http://host/ws", { method, headers: defined }), origins);
}

describe("checkUpgrade", () => {
  it("accepts the seed request and picks chat from anywhere in the offer", () => {
    expect(check({ "sec-websocket-protocol": "x, chat" })).toEqual({ ok: true, protocol: "chat" });
    expect(check({ "sec-websocket-protocol": "x, y" })).toEqual({ ok: true, protocol: undefined });
  });

  it.each([
    [{ upgrade: undefined }, "GET", 426, "not-upgrade"],
    [{ upgrade: "h2c" }, "GET", 426, "not-upgrade"],
    [{ connection: "keep-alive" }, "GET", 400, "connection"],
    [{ "sec-websocket-version": "8" }, "GET", 426, "version"],
    [{ "sec-websocket-key": undefined }, "GET", 400, "key"],
    [{ "sec-websocket-key": "AAAA" }, "GET", 400, "key"],
    [{}, "POST", 405, "method"],
  ] as const)("refuses %j by %s with %i (%s)", (headers, method, status, reason) => {
    const result = check(headers, method);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.refusal).toMatchObject({ status, reason });
  });

  it("checks Origin against the allow-list only when one is set", () => {
    expect(check({ origin: "https://evil.example" }).ok).toBe(true);
    expect(check({ origin: "https://ok.example" }, "GET", ["https://ok.example"]).ok).toBe(true);
    const refused = check({ origin: "https://evil.example" }, "GET", ["https://ok.example"]);
    expect(refused.ok === false && refused.refusal.status).toBe(403);
    const missing = check({}, "GET", ["https://ok.example"]);
    expect(missing.ok === false && missing.refusal.status).toBe(403);
  });
});
