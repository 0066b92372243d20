// The opening handshake of RFC 6455 §4.1 over a bare TCP socket, checked as a client must check it.
import { createHash, randomBytes } from "node:crypto";
import { connect, type Socket } from "node:net";
import { hostAndPort, parseResponse, statusOf } from "../raw-http.ts";

/** A socket right after a 101, paused so no frame byte is lost, and any bytes that came with the head. */
export interface UpgradedSocket {
  socket: Socket;
  /** Bytes after the blank line of the 101 (a server may send frames at once). */
  leftover: Uint8Array;
}

/** How an upgrade attempt ended: open, refused with an HTTP status, or failed (`code`: ECONNRESET, timeout, closed, not-http, wrong-accept, ...). */
export type UpgradeOutcome = ({ kind: "open" } & UpgradedSocket) | { kind: "refused"; status: number; reason: string } | { kind: "failed"; code: string; reason: string };

/** The head of a valid upgrade request to `path`, without the blank line that ends it (a caller may add headers). */
export function upgradeRequestHead(baseUrl: string, path: string, key = randomBytes(16).toString("base64")): string {
  const { host, port } = hostAndPort(baseUrl);
  const hostHeader = host.includes(":") ? `[${host}]` : host;
  return [`GET ${path} HTTP/1.1`, `Host: ${hostHeader}:${port}`, "Upgrade: websocket", "Connection: Upgrade", `Sec-WebSocket-Key: ${key}`, "Sec-WebSocket-Version: 13", ""].join("\r\n");
}

/** Connects to `path` on `baseUrl`, sends an upgrade request and checks the answer (§4.1, client steps
 * 1-6). Never rejects: under attack a 429 or a reset is a result to count, not an error. */
export function tryUpgrade(baseUrl: string, path: string, timeoutMs = 5000): Promise<UpgradeOutcome> {
  const key = randomBytes(16).toString("base64");
  return new Promise((resolve) => {
    const { host, port } = hostAndPort(baseUrl);
    const socket = connect({ host, port });
    socket.setNoDelay(true);
    let received = Buffer.alloc(0);
    const finish = (outcome: UpgradeOutcome) => {
      clearTimeout(deadline);
      socket.off("data", onData).off("end", onEnd).off("error", onError);
      // A reset after the caller's own close must not crash it.
      socket.on("error", () => {});
      if (outcome.kind !== "open") socket.destroy();
      resolve(outcome);
    };
    const fail = (code: string, reason: string) => finish({ kind: "failed", code, reason: `${reason}; received ${JSON.stringify(received.toString("latin1").slice(0, 500))}` });
    const deadline = setTimeout(() => fail("timeout", `no 101 from ${baseUrl}${path} within ${timeoutMs} ms`), timeoutMs);
    const onData = (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const headEnd = received.indexOf("\r\n\r\n");
      if (headEnd === -1) return received.length > 64 * 1024 ? fail("oversized-response", "response head over 64 KiB") : undefined;
      socket.pause();
      const { statusLine, headers } = parseResponse(received.subarray(0, headEnd).toString("latin1"));
      const status = statusOf(statusLine);
      if (status !== undefined && status !== 101) return finish({ kind: "refused", status, reason: `expected a 101, got ${JSON.stringify(statusLine)}` });
      if (!/^HTTP\/1\.1 101 /.test(statusLine)) return fail("not-http", `expected a 101, got ${JSON.stringify(statusLine)}`);
      // §4.2.2 step 5.4: the key with the GUID of §1.3, hashed.
      const accept = createHash("sha1").update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest("base64");
      if (headers.get("sec-websocket-accept") !== accept) return fail("wrong-accept", "wrong Sec-WebSocket-Accept (§4.1 client step 4)");
      // §4.1 client step 5: no extension was offered, so none may be in use.
      if (headers.has("sec-websocket-extensions")) return fail("extension", "server answered with an extension the client did not offer");
      finish({ kind: "open", socket, leftover: new Uint8Array(received.subarray(headEnd + 4)) });
    };
    const onEnd = () => fail("closed", "server closed the connection during the handshake");
    const onError = (error: NodeJS.ErrnoException) => fail(error.code ?? "error", `socket error during the handshake: ${error.message}`);
    socket.on("data", onData).on("end", onEnd).on("error", onError);
    socket.write(`${upgradeRequestHead(baseUrl, path, key)}\r\n`);
  });
}

/** {@link tryUpgrade} for tests: resolves with the open socket, rejects with what went wrong otherwise. */
export async function upgrade(baseUrl: string, path: string, timeoutMs = 5000): Promise<UpgradedSocket> {
  const outcome = await tryUpgrade(baseUrl, path, timeoutMs);
  if (outcome.kind !== "open") throw new Error(outcome.reason);
  return outcome;
}
