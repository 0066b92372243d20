// A WebSocket opened through the Worker from inside workerd, with messages and close awaitable.
import { exports } from "cloudflare:workers";

/** An open client socket of a test. */
export interface WorkerSocket {
  ws: WebSocket;
  response: Response;
  next(timeoutMs?: number): Promise<string | ArrayBuffer>;
  closed: Promise<{ code: number; reason: string }>;
}

/** The headers of a valid upgrade (RFC 6455 §4.1), with `extra` added or overriding. */
export function upgradeHeaders(extra: Record<string, string> = {}): Record<string, string> {
  return { Upgrade: "websocket", Connection: "Upgrade", "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version": "13", ...extra };
}

/** Sends an upgrade for `path` to the Worker and accepts the client end of the socket it returns. */
export async function openThroughWorker(path: string, extra: Record<string, string> = {}): Promise<WorkerSocket> {
  const response = await exports.default.fetch(`http://multivac.test${path}`, { headers: upgradeHeaders(extra) });
  const ws = response.webSocket;
  if (!ws) throw new Error(`no WebSocket: ${response.status}`);
  ws.accept();
  ws.binaryType = "arraybuffer";
  const queue: Array<string | ArrayBuffer> = [];
  const waiters: Array<(message: string | ArrayBuffer) => void> = [];
  ws.addEventListener("message", (event) => {
    const waiter = waiters.shift();
    if (waiter) waiter(event.data);
    else queue.push(event.data);
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.addEventListener("close", (event) => resolve({ code: event.code, reason: event.reason })),
  );
  const next = (timeoutMs = 3000) =>
    new Promise<string | ArrayBuffer>((resolve, reject) => {
      const queued = queue.shift();
      if (queued !== undefined) return resolve(queued);
      const timer = setTimeout(() => reject(new Error(`no message within ${timeoutMs} ms`)), timeoutMs);
      waiters.push((message) => {
        clearTimeout(timer);
        resolve(message);
      });
    });
  return { ws, response, next, closed };
}
