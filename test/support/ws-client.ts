// A small promise wrapper over the standard WebSocket client (global in Node >= 22) for the
// contract tests: messages are queued so a test can await them in order.
import NodeWebSocket from "ws";
import { trustedCa } from "./trusted-ca.ts";

/** A message as the tests see it: text as a string, binary as bytes. */
export type Received = string | Uint8Array;

/** How a connection ended. */
export interface Closed {
  code: number;
  reason: string;
  wasClean: boolean;
}

/** An open client connection with awaitable messages and close. */
export interface TestSocket {
  socket: WebSocket;
  protocol: string;
  send(data: string | Uint8Array<ArrayBuffer>): void;
  /** The next message, in arrival order; rejects after `timeoutMs`. */
  next(timeoutMs?: number): Promise<Received>;
  closed: Promise<Closed>;
  close(code?: number, reason?: string): void;
}

/** The ws:// URL of a path on an http:// base URL. */
export function wsUrl(baseUrl: string, path: string): string {
  const url = new URL(path, baseUrl);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  return url.href;
}

/** The standard client for ws:, and `ws`'s for wss:: Node's global WebSocket takes no CA; `ws` does, with
 * the same browser-style interface (addEventListener, binaryType, protocol, send, close). */
function standardWebSocket(url: string, protocols?: string | string[]): WebSocket {
  if (!url.startsWith("wss:")) return new WebSocket(url, protocols);
  const socket = new NodeWebSocket(url, protocols, { ca: trustedCa() });
  // ws emits 'error' as an EventEmitter: without a listener a refused upgrade would be an uncaught error.
  socket.on("error", () => {});
  return socket as unknown as WebSocket;
}

/** Opens a WebSocket and resolves once it is open (rejects if it closes first). */
export function openSocket(url: string, protocols?: string | string[]): Promise<TestSocket> {
  const socket = standardWebSocket(url, protocols);
  socket.binaryType = "arraybuffer";
  const queue: Received[] = [];
  const waiters: Array<(message: Received) => void> = [];
  socket.addEventListener("message", (event: MessageEvent) => {
    const message = typeof event.data === "string" ? event.data : new Uint8Array(event.data as ArrayBuffer);
    const waiter = waiters.shift();
    if (waiter) waiter(message);
    else queue.push(message);
  });
  const closed = new Promise<Closed>((resolve) =>
    socket.addEventListener("close", (event: CloseEvent) => resolve({ code: event.code, reason: event.reason, wasClean: event.wasClean })),
  );

  const next = (timeoutMs = 5000) =>
    new Promise<Received>((resolve, reject) => {
      const queued = queue.shift();
      if (queued !== undefined) return resolve(queued);
      const timer = setTimeout(() => reject(new Error(`no message within ${timeoutMs} ms`)), timeoutMs);
      waiters.push((message) => {
        clearTimeout(timer);
        resolve(message);
      });
    });

  return new Promise((resolve, reject) => {
    socket.addEventListener("open", () =>
      resolve({
        socket,
        protocol: socket.protocol,
        send: (data) => socket.send(data),
        next,
        closed,
        close: (code, reason) => socket.close(code, reason),
      }),
    );
    void closed.then((how) => reject(new Error(`closed before open: ${how.code} ${how.reason}`)));
  });
}
