import { describe, expect, it } from "vitest";
import { utf8ByteLength } from "./utf8.ts";

describe("utf8ByteLength", () => {
  it.each(["", "abc", "é", "日本語", "👋", "a👋é", "\ud800", "x\udc00y", "\ud83d\ud83d"])("matches TextEncoder for %j", (text) => {
    expect(utf8ByteLength(text)).toBe(new TextEncoder().encode(text).byteLength);
  });
});
