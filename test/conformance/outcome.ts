// What a server did after a case's bytes were written, reduced to what RFC 6455 rules about: which
// frame came first, the close code, and who closed TCP (§7.1.1, §7.1.7).
import { closePayload, encodeFrame } from "../support/wire/frame-encoder.ts";
import { parseClosePayload, ServerFrameViolation } from "../support/wire/frame-decoder.ts";
import { Opcode } from "../support/wire/opcodes.ts";
import { WaitTimeout, type RawWebSocket, type WireEvent } from "../support/wire/raw-websocket.ts";

/** Who closed TCP after the server's close frame. */
export type TcpEnd =
  /** The server, without waiting for the client (what §7.1.1 and §7.1.7 ask of a server). */
  | "closed-by-server"
  /** The server, but only once the client had answered its close frame (§5.5.1). */
  | "closed-after-client-close"
  /** Nobody within the waits. */
  | "left-open";

/** The observable end of a case. */
export type Outcome =
  /** A close frame (code undefined = empty body), then TCP as `tcp` says. */
  | { kind: "close"; code: number | undefined; tcp: TcpEnd }
  /** TCP closed without any close frame. */
  | { kind: "tcp-closed-without-close-frame" }
  /** Some other frame came first (e.g. a message echoed instead of a close). */
  | { kind: "frame"; opcode: number; payload: Uint8Array }
  /** The server's answer was itself a frame RFC 6455 forbids; `rule` is the decoder's message. */
  | { kind: "server-frame-violation"; rule: string }
  /** No frame and no TCP close within the wait. */
  | { kind: "silent" };

/** The RFC outcome of a failed connection: a close frame with `code`, then the server closes TCP (§7.1.7). */
export function failWith(code: number): Outcome {
  return { kind: "close", code, tcp: "closed-by-server" };
}

/** How long the server has to answer at all. */
const answerWaitMs = 5000;
/** How long the server has to close TCP after its close frame, and again after the client's answer. */
const tcpCloseWaitMs = 2000;

async function nextOrTimeout(connection: RawWebSocket, timeoutMs: number): Promise<WireEvent | "timeout"> {
  try {
    return await connection.nextEvent(timeoutMs);
  } catch (error) {
    if (error instanceof WaitTimeout) return "timeout";
    throw error;
  }
}

/** Waits for TCP to close; a frame after the server's close frame is a server bug (§5.5.1) and throws. */
async function tcpClosesWithin(connection: RawWebSocket, timeoutMs: number): Promise<boolean> {
  const next = await nextOrTimeout(connection, timeoutMs);
  if (next === "timeout") return false;
  if (next.kind === "tcp-closed") return true;
  throw new Error(`server sent opcode 0x${next.frame.opcode.toString(16)} after its close frame (§5.5.1)`);
}

/**
 * Waits for the first frame or TCP close. After a close frame the client first stays silent (a server
 * failing the connection must not wait for its peer, §7.1.7), then answers it as §5.5.1 asks of any
 * endpoint, to tell a server that waits for the answer from one that never closes.
 */
export async function observeOutcome(connection: RawWebSocket): Promise<Outcome> {
  let first: WireEvent | "timeout";
  try {
    first = await nextOrTimeout(connection, answerWaitMs);
  } catch (error) {
    if (error instanceof ServerFrameViolation) return { kind: "server-frame-violation", rule: error.message };
    throw error;
  }
  if (first === "timeout") return { kind: "silent" };
  if (first.kind === "tcp-closed") return { kind: "tcp-closed-without-close-frame" };
  const { opcode, payload } = first.frame;
  if (opcode !== Opcode.close) return { kind: "frame", opcode, payload };

  const { code } = parseClosePayload(payload);
  if (await tcpClosesWithin(connection, tcpCloseWaitMs)) return { kind: "close", code, tcp: "closed-by-server" };
  await connection.write(encodeFrame({ opcode: Opcode.close, payload: code === undefined ? new Uint8Array(0) : closePayload(code) }));
  const tcp = (await tcpClosesWithin(connection, tcpCloseWaitMs)) ? "closed-after-client-close" : "left-open";
  return { kind: "close", code, tcp };
}
