// What a server did after a case's bytes were written, reduced to what RFC 6455 rules about: which
// frame came first, the close code, and whether the server then closed TCP (§7.1.1, §7.1.7).
import { WaitTimeout, type RawWebSocket, type WireEvent } from "../support/wire/raw-websocket.ts";
import { parseClosePayload, ServerFrameViolation } from "../support/wire/frame-decoder.ts";
import { Opcode } from "../support/wire/opcodes.ts";

/** The observable end of a case. */
export type Outcome =
  /** A close frame (code undefined = empty body), then TCP closed (true) or still open after the wait (false). */
  | { kind: "close"; code: number | undefined; tcpClosed: boolean }
  /** TCP closed without any close frame. */
  | { kind: "tcp-closed-without-close-frame" }
  /** Some other frame came first (e.g. a message echoed instead of a close). */
  | { kind: "frame"; opcode: number; payload: Uint8Array }
  /** The server's answer was itself a frame RFC 6455 forbids; `rule` is the decoder's message. */
  | { kind: "server-frame-violation"; rule: string };

/** The RFC outcome of a failed connection: a close frame with `code`, then the server closes TCP (§7.1.7). */
export function failWith(code: number): Outcome {
  return { kind: "close", code, tcpClosed: true };
}

/** How long the server has, after its close frame, to close TCP itself (§7.1.1: the server closes first). */
const tcpCloseWaitMs = 3000;

/**
 * Waits for the first frame or TCP close, and after a close frame for TCP to close. The client does not
 * answer the close: a server failing the connection must not wait for the peer (§7.1.7).
 * A frame after the server's close frame is a bug in the server (§5.5.1) and throws.
 */
export async function observeOutcome(connection: RawWebSocket): Promise<Outcome> {
  let first: WireEvent;
  try {
    first = await connection.nextEvent();
  } catch (error) {
    if (error instanceof ServerFrameViolation) return { kind: "server-frame-violation", rule: error.message };
    throw error;
  }
  if (first.kind === "tcp-closed") return { kind: "tcp-closed-without-close-frame" };
  const { opcode, payload } = first.frame;
  if (opcode !== Opcode.close) return { kind: "frame", opcode, payload };

  const { code } = parseClosePayload(payload);
  const deadline = Date.now() + tcpCloseWaitMs;
  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0) return { kind: "close", code, tcpClosed: false };
    const next = await connection.nextEvent(left).catch((error: unknown) => {
      if (error instanceof WaitTimeout) return undefined;
      throw error;
    });
    if (next === undefined) return { kind: "close", code, tcpClosed: false };
    if (next.kind === "tcp-closed") return { kind: "close", code, tcpClosed: true };
    throw new Error(`server sent opcode 0x${next.frame.opcode.toString(16)} after its close frame (§5.5.1)`);
  }
}
