// The one table of where a runtime's WebSocket implementation departs from the RFC outcome a case
// asserts. A case without an entry here must give the RFC outcome; a case with one must give exactly
// the outcome written here, so each deviation is explicit, explained and still tested.
// docs/conformance.md#deviations summarises this table.
import type { Outcome } from "./outcome.ts";

/** A runtime's own answer to one case, and why it happens. */
export interface Deviation {
  outcome: Outcome;
  /**
   * "runtime": the runtime's WebSocket implementation does it before our code runs, or hides what our
   * code would need. "our code": our adapter could give the RFC outcome; a bug to fix, after which
   * this entry fails its case and must go.
   */
  cause: "runtime" | "our code";
  /** The runtime behaviour that causes it, and why it is (or is not) acceptable under RFC 6455. */
  why: string;
}

/** Case ids are "<group>/<case>", as the test files name them. */
export type DeviationTable = Record<string, Deviation>;

/** The same deviation for several cases, each still named. */
function forEach(ids: string[], deviation: Deviation): DeviationTable {
  return Object.fromEntries(ids.map((id) => [id, deviation]));
}

const ascii = (text: string) => new TextEncoder().encode(text);
const fromHex = (hex: string) => Uint8Array.from(Buffer.from(hex, "hex"));

// workerd (wrangler 4.164, workerd 1.20261117), a hibernating Durable Object per connection.
const workersKeepsTcpAfterFailing: Deviation = {
  outcome: { kind: "close", code: 1002, tcp: "left-open" },
  cause: "runtime",
  why:
    "workerd sends the right close frame (1002 with a description) but then ignores the client's close answer and " +
    "drops TCP only about 10 s later. §7.1.7 asks the failing endpoint to close the connection, without a time limit; " +
    "acceptable: the connection is dead for the client at once, and the cost is a socket held for 10 s.",
};

const workersAcceptsUnmaskedFrames =
  "workerd does not check the MASK bit of client frames (§5.1 says the server MUST close); not conformant, " +
  "harmless: masking protects intermediaries from browser scripts (§10.3), and browsers always mask, so only " +
  "non-browser clients can send this.";

const workersDecodesWithReplacement = (payloadHex: string): Deviation => ({
  outcome: { kind: "frame", opcode: 0x1, payload: fromHex(payloadHex) },
  cause: "runtime",
  why:
    "workerd decodes text frames with U+FFFD for each invalid sequence (the WHATWG decoder) and hands our code a " +
    "string, so the message is echoed with replacements instead of failing with 1007 (§8.1 MUST). Not conformant; " +
    "no way around it in a Worker (the bytes are gone before our code runs). A client gets valid UTF-8 back, never " +
    "invalid UTF-8, so nothing downstream is harmed.",
});

const workersCloseBodyUnchecked =
  "workerd does not check the body of a client's close frame: it reports the frame to webSocketClose as a clean " +
  "close, and our adapter answers it (worker/close-reply.ts). Not conformant (§5.5.1, §7.4 want 1002/1007); harmless, " +
  "as the connection is closing anyway.";

const workersOversizeCloseReason: Deviation["why"] =
  "workerd fails the connection with a close frame whose reason is its long error description, making the close " +
  "payload longer than the 125 bytes §5.5 allows. Not conformant: a strict client (e.g. ws) fails this close frame " +
  "itself with 1002 instead of reading 1002. Only a client that broke the protocol first ever receives it.";

/** Deviations per runtime (the runtime names of test/support/runtimes.ts). */
export const deviations: Record<string, DeviationTable> = {
  // ws 8 fails every case of the suite the way RFC 6455 says.
  node: {},

  // Bun 1.4 (uWebSockets) too.
  bun: {},

  // Deno serves with the same ws (node:http + ws, src/adapter/ws/), so the same.
  deno: {},

  workers: {
    ...forEach(
      [
        "ping-pong/fragmented-ping",
        "ping-pong/fragmented-pong",
        "reserved-bits/text-RSV2",
        "reserved-bits/text-RSV3",
        "reserved-bits/text-RSV1+RSV2",
        "reserved-bits/text-RSV1+RSV2+RSV3",
        "reserved-bits/binary-RSV2",
        "reserved-bits/ping-RSV2",
        "reserved-bits/close-RSV2",
        "reserved-bits/after-valid-message",
        "opcodes/reserved-0x3",
        "opcodes/reserved-0x4",
        "opcodes/reserved-0x5",
        "opcodes/reserved-0x6",
        "opcodes/reserved-0x7",
        "opcodes/reserved-0xb",
        "opcodes/reserved-0xc",
        "opcodes/reserved-0xd",
        "opcodes/reserved-0xe",
        "opcodes/reserved-0xf",
        "opcodes/after-valid-message",
        "fragmentation/orphan-continuation-fin-set",
        "fragmentation/orphan-continuation-fin-clear",
        "fragmentation/continuation-after-complete-message",
        "fragmentation/new-text-inside-fragmented-message",
        "fragmentation/new-binary-inside-fragmented-message",
      ],
      workersKeepsTcpAfterFailing,
    ),
    "ping-pong/ping-126-bytes": {
      outcome: { kind: "server-frame-violation", rule: "server sent a control frame with 126 bytes of payload (§5.5)" },
      cause: "runtime",
      why: workersOversizeCloseReason,
    },
    "reserved-bits/text-RSV1": {
      outcome: { kind: "server-frame-violation", rule: "server sent a control frame with 129 bytes of payload (§5.5)" },
      cause: "runtime",
      why: workersOversizeCloseReason,
    },
    "masking/unmasked-text": { outcome: { kind: "frame", opcode: 0x1, payload: ascii("not masked") }, cause: "runtime", why: workersAcceptsUnmaskedFrames },
    "masking/unmasked-binary": { outcome: { kind: "frame", opcode: 0x2, payload: Uint8Array.of(1, 2, 3) }, cause: "runtime", why: workersAcceptsUnmaskedFrames },
    "masking/unmasked-ping": { outcome: { kind: "frame", opcode: 0xa, payload: ascii("not masked") }, cause: "runtime", why: workersAcceptsUnmaskedFrames },
    "utf8/overlong-2-byte-slash": workersDecodesWithReplacement("efbfbdefbfbd"),
    "utf8/overlong-3-byte-slash": workersDecodesWithReplacement("efbfbdefbfbdefbfbd"),
    "utf8/overlong-4-byte-slash": workersDecodesWithReplacement("efbfbdefbfbdefbfbdefbfbd"),
    "utf8/high-surrogate-U+D800": workersDecodesWithReplacement("efbfbdefbfbdefbfbd"),
    "utf8/low-surrogate-U+DFFF": workersDecodesWithReplacement("efbfbdefbfbdefbfbd"),
    "utf8/surrogate-pair-encoded-as-CESU-8": workersDecodesWithReplacement("efbfbdefbfbdefbfbdefbfbdefbfbdefbfbd"),
    "utf8/past-U+10FFFF": workersDecodesWithReplacement("efbfbdefbfbdefbfbdefbfbd"),
    "utf8/byte-0xF5": workersDecodesWithReplacement("61efbfbdefbfbdefbfbdefbfbd"),
    "utf8/byte-0xFE": workersDecodesWithReplacement("61efbfbd"),
    "utf8/byte-0xFF": workersDecodesWithReplacement("61efbfbd"),
    "utf8/lone-continuation-byte": workersDecodesWithReplacement("61efbfbd62"),
    "utf8/truncated-2-byte-at-end": workersDecodesWithReplacement("61efbfbd"),
    "utf8/truncated-4-byte-at-end": workersDecodesWithReplacement("61efbfbd"),
    "utf8/truncated-3-byte-before-ascii": workersDecodesWithReplacement("efbfbd61"),
    "utf8/invalid-in-later-fragment": workersDecodesWithReplacement(Buffer.from("valid start still valid ").toString("hex") + "efbfbdefbfbdefbfbd"),
    "utf8/invalid-split-across-fragments": workersDecodesWithReplacement("61efbfbdefbfbdefbfbdefbfbd"),
    "close/invalid-code-1005": {
      outcome: { kind: "close", code: 1000, tcp: "closed-by-server" },
      cause: "runtime",
      why: workersCloseBodyUnchecked + " workerd also reports an empty close as 1005, so our code cannot tell a 1005 sent on the wire from no code.",
    },
    "close/one-byte-body": {
      outcome: { kind: "close", code: 1000, tcp: "closed-by-server" },
      cause: "runtime",
      why: workersCloseBodyUnchecked + " A 1-byte body reaches webSocketClose as 1005 (no code), like an empty one.",
    },
    "close/invalid-utf8-reason": {
      outcome: { kind: "close", code: 1000, tcp: "closed-by-server" },
      cause: "runtime",
      why: workersCloseBodyUnchecked + " The reason arrives decoded with U+FFFD, so the invalid bytes are invisible to our code.",
    },
    "close/body-126-bytes": {
      outcome: { kind: "silent" },
      cause: "runtime",
      why:
        "workerd neither answers nor reports a close frame over 125 bytes; it drops TCP about 10 s later without a " +
        "close frame. §5.5 wants 1002; acceptable, as only a client breaking the protocol sees it, and it sees 1006.",
    },
  },
};

/** The deviation of `runtime` for `caseId`, if it has one. */
export function deviationFor(runtime: string, caseId: string): Deviation | undefined {
  return deviations[runtime]?.[caseId];
}

/** Deviation ids of `runtime` in `group` that no case in `used` asked for (a stale table entry). */
export function unusedDeviations(runtime: string, group: string, used: ReadonlySet<string>): string[] {
  return Object.keys(deviations[runtime] ?? {}).filter((id) => id.startsWith(`${group}/`) && !used.has(id));
}
