import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "./config.ts";
import { variablesFor } from "./settings.ts";

describe("parseConfig", () => {
  it("gives the documented defaults for an empty environment (docs/protocol.md#limits)", () => {
    expect(parseConfig({})).toEqual({
      port: 8787,
      host: "0.0.0.0",
      reusePort: false,
      allowedOrigins: undefined,
      maxMessageBytes: 1048576,
      rateLimit: 100,
      idleTimeoutS: 300,
      pingIntervalS: 30,
      maxConnections: 10000,
      maxConnectionsPerIp: 100,
      maxBufferedBytes: 1048576,
      shutdownGraceS: 10,
      shutdownDelayS: 0,
      logLevel: "info",
      botTimeZone: "UTC",
      tls: undefined,
      trustProxy: [],
    });
  });

  it("reads every variable", () => {
    const config = parseConfig({
      PORT: "9000",
      HOST: "::1",
      REUSE_PORT: "1",
      ALLOWED_ORIGINS: "https://a.example, http://localhost:8787",
      MAX_MESSAGE_BYTES: "2048",
      RATE_LIMIT: "0",
      IDLE_TIMEOUT_S: "60",
      PING_INTERVAL_S: "5",
      MAX_CONNECTIONS: "2",
      MAX_CONNECTIONS_PER_IP: "0",
      MAX_BUFFERED_BYTES: "4096",
      SHUTDOWN_GRACE_S: "3",
      SHUTDOWN_DELAY_S: "15",
      LOG_LEVEL: "WARN",
      BOT_TIMEZONE: "Europe/Paris",
      TLS_CERT_FILE: "/etc/ssl/chat.pem",
      TLS_KEY_FILE: "/etc/ssl/private/chat.key",
      TRUST_PROXY: "127.0.0.1, 10.0.0.0/8,fd00::/8",
    });
    expect(config).toMatchObject({ port: 9000, host: "::1", allowedOrigins: ["https://a.example", "http://localhost:8787"], rateLimit: 0, maxConnectionsPerIp: 0, maxBufferedBytes: 4096, logLevel: "warn", botTimeZone: "Europe/Paris" });
    expect(config.shutdownDelayS).toBe(15);
    expect(config.reusePort).toBe(true);
    expect(config.tls).toEqual({ certFile: "/etc/ssl/chat.pem", keyFile: "/etc/ssl/private/chat.key" });
    expect(config.trustProxy).toEqual(["127.0.0.1", "10.0.0.0/8", "fd00::/8"]);
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
    ["SHUTDOWN_DELAY_S", "5s"],
    ["REUSE_PORT", "yes"],
    ["REUSE_PORT", "2"],
    ["TRUST_PROXY", "nginx"],
    ["TRUST_PROXY", "10.0.0.0/33"],
    ["TLS_CERT_FILE", "/etc/ssl/chat.pem"],
    ["TLS_KEY_FILE", "/etc/ssl/private/chat.key"],
  ])("refuses %s=%s with a message naming the variable", (name, value) => {
    expect(() => parseConfig({ [name]: value })).toThrow(ConfigError);
    // A lone TLS file is reported by the one that is missing.
    const named = { TLS_CERT_FILE: "TLS_KEY_FILE", TLS_KEY_FILE: "TLS_CERT_FILE" }[name] ?? name;
    expect(() => parseConfig({ [name]: value })).toThrow(new RegExp(`^${named}`));
  });

  it("lets MAX_BUFFERED_BYTES follow a larger MAX_MESSAGE_BYTES, and refuses one below it", () => {
    expect(parseConfig({ MAX_MESSAGE_BYTES: "4194304" }).maxBufferedBytes).toBe(4194304);
    expect(() => parseConfig({ MAX_MESSAGE_BYTES: "4096", MAX_BUFFERED_BYTES: "4095" })).toThrow(/^MAX_BUFFERED_BYTES.*from 4096/);
  });
});

describe("deno.json", () => {
  /** The command line of every task (start, dev): each must run the server with the same grants. */
  async function taskCommands(): Promise<string[]> {
    const { readFile } = await import("node:fs/promises");
    const denoJson = JSON.parse(await readFile(new URL("../deno.json", import.meta.url), "utf8")) as { tasks: Record<string, { command: string }> };
    return Object.values(denoJson.tasks).map((task) => task.command);
  }

  // Deno grants env access by name: a variable missing from a task's --allow-env stops start-up.
  it("lets every task read exactly the settings for Deno, and ws's two", async () => {
    for (const command of await taskCommands()) {
      const granted = /--allow-env=(\S+)/.exec(command)?.[1]?.split(",") ?? [];
      expect(granted.sort()).toEqual([...variablesFor("deno"), "WS_NO_BUFFER_UTIL", "WS_NO_UTF_8_VALIDATE"].sort());
    }
  });

  // Read access for the two certificate files and nothing else (/dev/null when they are unset, since
  // Deno refuses an empty path); the shell expands the variables, Deno's task runner cannot default them.
  it("lets every task read the TLS files only", async () => {
    for (const command of await taskCommands()) {
      expect(command.match(/--allow-read\S*/g)).toEqual(['--allow-read="${TLS_CERT_FILE:-/dev/null},${TLS_KEY_FILE:-/dev/null}"']);
      expect(command).not.toMatch(/ -A |--allow-all|--allow-write|--allow-run|--allow-sys|--allow-ffi/);
    }
  });

  // Without it a burst of handshakes grows the young generation to V8's default ceiling, and an idle
  // process keeps that memory (docs/runtimes.md#deno).
  it("runs every task with the young generation's semi-space capped at 8 MiB", async () => {
    for (const command of await taskCommands()) expect(command).toContain("--v8-flags=--max-semi-space-size=8 ");
  });
});
