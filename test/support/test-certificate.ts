// A self-signed certificate for 127.0.0.1 and localhost, made with openssl at test time: the servers serve
// it (TLS_CERT_FILE/TLS_KEY_FILE, or nginx) and the test clients trust it alone (trusted-ca.ts).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A certificate and key in a temporary directory of their own. */
export interface TestCertificate {
  dir: string;
  certFile: string;
  keyFile: string;
  /** The certificate's PEM text: the one CA the test clients trust. */
  certPem: string;
  remove(): void;
}

/** Makes a P-256 certificate valid for a day, with subjectAltName IP:127.0.0.1 and DNS:localhost. */
export function makeTestCertificate(): TestCertificate {
  const dir = mkdtempSync(join(tmpdir(), "multivac-tls-"));
  const certFile = join(dir, "cert.pem");
  const keyFile = join(dir, "key.pem");
  execFileSync(
    "openssl",
    [
      "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
      "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
      "-keyout", keyFile, "-out", certFile,
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  return { dir, certFile, keyFile, certPem: readFileSync(certFile, "utf8"), remove: () => rmSync(dir, { recursive: true, force: true }) };
}
