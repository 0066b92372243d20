// IDLE_TIMEOUT_S: a connection without messages is closed with 1000 "idle timeout"; a message resets it.
import { describe, expect, it } from "vitest";
import { ownServer } from "../support/own-server.ts";
import { openSocket, wsUrl, type Closed } from "../support/ws-client.ts";

const server = ownServer({ IDLE_TIMEOUT_S: "2" });

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
