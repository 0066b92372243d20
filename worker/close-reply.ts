// The close code to answer a peer's close with (RFC 6455 §5.5.1: echo the code it sent).

/**
 * The code to send back when the peer closed with `code`. 1005 (no code) and 1006 (dropped) are
 * reported by workerd but may never be sent, and `WebSocket.close` throws on them and on any code
 * outside those an endpoint may send (RFC 6455 §7.4); those are answered with 1000.
 */
export function closeReplyCode(code: number): number {
  const sendable = (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
  return sendable ? code : 1000;
}
