import { describe, expect, it } from "vitest";
import { chargeReplies, emptySendBudget, modelledFlowControlOf, type SendBudget } from "./send-budget.ts";

const MiB = 1024 * 1024;
const rules = modelledFlowControlOf(MiB);
const start = Date.UTC(2026, 10, 29, 12, 0, 0);

describe("modelledFlowControlOf", () => {
  it("assumes a client reads one full buffer a second, and resumes at half of it", () => {
    expect(rules).toEqual({ limit: MiB, resumeAt: MiB / 2, drainBytesPerSecond: MiB });
  });
});

describe("chargeReplies", () => {
  it("reads on while the model is within the limit, the limit included", () => {
    const budget = emptySendBudget(start);
    expect(chargeReplies(budget, MiB / 2, start, rules)).toBe(0);
    expect(chargeReplies(budget, MiB / 2, start, rules)).toBe(0);
    expect(budget.unsentBytes).toBe(MiB);
  });

  it("counts the reply that crosses the limit whole and stops reading until the model is at resumeAt", () => {
    const budget = emptySendBudget(start);
    chargeReplies(budget, MiB, start, rules);
    // 2 MiB counted; draining 1.5 MiB at 1 MiB/s takes 1.5 s.
    expect(chargeReplies(budget, MiB, start, rules)).toBe(1500);
    expect(budget.unsentBytes).toBe(2 * MiB);
  });

  it("drains at the assumed rate, never below zero", () => {
    const budget = emptySendBudget(start);
    chargeReplies(budget, MiB, start, rules);
    chargeReplies(budget, 0, start + 250, rules);
    expect(budget.unsentBytes).toBe(0.75 * MiB);
    chargeReplies(budget, 0, start + 60_000, rules);
    expect(budget.unsentBytes).toBe(0);
  });

  it("does not drain for a clock that goes back, nor count that time twice", () => {
    const budget = emptySendBudget(start);
    chargeReplies(budget, MiB, start, rules);
    chargeReplies(budget, 0, start - 5_000, rules);
    expect(budget).toEqual({ unsentBytes: MiB, countedAt: start });
  });

  it("is plain data that survives a JSON round trip (as a Durable Object attachment)", () => {
    const budget = emptySendBudget(start);
    chargeReplies(budget, 3 * MiB, start, rules);
    const revived = JSON.parse(JSON.stringify(budget)) as SendBudget;
    expect(chargeReplies(revived, 1, start + 100, rules)).toBe(chargeReplies(budget, 1, start + 100, rules));
  });
});

/**
 * A client that sends `size`-byte messages every `everyMs` and never reads, against an object that
 * reads one message whenever it is not paused: what the model lets the server send in `seconds`.
 */
function neverReader(size: number, everyMs: number, seconds: number) {
  const budget = emptySendBudget(start);
  let now = start;
  let nextSend = start;
  let sent = 0;
  let pausedMs = 0;
  while (now < start + seconds * 1000) {
    now = Math.max(now, nextSend);
    const pause = chargeReplies(budget, size, now, rules);
    sent += size;
    nextSend += everyMs;
    pausedMs += pause;
    now += pause;
  }
  return { sent, pausedMs };
}

describe("the bound it gives", () => {
  it("a client sending 1 MiB 90 times a second is held to MAX_BUFFERED_BYTES a second, after one burst", () => {
    const { sent } = neverReader(MiB, 1000 / 90, 12);
    // limit + the crossing reply + 12 s at the assumed rate; 1080 MiB without the model.
    expect(sent).toBeLessThanOrEqual(2 * MiB + 12 * MiB);
    expect(sent).toBeGreaterThanOrEqual(12 * MiB);
  });

  it("a client sending under the assumed rate is never paused", () => {
    expect(neverReader(64 * 1024, 100, 30).pausedMs).toBe(0);
  });
});
