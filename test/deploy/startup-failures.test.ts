// Start-up failures an operator meets end with one line naming the cause on stderr and exit code 1,
// never a stack trace: a port in use, a certificate file that is missing or not PEM, a key of another
// certificate. (A privileged port gives EACCES with its own line: src/host/startup-failure.test.ts;
// these tests run as root in CI, where port 80 is allowed.)
import { writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runtimeUnderTest } from "../support/own-server.ts";
import { startRuntime, type LaunchOptions } from "../support/runtimes.ts";
import { ServerExitedError } from "../support/server-process.ts";
import { makeTestCertificate, type TestCertificate } from "../support/test-certificate.ts";

let certificate: TestCertificate;
let otherCertificate: TestCertificate;
beforeAll(() => {
  certificate = makeTestCertificate();
  otherCertificate = makeTestCertificate();
});
afterAll(() => {
  certificate?.remove();
  otherCertificate?.remove();
});

/** Starts the server expecting it to refuse; returns the one line it wrote. */
async function refusalLine(options: LaunchOptions): Promise<string> {
  const failure = await startRuntime(runtimeUnderTest(), options).then(
    async (server) => {
      await server.stop();
      return new Error(`the server started: ${server.baseUrl}`);
    },
    (error: unknown) => error,
  );
  expect(failure).toBeInstanceOf(ServerExitedError);
  const { exitCode, stderr } = failure as ServerExitedError;
  expect(exitCode).toBe(1);
  const lines = stderr.trim().split("\n");
  expect(lines, stderr).toHaveLength(1);
  expect(lines[0]).not.toMatch(/^\s+at |Error:/);
  return lines[0]!;
}

describe("start-up failures", () => {
  it("names a port that is already in use", async () => {
    const occupier: Server = createServer();
    const port = await new Promise<number>((resolve) => occupier.listen(0, "127.0.0.1", () => resolve((occupier.address() as { port: number }).port)));
    try {
      expect(await refusalLine({ port })).toBe(`cannot listen on 127.0.0.1:${port}: the port is already in use (EADDRINUSE); stop the other server or set PORT`);
    } finally {
      occupier.close();
    }
  });

  it("names a certificate file that does not exist", async () => {
    const missing = join(certificate.dir, "missing.pem");
    const line = await refusalLine({ env: { TLS_CERT_FILE: missing, TLS_KEY_FILE: certificate.keyFile } });
    expect(line).toBe(`TLS_CERT_FILE=${missing} cannot be read: no such file (ENOENT)`);
  });

  it("names a certificate file that is not PEM", async () => {
    const garbage = join(certificate.dir, "garbage.pem");
    writeFileSync(garbage, "this is not a certificate\n");
    const line = await refusalLine({ env: { TLS_CERT_FILE: garbage, TLS_KEY_FILE: certificate.keyFile } });
    expect(line).toMatch(new RegExp(`^TLS_CERT_FILE=${garbage} is not a PEM certificate`));
  });

  it("names a key that belongs to another certificate", async () => {
    const line = await refusalLine({ env: { TLS_CERT_FILE: certificate.certFile, TLS_KEY_FILE: otherCertificate.keyFile } });
    expect(line).toBe(`TLS_KEY_FILE=${otherCertificate.keyFile} is not the key of the certificate in TLS_CERT_FILE=${certificate.certFile}`);
  });

  it("names the missing half of the pair", async () => {
    const line = await refusalLine({ env: { TLS_CERT_FILE: certificate.certFile } });
    expect(line).toMatch(/^configuration error: TLS_KEY_FILE is not set but TLS_CERT_FILE is/);
  });
});
