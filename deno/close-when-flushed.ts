// Deno 2.9 loses the close frame when `close()` is called while earlier `send()`s are still buffered:
// the peer gets the messages, then the TCP connection ends without a close frame (1006 instead of,
// say, 1008 `rate limit`). Seen with 10 replies queued before the close; one reply is fine. Compare
// denoland/deno#19483 (a close frame sent before the data was flushed). So the close waits for the
// send buffer to drain, for a bounded time: a peer that stops reading must not keep its socket open.

const POLL_MS = 5;
const MAX_WAIT_MS = 2000;

/** Closes `socket` with `code` and `reason` once its buffered sends are written (or after 2 s). */
export function closeWhenFlushed(socket: WebSocket, code: number, reason: string): void {
  const giveUpAt = Date.now() + MAX_WAIT_MS;
  const attempt = () => {
    if (socket.readyState !== WebSocket.OPEN) return;
    if (socket.bufferedAmount > 0 && Date.now() < giveUpAt) setTimeout(attempt, POLL_MS);
    else socket.close(code, reason);
  };
  attempt();
}
