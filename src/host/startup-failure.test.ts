import { describe, expect, it } from "vitest";
import { StartupError, listenFailure, startupStep } from "./startup-failure.ts";

const withCode = (code: string) => Object.assign(new Error(`listen ${code}: something`), { code });

describe("listenFailure", () => {
  it.each([
    ["EADDRINUSE", "127.0.0.1", 8787, "cannot listen on 127.0.0.1:8787: the port is already in use (EADDRINUSE); stop the other server or set PORT"],
    ["EACCES", "0.0.0.0", 443, "cannot listen on 0.0.0.0:443: the port needs privileges (EACCES); use PORT=1024 or higher behind a proxy, or grant CAP_NET_BIND_SERVICE (README, Deploying)"],
    ["EADDRNOTAVAIL", "::1", 8787, "cannot listen on [::1]:8787: HOST is not an address of this machine (EADDRNOTAVAIL); check HOST"],
    ["EINVAL", "10.9.9.9", 8787, "cannot listen on 10.9.9.9:8787: HOST is not an address of this machine (EINVAL); check HOST"],
  ])("says what %s means in one line", (code, host, port, line) => {
    expect(listenFailure(withCode(code), host, port).message).toBe(line);
  });

  it("keeps the first line of any other error's message", () => {
    expect(listenFailure(new Error("something odd\n    at place"), "127.0.0.1", 1).message).toBe("cannot listen on 127.0.0.1:1: something odd");
  });
});

describe("startupStep", () => {
  it("returns what the step returns", () => {
    expect(startupStep(() => 42, () => { throw new Error("no exit expected"); })).toBe(42);
  });

  it("writes one line and exits 1 when the step throws", () => {
    const written: string[] = [];
    const original = console.error;
    console.error = (line: string) => written.push(line);
    try {
      const exit = (code: number): never => {
        throw Object.assign(new Error("exit"), { code });
      };
      expect(() => startupStep(() => { throw new StartupError("TLS_CERT_FILE=x cannot be read"); }, exit)).toThrow(expect.objectContaining({ code: 1 }));
      expect(() => startupStep(() => { throw new Error("boom\nstack"); }, exit, (error) => listenFailure(error, "h", 1))).toThrow(expect.objectContaining({ code: 1 }));
    } finally {
      console.error = original;
    }
    expect(written).toEqual(["TLS_CERT_FILE=x cannot be read", "cannot listen on h:1: boom"]);
  });
});
