// Refuses a request to a WebSocket route before any WebSocket exists (RFC 6455 §4.2.1, §4.4).
import { offeredSubprotocols, selectSubprotocol } from "./subprotocol.ts";

/** Why an upgrade was refused; also the label of the refusal metric. */
export type RefusalReason = "method" | "not-upgrade" | "connection" | "version" | "key" | "origin" | "capacity" | "per-address" | "draining";

/** A refused upgrade: the HTTP answer to give, and why. */
export interface Refusal {
  reason: RefusalReason;
  status: 400 | 403 | 405 | 426 | 429 | 503;
  headers: Record<string, string>;
  message: string;
}

/** The result of checking an upgrade request. */
export type UpgradeCheck = { ok: true; protocol: string | undefined } | { ok: false; refusal: Refusal };

/** True when a comma-separated header holds the token, compared case-insensitively (RFC 7230 §3.2.6). */
function hasToken(header: string | null, token: string): boolean {
  if (!header) return false;
  return header.split(",").some((part) => part.trim().toLowerCase() === token);
}

// §4.1: the key is a base64-encoded 16-byte nonce: 22 base64 characters and "==".
const SEC_WEBSOCKET_KEY = /^[A-Za-z0-9+/]{22}==$/;

function refuse(reason: RefusalReason, status: Refusal["status"], message: string, headers: Record<string, string> = {}): UpgradeCheck {
  return { ok: false, refusal: { reason, status, message, headers } };
}

/** Checks a WebSocket upgrade request against RFC 6455 and the origin allow-list. */
export function checkUpgrade(request: Request, allowedOrigins: readonly string[] | undefined): UpgradeCheck {
  const headers = request.headers;
  if (request.method !== "GET") {
    return refuse("method", 405, "WebSocket upgrades must use GET", { Allow: "GET" });
  }
  if (!hasToken(headers.get("upgrade"), "websocket")) {
    return refuse("not-upgrade", 426, "This endpoint speaks WebSocket only: send an Upgrade: websocket request", { Upgrade: "websocket" });
  }
  if (!hasToken(headers.get("connection"), "upgrade")) {
    return refuse("connection", 400, "A WebSocket upgrade needs a Connection: Upgrade header");
  }
  if (headers.get("sec-websocket-version")?.trim() !== "13") {
    return refuse("version", 426, "Only WebSocket version 13 is supported", { "Sec-WebSocket-Version": "13" });
  }
  if (!SEC_WEBSOCKET_KEY.test(headers.get("sec-websocket-key")?.trim() ?? "")) {
    return refuse("key", 400, "Sec-WebSocket-Key must be 16 bytes in base64");
  }
  if (allowedOrigins && !allowedOrigins.includes(headers.get("origin") ?? "")) {
    return refuse("origin", 403, "This origin may not open a WebSocket here");
  }
  return { ok: true, protocol: selectSubprotocol(offeredSubprotocols(headers.get("sec-websocket-protocol"))) };
}

/**
 * Refusals a client should retry, each with its status and how long to wait. The per-address limit
 * waits longest: the client already holds its share of connections. A draining server's retry goes
 * through the load balancer, which by then sends it to another server (or to this one's successor).
 */
const retryLater = {
  capacity: { status: 503, retryAfterS: 5, message: "Too many connections; try again shortly" },
  "per-address": { status: 429, retryAfterS: 30, message: "Too many connections from your address; close some or try again later" },
  draining: { status: 503, retryAfterS: 1, message: "This server is shutting down; try again" },
} as const;

/** Why an otherwise valid upgrade must be tried again later: MAX_CONNECTIONS, MAX_CONNECTIONS_PER_IP, a drain. */
export type RetryLaterReason = keyof typeof retryLater;

/** The refusal, with `Retry-After`, for an upgrade to try again later. */
export function retryLaterRefusal(reason: RetryLaterReason): Refusal {
  const { status, retryAfterS, message } = retryLater[reason];
  return { reason, status, message, headers: { "Retry-After": String(retryAfterS) } };
}

/** The HTTP response for a refusal: the status, its headers and a one-line text body. */
export function refusalResponse(refusal: Refusal): Response {
  return new Response(`${refusal.message}\n`, {
    status: refusal.status,
    headers: { "Content-Type": "text/plain; charset=utf-8", ...refusal.headers },
  });
}
