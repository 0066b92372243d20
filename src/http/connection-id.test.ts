import { describe, expect, it } from "vitest";
import { connectionId } from "./connection-id.ts";

describe("connectionId", () => {
  it("is a version-4 UUID in canonical form", () => {
    for (let i = 0; i < 200; i += 1) {
      expect(connectionId()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
  });

  it("differs from one connection to the next", () => {
    const ids = new Set(Array.from({ length: 1000 }, connectionId));
    expect(ids.size).toBe(1000);
  });
});
