// The certificate and key of TLS_CERT_FILE and TLS_KEY_FILE, read once at start-up and checked before
// any runtime sees them: each runtime's TLS stack reports a bad file differently (Node an OpenSSL code,
// Deno a parser message, Bun "NO_START_LINE"), and some only on the first handshake. node:fs and
// node:crypto behave the same on Node, Deno and Bun.
import { X509Certificate, createPrivateKey, type KeyObject } from "node:crypto";
import { readFileSync } from "node:fs";
import type { TlsFiles } from "../config.ts";
import { StartupError, messageOf } from "./startup-failure.ts";

/** PEM text for the runtime's TLS options (`cert` may hold the whole chain). */
export interface TlsCredentials {
  cert: string;
  key: string;
}

function readPem(variable: string, path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const name = (error as { name?: unknown }).name;
    const why =
      code === "ENOENT" ? "no such file (ENOENT)"
      : code === "EACCES" ? "permission denied (EACCES); the server's user must be able to read it"
      : code === "EISDIR" ? "it is a directory (EISDIR)"
      // Deno refuses a path its --allow-read does not name: deno.json grants exactly these two files.
      : name === "NotCapable" || name === "PermissionDenied" ? "Deno has no read permission for it (start with deno task start, which grants it)"
      : messageOf(error);
    throw new StartupError(`${variable}=${path} cannot be read: ${why}`);
  }
}

/** Reads and checks both files; throws a {@link StartupError} naming the variable at fault. */
export function readTlsCredentials(files: TlsFiles): TlsCredentials {
  const cert = readPem("TLS_CERT_FILE", files.certFile);
  const key = readPem("TLS_KEY_FILE", files.keyFile);
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(cert);
  } catch {
    throw new StartupError(`TLS_CERT_FILE=${files.certFile} is not a PEM certificate (expected "-----BEGIN CERTIFICATE-----")`);
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(key);
  } catch {
    throw new StartupError(`TLS_KEY_FILE=${files.keyFile} is not an unencrypted PEM private key (expected "-----BEGIN PRIVATE KEY-----" or an RSA/EC one)`);
  }
  if (!certificate.checkPrivateKey(privateKey)) {
    throw new StartupError(`TLS_KEY_FILE=${files.keyFile} is not the key of the certificate in TLS_CERT_FILE=${files.certFile}`);
  }
  return { cert, key };
}
