// What every conformance file shares: raw connections to /echo that are dropped after each case,
// and the comparison of a case's outcome with the RFC's or with the runtime's documented deviation.
import { afterAll, afterEach, expect, inject } from "vitest";
import { openRawWebSocket, type RawWebSocket } from "../support/wire/raw-websocket.ts";
import { deviationFor, unusedDeviations } from "./expectations.ts";
import { observeOutcome, type Outcome } from "./outcome.ts";

/** The helpers of one case group (one test file); `group` prefixes its case ids in expectations.ts. */
export function conformanceGroup(group: string) {
  const baseUrl = inject("baseUrl");
  const runtime = inject("runtime");
  const connections: RawWebSocket[] = [];
  const usedIds = new Set<string>();

  afterEach(() => {
    for (const connection of connections.splice(0)) connection.destroy();
  });
  afterAll(() => {
    expect(unusedDeviations(runtime, group, usedIds), "deviations in expectations.ts that no case uses").toEqual([]);
  });

  return {
    runtime,
    /** A fresh raw connection to /echo, after a checked handshake. */
    async connect(): Promise<RawWebSocket> {
      const connection = await openRawWebSocket(baseUrl, "/echo");
      connections.push(connection);
      return connection;
    },
    /**
     * Asserts what the server did next: one of the RFC's outcomes (more than one where the RFC allows a
     * choice), or exactly the runtime's documented deviation for `caseName`.
     */
    async expectOutcome(connection: RawWebSocket, caseName: string, rfc: Outcome | Outcome[]): Promise<void> {
      const id = `${group}/${caseName}`;
      usedIds.add(id);
      const observed = await observeOutcome(connection);
      const deviation = deviationFor(runtime, id);
      if (deviation) expect(observed, `${id} on ${runtime}: ${deviation.why}`).toEqual(deviation.outcome);
      else expect(Array.isArray(rfc) ? rfc : [rfc], `${id}: the RFC outcome`).toContainEqual(observed);
    },
  };
}
