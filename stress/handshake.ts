// An opening handshake (RFC 6455 §4.1) that, unlike the test helper, reports a refusal as data:
// under attack a 429, 503 or a reset is a result to count, not an error.
import { randomBytes } from "node:crypto";
import { connect, type Socket } from "node:net";
import { expectedAccept } from "../test/support/wire/handshake.ts";
import type { Target } from "./target.ts";

/** How an upgrade attempt ended. */
export type UpgradeOutcome =
  | { kind: "open"; socket: Socket; leftover: Buffer }
  | { kind: "refused"; status: number }
  /** TCP-level failure: the error code (ECONNRESET, ECONNREFUSED, ...), "closed" or "timeout". */
  | { kind: "failed"; reason: string };

/** Bytes of a response head we are willing to hold before calling the answer garbage. */
const maxHeadBytes = 64 * 1024;

/** The request line and headers of a valid upgrade to `path`, without the blank line that ends them. */
export function upgradeRequestHead(target: Target, path: string): string {
  const key = randomBytes(16).toString("base64");
  const host = target.host.includes(":") ? `[${target.host}]` : target.host;
  return [
    `GET ${path} HTTP/1.1`,
    `Host: ${host}:${target.port}`,
    "Upgrade: websocket",
    "Connection: Upgrade",
    `Sec-WebSocket-Key: ${key}`,
    "Sec-WebSocket-Version: 13",
  ].join("\r\n") + "\r\n";
}

/** A TCP connection to the target; errors are swallowed here so an unobserved reset cannot crash the tool. */
export function connectTcp(target: Target): Socket {
  const socket = connect({ host: target.host, port: target.port });
  socket.on("error", () => {});
  socket.setNoDelay(true);
  return socket;
}

/** The status code of an HTTP response's first line, or undefined if it is not one. */
export function statusOf(head: string): number | undefined {
  const match = /^HTTP\/1\.[01] (\d{3})/.exec(head);
  return match ? Number(match[1]) : undefined;
}

/** Connects and upgrades to `path`; on success the socket is paused, with any frame bytes that came along. */
export function openWebSocket(target: Target, path = "/echo", timeoutMs = 5000): Promise<UpgradeOutcome> {
  const head = upgradeRequestHead(target, path);
  const key = /Sec-WebSocket-Key: (\S+)/.exec(head)?.[1] ?? "";
  return new Promise((resolve) => {
    const socket = connectTcp(target);
    let received = Buffer.alloc(0);
    const finish = (outcome: UpgradeOutcome) => {
      clearTimeout(deadline);
      socket.off("data", onData);
      socket.off("close", onClose);
      socket.off("error", onError);
      if (outcome.kind !== "open") socket.destroy();
      resolve(outcome);
    };
    const deadline = setTimeout(() => finish({ kind: "failed", reason: "timeout" }), timeoutMs);
    const onData = (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const headEnd = received.indexOf("\r\n\r\n");
      if (headEnd === -1) {
        if (received.length > maxHeadBytes) finish({ kind: "failed", reason: "oversized-response" });
        return;
      }
      socket.pause();
      const responseHead = received.subarray(0, headEnd).toString("latin1");
      const status = statusOf(responseHead);
      if (status !== 101) return finish(status === undefined ? { kind: "failed", reason: "not-http" } : { kind: "refused", status });
      const accept = /^sec-websocket-accept:\s*(\S+)/im.exec(responseHead)?.[1];
      if (accept !== expectedAccept(key)) return finish({ kind: "failed", reason: "wrong-accept" });
      finish({ kind: "open", socket, leftover: received.subarray(headEnd + 4) });
    };
    const onClose = () => finish({ kind: "failed", reason: "closed" });
    const onError = (error: NodeJS.ErrnoException) => finish({ kind: "failed", reason: error.code ?? "error" });
    socket.on("data", onData);
    socket.on("close", onClose);
    socket.on("error", onError);
    socket.write(`${head}\r\n`);
  });
}
