import { afterEach, describe, expect, it, vi } from "vitest";
import { StepClock } from "../core/step-clock.ts";
import { createLogger } from "../log.ts";
import type { RuntimeSocket } from "../adapter/contract.ts";
import { HostedSession, type ProcessServices } from "./hosted-session.ts";
import { LiveConnections } from "./live-connections.ts";
import { Metrics } from "./metrics.ts";

/** A socket whose unsent bytes the test sets, recording what the session asks of it. */
function fakeSocket() {
  const socket = { unsent: 0, calls: [] as string[] } as RuntimeSocket & { unsent: number; calls: string[] };
  for (const method of ["send", "close", "pause", "resume", "terminate"] as const) socket[method] = () => void socket.calls.push(method);
  return socket;
}

function fakeServices(lines: string[]): ProcessServices {
  return {
    rules: { maxMessageBytes: 1024, rateLimit: 0, idleTimeoutMs: 0, timeZone: "UTC" },
    clock: new StepClock(),
    flowControl: { limit: 100, resumeAt: 50, stallMs: 60_000, bytesOf: (socket) => (socket as ReturnType<typeof fakeSocket>).unsent },
    log: createLogger({ runtime: "node", level: "info", write: (line) => lines.push(line) }),
    connections: new LiveConnections({ maxConnections: 10, maxConnectionsPerIp: 0 }),
    metrics: new Metrics(),
  };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("HostedSession's close log", () => {
  it("has the same traffic fields as the Durable Object's, with the time flow control stopped reading", () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const lines: string[] = [];
    const socket = fakeSocket();
    const session = new HostedSession({ route: "echo", path: "/echo", id: "c1", protocol: undefined, remoteAddress: "192.0.2.1" }, fakeServices(lines));
    session.opened(socket);
    // An echo that leaves more than the limit unsent pauses reading; draining below resumeAt 300 ms later resumes it.
    socket.unsent = 200;
    session.message("hello");
    vi.advanceTimersByTime(300);
    socket.unsent = 0;
    session.drained();
    // A second pause, still on when the connection closes 200 ms later.
    socket.unsent = 200;
    session.message("again");
    vi.advanceTimersByTime(200);
    session.closed(1000, "bye");

    expect(socket.calls).toEqual(["send", "pause", "resume", "send", "pause"]);
    const close = JSON.parse(lines.at(-1)!) as Record<string, unknown>;
    expect(close).toMatchObject({ event: "close", id: "c1", code: 1000, reason: "bye" });
    expect(close).toMatchObject({ messages_in: 2, messages_out: 2, bytes_in: 10, bytes_out: 10, paused_ms: 500, duration_ms: 500 });
  });
});
