// IDLE_TIMEOUT_S: a connection without messages is closed with 1000 "idle timeout"; a message resets it.
import { describe, expect, it } from "vitest";
import { ownServer, runtimeUnderTest } from "../support/own-server.ts";
import { openSocket, wsUrl, type Closed } from "../support/ws-client.ts";

const idleTimeoutMs = 2000;
const server = ownServer({ IDLE_TIMEOUT_S: String(idleTimeoutMs / 1000) });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const settled = (closed: Promise<Closed>, ms: number) => Promise.race([closed, sleep(ms).then(() => "open" as const)]);

describe("IDLE_TIMEOUT_S", () => {
  it("closes an idle connection with 1000, reason idle timeout", async () => {
    const socket = await openSocket(wsUrl(server().baseUrl, "/ws"));
    const closed = await settled(socket.closed, 8000);
    expect(closed).toMatchObject({ code: 1000, reason: "idle timeout" });
  });

  it("counts from the last message, not from the open", async () => {
    const socket = await openSocket(wsUrl(server().baseUrl, "/echo"));
    await sleep(1500);
    socket.send("still here");
    expect(await socket.next()).toBe("still here");
    // 2.5 s after open but only 1 s after the message: still open.
    expect(await settled(socket.closed, 1000)).toBe("open");
    expect(await settled(socket.closed, 8000)).toMatchObject({ code: 1000, reason: "idle timeout" });
  });
});

// The deadline is a Durable Object alarm on Workers and a one-second sweep on the process runtimes.
const sweepSlackMs = () => (runtimeUnderTest() === "workers" ? 0 : 1000);

/**
 * The lines the server logged while `run` ran that report an error or an uncaught exception: ours at
 * level error, and the runtime's (workerd reports an event that failed as "uncaught exception").
 */
async function errorsLoggedDuring(run: () => Promise<void>): Promise<string[]> {
  const { output } = server();
  const from = output.length;
  await run();
  // Anything the runtime logs about the close comes right after it.
  await sleep(500);
  return output.slice(from).filter((line) => /uncaught|"level":"error"/i.test(line));
}

describe("the idle-timeout close, on time and without errors (docs/protocol.md#limits)", () => {
  it.each([
    ["a client that never sent a frame", [] as string[]],
    ["a client that sent messages", ["hello", "ping"]],
  ])("%s gets 1000 idle timeout within a second of the deadline, and the log has no error", async (_case, messages) => {
    const errors = await errorsLoggedDuring(async () => {
      const socket = await openSocket(wsUrl(server().baseUrl, "/ws"));
      for (const message of messages) {
        socket.send(message);
        await socket.next();
      }
      const lastMessageAt = performance.now();
      const closed = await settled(socket.closed, idleTimeoutMs + 5000);
      expect(closed).toMatchObject({ code: 1000, reason: "idle timeout" });
      expect(performance.now() - lastMessageAt).toBeLessThan(idleTimeoutMs + 1000 + sweepSlackMs());
    });
    expect(errors).toEqual([]);
  });
});
