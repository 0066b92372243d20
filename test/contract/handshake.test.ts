// RFC 6455 §4.2 handshake and the refusals of docs/protocol.md#refusals, checked byte by byte over raw TCP.
import { describe, expect, inject, it } from "vitest";
import { httpGet } from "../support/http-client.ts";
import { getRequest, rawRequest } from "../support/raw-http.ts";

const baseUrl = inject("baseUrl");
const runtime = inject("runtime");
// workerd removes `Upgrade` from every response that is not a 101 (seen with a bare Worker on workerd's
// own socket), so on Workers the 426 cannot carry it; its body still says what to send (docs/runtimes.md#cloudflare-workers).
const upgradeHeaderOn426 = runtime === "workers" ? null : "websocket";
const seedKey = "x3JJHMbDL1EzLkh9GBhXDw==";

function upgradeHeaders(overrides: Record<string, string | undefined> = {}): string[] {
  const headers: Record<string, string | undefined> = {
    Upgrade: "websocket",
    Connection: "Upgrade",
    "Sec-WebSocket-Key": seedKey,
    "Sec-WebSocket-Version": "13",
    ...overrides,
  };
  return Object.entries(headers).flatMap(([name, value]) => (value === undefined ? [] : [`${name}: ${value}`]));
}

describe("the seed handshake of the original demo", () => {
  it("gets exactly the 101 answer of docs/protocol.md#handshake", async () => {
    const request = getRequest(baseUrl, "/ws", upgradeHeaders({ "Sec-WebSocket-Protocol": "chat" }));
    const response = await rawRequest(baseUrl, request);
    expect(response.statusLine).toBe("HTTP/1.1 101 Switching Protocols");
    expect(response.headers.get("upgrade")?.toLowerCase()).toBe("websocket");
    expect(response.headers.get("connection")?.toLowerCase()).toBe("upgrade");
    expect(response.headers.get("sec-websocket-accept")).toBe("HSmrc0sMlYUkAGmm5OPpG2HaGWk=");
    expect(response.headers.get("sec-websocket-protocol")).toBe("chat");
    // The server sends nothing on open: no frame follows the 101.
    expect(response.body).toBe("");
  });

  it("computes the accept key of the RFC's own example", async () => {
    const request = getRequest(baseUrl, "/echo", upgradeHeaders({ "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==" }));
    const response = await rawRequest(baseUrl, request);
    expect(response.status).toBe(101);
    expect(response.headers.get("sec-websocket-accept")).toBe("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
  });

  it("accepts header tokens in any case and Connection lists", async () => {
    const request = getRequest(baseUrl, "/ws", [
      "upgrade: WebSocket",
      "connection: keep-alive, Upgrade",
      `sec-websocket-key: ${seedKey}`,
      "sec-websocket-version: 13",
    ]);
    const response = await rawRequest(baseUrl, request);
    expect(response.status).toBe(101);
    expect(response.headers.get("sec-websocket-accept")).toBe("HSmrc0sMlYUkAGmm5OPpG2HaGWk=");
  });
});

describe("subprotocol negotiation", () => {
  const protocolFor = async (offer: string | undefined) => {
    const response = await rawRequest(baseUrl, getRequest(baseUrl, "/ws", upgradeHeaders({ "Sec-WebSocket-Protocol": offer })));
    expect(response.status).toBe(101);
    return response.headers.get("sec-websocket-protocol");
  };

  it("selects chat in any position of the offer", async () => {
    expect(await protocolFor("superchat, chat")).toBe("chat");
    expect(await protocolFor("chat, superchat")).toBe("chat");
  });

  it("answers no protocol when none of the offered ones is supported", async () => {
    expect(await protocolFor("superchat, v2.example")).toBeUndefined();
  });

  it("answers no protocol when none was offered", async () => {
    expect(await protocolFor(undefined)).toBeUndefined();
  });
});

describe("refused upgrades", () => {
  it("answers a plain GET with 426, Upgrade: websocket and a one-line body", async () => {
    for (const path of ["/ws", "/echo"]) {
      const response = await httpGet(new URL(path, baseUrl));
      expect(response.status).toBe(426);
      expect(response.headers.get("upgrade")).toBe(upgradeHeaderOn426);
      const body = await response.text();
      expect(body.trim()).not.toBe("");
      expect(body.trim().split("\n")).toHaveLength(1);
    }
  });

  it("answers another version with 426 and Sec-WebSocket-Version: 13", async () => {
    const response = await rawRequest(baseUrl, getRequest(baseUrl, "/ws", upgradeHeaders({ "Sec-WebSocket-Version": "8" })));
    expect(response.status).toBe(426);
    expect(response.headers.get("sec-websocket-version")).toBe("13");
  });

  it("answers a missing version with 426", async () => {
    const response = await rawRequest(baseUrl, getRequest(baseUrl, "/echo", upgradeHeaders({ "Sec-WebSocket-Version": undefined })));
    expect(response.status).toBe(426);
    expect(response.headers.get("sec-websocket-version")).toBe("13");
  });

  it.each([
    ["missing", undefined],
    ["not base64 of 16 bytes", "c2hvcnQ="],
    ["garbage", "not a key at all!!!!!!!="],
  ])("answers a %s Sec-WebSocket-Key with 400", async (_case, key) => {
    const response = await rawRequest(baseUrl, getRequest(baseUrl, "/ws", upgradeHeaders({ "Sec-WebSocket-Key": key })));
    expect(response.status).toBe(400);
  });

  // Connection is hop-by-hop: a proxy writes its own, so this also checks that deploy/nginx.conf passes
  // on what the client sent rather than "Connection: upgrade" for every request with an Upgrade header.
  it("answers an upgrade without Connection: Upgrade with 400", async () => {
    const response = await rawRequest(baseUrl, getRequest(baseUrl, "/ws", upgradeHeaders({ Connection: "keep-alive" })));
    expect(response.status).toBe(400);
  });

  it("answers an upgrade by POST with 405 or 400", async () => {
    const response = await rawRequest(baseUrl, getRequest(baseUrl, "/ws", [...upgradeHeaders(), "Content-Length: 0"], "POST"));
    expect([400, 405]).toContain(response.status);
  });

  it("never upgrades a path that is not a WebSocket route", async () => {
    const response = await rawRequest(baseUrl, getRequest(baseUrl, "/nowhere", upgradeHeaders()));
    expect(response.status).toBe(404);
  });
});
