// /echo returns every message byte for byte, at each of the frame length encodings of RFC 6455 §5.2.
import { describe, expect, inject, it } from "vitest";
import { openSocket, wsUrl } from "../support/ws-client.ts";

const baseUrl = inject("baseUrl");
// 125 is the largest 7-bit length, 126 the smallest 16-bit one, 65535/65536 the 16/64-bit border.
const sizes = [0, 125, 126, 65535, 65536, 1024 * 1024];

function patternBytes(size: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + 7) & 0xff;
  return bytes;
}

function patternText(size: number): string {
  let text = "";
  const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  for (let i = 0; i < size; i++) text += alphabet[i % alphabet.length];
  return text;
}

describe("byte-exact echo on /echo", () => {
  it.each(sizes)("echoes a %i-byte binary message", async (size) => {
    const socket = await openSocket(wsUrl(baseUrl, "/echo"));
    const bytes = patternBytes(size);
    socket.send(bytes);
    const echoed = await socket.next(10_000);
    expect(echoed).toBeInstanceOf(Uint8Array);
    expect((echoed as Uint8Array).byteLength).toBe(size);
    expect(Buffer.compare(echoed as Uint8Array, bytes)).toBe(0);
    socket.close();
  });

  it.each(sizes)("echoes a %i-byte text message", async (size) => {
    const socket = await openSocket(wsUrl(baseUrl, "/echo"));
    const text = patternText(size);
    socket.send(text);
    const echoed = await socket.next(10_000);
    expect(typeof echoed).toBe("string");
    expect(echoed).toBe(text);
    socket.close();
  });

  it("echoes multi-byte UTF-8 text unchanged and commands are not interpreted", async () => {
    const socket = await openSocket(wsUrl(baseUrl, "/echo"));
    for (const text of ["hello", "bye", "Ĉu vi parolas? 𝄞 日本語"]) {
      socket.send(text);
      expect(await socket.next()).toBe(text);
    }
    socket.close();
  });
});
