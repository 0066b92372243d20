import { describe, expect, it } from "vitest";
import { StepClock } from "./step-clock.ts";

describe("StepClock", () => {
  it("reads the clock on the first now() of a step only, and again in the next step", () => {
    const readings = [1_000, 2_000];
    let reads = 0;
    const clock = new StepClock(() => readings[reads++]!);
    clock.startStep();
    expect(reads).toBe(0);
    expect([clock.now(), clock.now()]).toEqual([1_000, 1_000]);
    clock.startStep();
    expect(clock.now()).toBe(2_000);
    expect(reads).toBe(2);
  });
});
