import { describe, expect, it } from "vitest";
import type { Logger } from "../log.ts";
import { LiveConnections, type LiveConnection } from "./live-connections.ts";
import { shutdownOnce, type ShutdownSteps } from "./shutdown.ts";

const silent: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/** A connection that records its close and leaves the registry after `closeTakesMs`. */
function connection(connections: LiveConnections, events: string[], closeTakesMs = 0): LiveConnection {
  const self: LiveConnection = {
    tick: () => {},
    bufferedBytes: () => 0,
    close: (code) => {
      events.push(`close ${code}`);
      setTimeout(() => connections.delete(self, undefined), closeTakesMs);
    },
  };
  connections.admit(self, undefined);
  return self;
}

function steps(connections: LiveConnections, events: string[], overrides: Partial<ShutdownSteps> = {}): ShutdownSteps {
  return {
    connections,
    log: silent,
    graceMs: 1000,
    delayMs: 0,
    startDraining: () => events.push("draining"),
    stopListening: () => events.push("stop listening"),
    ...overrides,
  };
}

describe("shutdownOnce", () => {
  it("drains with the listener open, waits SHUTDOWN_DELAY_S before 1001, stops listening last, exits 0", async () => {
    const connections = new LiveConnections({ maxConnections: 100, maxConnectionsPerIp: 0 });
    const events: string[] = [];
    connection(connections, events, 20);
    let exit!: (code: number) => void;
    const code = new Promise<number>((resolve) => (exit = (code) => (events.push(`exit ${code}`), resolve(code))));
    const started = Date.now();
    shutdownOnce(steps(connections, events, { delayMs: 100 }), exit)("SIGTERM");
    expect(events).toEqual(["draining"]);
    expect(await code).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    expect(events).toEqual(["draining", "close 1001", "stop listening", "exit 0"]);
  });

  it("with REUSE_PORT, closes the listener as draining starts, so siblings take new connections", async () => {
    const connections = new LiveConnections({ maxConnections: 100, maxConnectionsPerIp: 0 });
    const events: string[] = [];
    connection(connections, events, 20);
    let exit!: (code: number) => void;
    const code = new Promise<number>((resolve) => (exit = (code) => (events.push(`exit ${code}`), resolve(code))));
    shutdownOnce(steps(connections, events, { delayMs: 50, closeListener: () => events.push("close listener") }), exit)("SIGTERM");
    expect(events).toEqual(["draining", "close listener"]);
    expect(await code).toBe(0);
    expect(events).toEqual(["draining", "close listener", "close 1001", "stop listening", "exit 0"]);
  });

  it("closes a connection that opens during the drain", async () => {
    const connections = new LiveConnections({ maxConnections: 100, maxConnectionsPerIp: 0 });
    const events: string[] = [];
    connection(connections, events, 50);
    let exit!: (code: number) => void;
    const code = new Promise<number>((resolve) => (exit = resolve));
    shutdownOnce(steps(connections, events), exit)("SIGTERM");
    connection(connections, events);
    expect(events).toEqual(["draining", "close 1001", "close 1001"]);
    expect(await code).toBe(0);
  });

  it("stops at the grace period when a connection does not close", async () => {
    const connections = new LiveConnections({ maxConnections: 100, maxConnectionsPerIp: 0 });
    const events: string[] = [];
    connection(connections, events, 2000);
    let exit!: (code: number) => void;
    const code = new Promise<number>((resolve) => (exit = resolve));
    const started = Date.now();
    shutdownOnce(steps(connections, events, { graceMs: 100 }), exit)("SIGTERM");
    expect(await code).toBe(0);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it("ignores the copy of the signal a process group delivers at once, and exits 1 on a later one", async () => {
    const connections = new LiveConnections({ maxConnections: 100, maxConnectionsPerIp: 0 });
    const events: string[] = [];
    connection(connections, events, 1500);
    const codes: number[] = [];
    const onSignal = shutdownOnce(steps(connections, events, { graceMs: 1500 }), (code) => codes.push(code));
    onSignal("SIGTERM");
    onSignal("SIGTERM");
    expect(codes).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 1050));
    onSignal("SIGINT");
    expect(codes).toEqual([1]);
  });
});
