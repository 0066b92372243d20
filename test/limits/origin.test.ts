// ALLOWED_ORIGINS: only listed origins may open a WebSocket (cross-site WebSocket hijacking guard).
import { describe, expect, it } from "vitest";
import { ownServer } from "../support/own-server.ts";
import { getRequest, rawRequest } from "../support/raw-http.ts";

const server = ownServer({ ALLOWED_ORIGINS: "https://good.example,http://localhost:8787" });

function upgradeFrom(origin: string | undefined) {
  const headers = ["Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Key: x3JJHMbDL1EzLkh9GBhXDw==", "Sec-WebSocket-Version: 13"];
  if (origin !== undefined) headers.push(`Origin: ${origin}`);
  return rawRequest(server().baseUrl, getRequest(server().baseUrl, "/ws", headers));
}

describe("ALLOWED_ORIGINS", () => {
  it("upgrades a listed origin", async () => {
    expect((await upgradeFrom("https://good.example")).status).toBe(101);
    expect((await upgradeFrom("http://localhost:8787")).status).toBe(101);
  });

  it("refuses any other origin with 403", async () => {
    expect((await upgradeFrom("https://evil.example")).status).toBe(403);
    expect((await upgradeFrom("https://good.example.evil.example")).status).toBe(403);
    expect((await upgradeFrom("null")).status).toBe(403);
  });

  it("refuses a request without Origin with 403 once a list is set", async () => {
    expect((await upgradeFrom(undefined)).status).toBe(403);
  });
});
