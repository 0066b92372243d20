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
      maxConnectionsPerIp: 100,
      maxBufferedBytes: 1048576,
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
      MAX_CONNECTIONS_PER_IP: "0",
      MAX_BUFFERED_BYTES: "4096",
      SHUTDOWN_GRACE_S: "3",
      LOG_LEVEL: "WARN",
      BOT_TIMEZONE: "Europe/Paris",
    });
    expect(config).toMatchObject({ port: 9000, host: "::1", allowedOrigins: ["https://a.example", "http://localhost:8787"], rateLimit: 0, maxConnectionsPerIp: 0, maxBufferedBytes: 4096, logLevel: "warn", botTimeZone: "Europe/Paris" });
  });

  it.each([
    ["PORT", "80a"],
    ["PORT", "70000"],
    ["MAX_MESSAGE_BYTES", "0"],
    ["MAX_MESSAGE_BYTES", "-1"],
    ["RATE_LIMIT", "1.5"],
    ["IDLE_TIMEOUT_S", "forever"],
    ["MAX_CONNECTIONS", "0"],
    ["MAX_CONNECTIONS_PER_IP", "-5"],
    ["MAX_BUFFERED_BYTES", "1048575"],
    ["LOG_LEVEL", "loud"],
    ["BOT_TIMEZONE", "Mars/Olympus_Mons"],
    ["ALLOWED_ORIGINS", "example.com"],
    ["ALLOWED_ORIGINS", "https://example.com/path"],
  ])("refuses %s=%s with a message naming the variable", (name, value) => {
    expect(() => parseConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => parseConfig({ [name]: value })).toThrow(new RegExp(`^${name}`));
  });

  it("lets MAX_BUFFERED_BYTES follow a larger MAX_MESSAGE_BYTES, and refuses one below it", () => {
    expect(parseConfig({ MAX_MESSAGE_BYTES: "4194304" }).maxBufferedBytes).toBe(4194304);
    expect(() => parseConfig({ MAX_MESSAGE_BYTES: "4096", MAX_BUFFERED_BYTES: "4095" })).toThrow(/^MAX_BUFFERED_BYTES.*from 4096/);
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

describe("deno.json", () => {
  // Deno grants env access by name: a variable missing from a task's --allow-env stops start-up.
  it("lets every task read exactly the configuration variables, and ws's two", async () => {
    const { readFile } = await import("node:fs/promises");
    const denoJson = JSON.parse(await readFile(new URL("../deno.json", import.meta.url), "utf8")) as { tasks: Record<string, { command: string }> };
    for (const task of Object.values(denoJson.tasks)) {
      const granted = /--allow-env=(\S+)/.exec(task.command)?.[1]?.split(",") ?? [];
      expect(granted.sort()).toEqual([...configVariables, "WS_NO_BUFFER_UTIL", "WS_NO_UTF_8_VALIDATE"].sort());
    }
  });
});
