import { describe, expect, it } from "vitest";
import { ConfigError, configVariables, parseConfig } from "./config.ts";

describe("parseConfig", () => {
  it("gives the defaults of SPEC.md for an empty environment", () => {
    expect(parseConfig({})).toEqual({
      port: 8787,
      host: "0.0.0.0",
      allowedOrigins: undefined,
      maxMessageBytes: 1048576,
      rateLimit: 100,
      idleTimeoutS: 300,
      pingIntervalS: 30,
      maxConnections: 10000,
      shutdownGraceS: 10,
      logLevel: "info",
      botTimeZone: "UTC",
    });
  });

  it("reads every variable", () => {
    const config = parseConfig({
      PORT: "9000",
      HOST: "::1",
      ALLOWED_ORIGINS: "https://a.example, http://localhost:8787",
      MAX_MESSAGE_BYTES: "2048",
      RATE_LIMIT: "0",
      IDLE_TIMEOUT_S: "60",
      PING_INTERVAL_S: "5",
      MAX_CONNECTIONS: "2",
      SHUTDOWN_GRACE_S: "3",
      LOG_LEVEL: "WARN",
      BOT_TIMEZONE: "Europe/Paris",
    });
    expect(config).toMatchObject({ port: 9000, host: "::1", allowedOrigins: ["https://a.example", "http://localhost:8787"], rateLimit: 0, logLevel: "warn", botTimeZone: "Europe/Paris" });
  });

  it.each([
    ["PORT", "80a"],
    ["PORT", "70000"],
    ["MAX_MESSAGE_BYTES", "0"],
    ["MAX_MESSAGE_BYTES", "-1"],
    ["RATE_LIMIT", "1.5"],
    ["IDLE_TIMEOUT_S", "forever"],
    ["MAX_CONNECTIONS", "0"],
    ["LOG_LEVEL", "loud"],
    ["BOT_TIMEZONE", "Mars/Olympus_Mons"],
    ["ALLOWED_ORIGINS", "example.com"],
    ["ALLOWED_ORIGINS", "https://example.com/path"],
  ])("refuses %s=%s with a message naming the variable", (name, value) => {
    expect(() => parseConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => parseConfig({ [name]: value })).toThrow(new RegExp(`^${name}`));
  });
});

describe("configVariables", () => {
  it("names exactly the variables parseConfig reads", () => {
    const read = new Set<string>();
    const recording = new Proxy({}, { get: (_target, name) => (read.add(String(name)), undefined) });
    parseConfig(recording);
    expect([...read].sort()).toEqual([...configVariables].sort());
  });
});
