// The one table of where a runtime's WebSocket implementation departs from the RFC outcome a case
// asserts. A case without an entry here must give the RFC outcome; a case with one must give exactly
// the outcome written here, so each deviation is explicit, explained and still tested.
import type { Outcome } from "./outcome.ts";

/** A runtime's own answer to one case, and why it happens. */
export interface Deviation {
  outcome: Outcome;
  /** The runtime behaviour that causes it, and why it is (or is not) acceptable under RFC 6455. */
  why: string;
}

/** Case ids are "<group>/<case>", as the test files name them. */
export type DeviationTable = Record<string, Deviation>;

/** Deviations per runtime (the runtime names of test/support/runtimes.ts). */
export const deviations: Record<string, DeviationTable> = {
  // ws 8 fails every case of the suite the way RFC 6455 says.
  node: {},
};

/** The deviation of `runtime` for `caseId`, if it has one. */
export function deviationFor(runtime: string, caseId: string): Deviation | undefined {
  return deviations[runtime]?.[caseId];
}

/** Deviation ids of `runtime` in `group` that no case in `used` asked for (a stale table entry). */
export function unusedDeviations(runtime: string, group: string, used: ReadonlySet<string>): string[] {
  return Object.keys(deviations[runtime] ?? {}).filter((id) => id.startsWith(`${group}/`) && !used.has(id));
}
