// MAX_CONNECTIONS: over the limit an upgrade gets 503 with Retry-After; a freed slot is usable again.
import { describe, expect, it } from "vitest";
import { ownServer } from "../support/own-server.ts";
import { getRequest, rawRequest } from "../support/raw-http.ts";
import { openSocket, wsUrl } from "../support/ws-client.ts";

const server = ownServer({ MAX_CONNECTIONS: "2" });

const upgrade = () =>
  rawRequest(
    server().baseUrl,
    getRequest(server().baseUrl, "/echo", ["Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Key: x3JJHMbDL1EzLkh9GBhXDw==", "Sec-WebSocket-Version: 13"]),
  );

describe("MAX_CONNECTIONS", () => {
  it("refuses the connection over the limit with 503 and Retry-After, then frees the slot on close", async () => {
    const first = await openSocket(wsUrl(server().baseUrl, "/ws"));
    const second = await openSocket(wsUrl(server().baseUrl, "/echo"));
    const refused = await upgrade();
    expect(refused.status).toBe(503);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);

    first.close();
    await first.closed;
    // The server counts the slot free once its own close event has run.
    let again = await upgrade();
    for (let attempt = 0; again.status !== 101 && attempt < 20; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      again = await upgrade();
    }
    expect(again.status).toBe(101);
    second.close();
  });
});
