// The close code to answer a peer's close with. RFC 6455 §5.5.1: echo the code it sent; §7.4: a code
// that may not appear on the wire is a protocol error, failed with 1002.

/** 1005 is what workerd reports for a close frame without a code (§7.1.5); nothing was sent to echo. */
const NO_STATUS_RECEIVED = 1005;

/** Codes a peer may send (§7.4.1, the IANA registry's 1012-1014, and the 3000-4999 ranges of §7.4.2). */
function isValidOnTheWire(code: number): boolean {
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
}

/**
 * The code to send back when the peer closed with `code`: the same code, 1000 for a close without
 * one, and 1002 for one that may not be sent (0, 999, 1004, 1006, 1015, 2999, 5000, ...). workerd
 * hands webSocketClose any code exactly as it came, so this is where the check belongs.
 */
export function closeReplyCode(code: number): number {
  if (code === NO_STATUS_RECEIVED) return 1000;
  return isValidOnTheWire(code) ? code : 1002;
}
