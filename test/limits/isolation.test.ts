// One connection's bad input never affects another connection, and never stops the server.
import { connect } from "node:net";
import { describe, expect, it } from "vitest";
import { ownServer } from "../support/own-server.ts";
import { hostAndPort } from "../support/raw-http.ts";
import { openSocket, wsUrl } from "../support/ws-client.ts";

const server = ownServer({ MAX_MESSAGE_BYTES: "1024", RATE_LIMIT: "5" });

/** Sends bytes that are not HTTP at all and waits until the server drops or answers them. */
function sendGarbage(bytes: Uint8Array): Promise<void> {
  const { host, port } = hostAndPort(server().baseUrl);
  return new Promise((resolve) => {
    const socket = connect({ host, port }, () => socket.end(bytes));
    const done = () => {
      socket.destroy();
      resolve();
    };
    socket.on("close", done);
    socket.on("error", done);
    setTimeout(done, 2000);
  });
}

describe("isolation", () => {
  it("keeps a good connection working while others misbehave", async () => {
    const good = await openSocket(wsUrl(server().baseUrl, "/ws"));
    const oversize = await openSocket(wsUrl(server().baseUrl, "/echo"));
    const flooder = await openSocket(wsUrl(server().baseUrl, "/ws"));

    oversize.send(new Uint8Array(4096));
    for (let i = 0; i < 50; i++) flooder.send("flood");
    await sendGarbage(new TextEncoder().encode("\x16\x03\x01 not http at all\r\n\r\n"));
    expect((await oversize.closed).code).toBe(1009);
    expect((await flooder.closed).code).toBe(1008);

    good.send("hello");
    expect(await good.next()).toBe("hello human");
    good.send("still fine?");
    expect(await good.next()).toBe("You have entered: still fine?");
    good.close();

    const health = await fetch(new URL("/healthz", server().baseUrl));
    expect(health.status).toBe(200);
  });
});
