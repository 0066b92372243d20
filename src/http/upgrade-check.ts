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

/** The refusal for a server that is at its connection limit. */
export function capacityRefusal(retryAfterSeconds: number): Refusal {
  return {
    reason: "capacity",
    status: 503,
    message: "Too many connections; try again shortly",
    headers: { "Retry-After": String(retryAfterSeconds) },
  };
}

/**
 * The refusal while the process drains after SIGTERM. A retry goes through the load balancer, which by
 * then sends it to another server (or to this one's successor), so the client need not wait long.
 */
export function drainingRefusal(retryAfterSeconds: number): Refusal {
  return {
    reason: "draining",
    status: 503,
    message: "This server is shutting down; try again",
    headers: { "Retry-After": String(retryAfterSeconds) },
  };
}

/** The refusal for a client address that already holds MAX_CONNECTIONS_PER_IP WebSockets. */
export function perAddressRefusal(retryAfterSeconds: number): Refusal {
  return {
    reason: "per-address",
    status: 429,
    message: "Too many connections from your address; close some or try again later",
    headers: { "Retry-After": String(retryAfterSeconds) },
  };
}

/** The HTTP response for a refusal: the status, its headers and a one-line text body. */
export function refusalResponse(refusal: Refusal): Response {
  return new Response(`${refusal.message}\n`, {
    status: refusal.status,
    headers: { "Content-Type": "text/plain; charset=utf-8", ...refusal.headers },
  });
}
