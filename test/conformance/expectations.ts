// The one table of where a runtime's WebSocket implementation departs from the RFC outcome a case
// asserts. A case without an entry here must give the RFC outcome; a case with one must give exactly
// the outcome written here, so each deviation is explicit, explained and still tested. The README's
// "RFC 6455 conformance" section summarises this table.
import type { Outcome } from "./outcome.ts";

/** A runtime's own answer to one case, and why it happens. */
export interface Deviation {
  outcome: Outcome;
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

// Deno 2.9 (ext/websocket over fastwebsockets) closes TCP without a close frame when it fails a connection.
const denoFailsByDroppingTcp: Deviation = {
  outcome: { kind: "tcp-closed-without-close-frame" },
  why:
    "Deno fails the connection by closing TCP without sending a close frame. §7.1.7 says an endpoint SHOULD " +
    "(not MUST) send a close frame before closing TCP, so this is allowed; the peer sees 1006 instead of 1002/1007.",
};

const denoAcceptsUnmaskedFrames =
  "Deno does not check the MASK bit of client frames: an unmasked frame is processed like a masked one. " +
  "§5.1 says the server MUST close the connection; not conformant, but harmless here: masking protects " +
  "intermediaries from browser scripts (§10.3), and browsers always mask, so only non-browser clients can send this.";

/** Deviations per runtime (the runtime names of test/support/runtimes.ts). */
export const deviations: Record<string, DeviationTable> = {
  // ws 8 fails every case of the suite the way RFC 6455 says.
  node: {},

  deno: {
    ...forEach(
      [
        "ping-pong/ping-126-bytes",
        "ping-pong/fragmented-ping",
        "ping-pong/fragmented-pong",
        "reserved-bits/text-RSV1",
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
        "utf8/overlong-2-byte-slash",
        "utf8/overlong-3-byte-slash",
        "utf8/overlong-4-byte-slash",
        "utf8/high-surrogate-U+D800",
        "utf8/low-surrogate-U+DFFF",
        "utf8/surrogate-pair-encoded-as-CESU-8",
        "utf8/past-U+10FFFF",
        "utf8/byte-0xF5",
        "utf8/byte-0xFE",
        "utf8/byte-0xFF",
        "utf8/lone-continuation-byte",
        "utf8/truncated-2-byte-at-end",
        "utf8/truncated-4-byte-at-end",
        "utf8/truncated-3-byte-before-ascii",
        "utf8/invalid-in-later-fragment",
        "utf8/invalid-split-across-fragments",
        "close/one-byte-body",
        "close/invalid-utf8-reason",
      ],
      denoFailsByDroppingTcp,
    ),
    "masking/unmasked-text": { outcome: { kind: "frame", opcode: 0x1, payload: ascii("not masked") }, why: denoAcceptsUnmaskedFrames },
    "masking/unmasked-binary": { outcome: { kind: "frame", opcode: 0x2, payload: Uint8Array.of(1, 2, 3) }, why: denoAcceptsUnmaskedFrames },
    "masking/unmasked-ping": { outcome: { kind: "frame", opcode: 0xa, payload: ascii("not masked") }, why: denoAcceptsUnmaskedFrames },
    "close/body-126-bytes": {
      outcome: { kind: "server-frame-violation", rule: "server sent a control frame with 126 bytes of payload (§5.5)" },
      why:
        "Deno answers a close frame by echoing its payload unchecked, so a 126-byte close comes back as a 126-byte " +
        "close frame, which §5.5 forbids (control payloads <= 125). Not conformant; harmless, as only a peer that " +
        "broke the rule first receives it, and the connection is ending anyway.",
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
