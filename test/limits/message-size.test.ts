// MAX_MESSAGE_BYTES: a message of exactly the limit passes, one byte more closes with 1009.
import { describe, expect, it } from "vitest";
import { ownServer } from "../support/own-server.ts";
import { openSocket, wsUrl } from "../support/ws-client.ts";

const limit = 1024;
const server = ownServer({ MAX_MESSAGE_BYTES: String(limit) });

describe("MAX_MESSAGE_BYTES", () => {
  it("echoes a binary message of exactly the limit", async () => {
    const socket = await openSocket(wsUrl(server().baseUrl, "/echo"));
    socket.send(new Uint8Array(limit).fill(7));
    expect(((await socket.next()) as Uint8Array).byteLength).toBe(limit);
    socket.close();
  });

  it("closes with 1009 for a binary message one byte over", async () => {
    const socket = await openSocket(wsUrl(server().baseUrl, "/echo"));
    socket.send(new Uint8Array(limit + 1));
    expect((await socket.closed).code).toBe(1009);
  });

  it("closes with 1009 for a text message over the limit in UTF-8 bytes, on /ws too", async () => {
    const socket = await openSocket(wsUrl(server().baseUrl, "/ws"));
    // 513 two-byte characters: 513 UTF-16 units but 1026 bytes on the wire.
    socket.send("é".repeat(513));
    expect((await socket.closed).code).toBe(1009);
  });
});
