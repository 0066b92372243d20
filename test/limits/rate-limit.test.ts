// RATE_LIMIT: a token bucket of RATE_LIMIT per second with a burst of twice that; over it, 1008.
import { describe, expect, it } from "vitest";
import { ownServer } from "../support/own-server.ts";
import { openSocket, wsUrl } from "../support/ws-client.ts";

const server = ownServer({ RATE_LIMIT: "5" });

describe("RATE_LIMIT", () => {
  it("allows a burst of twice the rate", async () => {
    const socket = await openSocket(wsUrl(server().baseUrl, "/echo"));
    for (let i = 0; i < 10; i++) socket.send(`m${i}`);
    for (let i = 0; i < 10; i++) expect(await socket.next()).toBe(`m${i}`);
    socket.close();
  });

  it("closes a sender over the sustained rate with 1008, reason rate limit", async () => {
    const socket = await openSocket(wsUrl(server().baseUrl, "/ws"));
    for (let i = 0; i < 40; i++) socket.send("hello");
    const closed = await socket.closed;
    expect(closed.code).toBe(1008);
    expect(closed.reason).toBe("rate limit");
  });
});
