// The test CA of a project that serves https:/wss: (its globalSetup provides the certificate's PEM),
// handed to each test client as its `ca`: trust goes to that certificate only, and only in those
// clients, never process-wide (no NODE_TLS_REJECT_UNAUTHORIZED, no default CA change).
import { inject } from "vitest";

/** The PEM the clients of this project trust, or undefined for a plain-http project. */
export function trustedCa(): string | undefined {
  return inject("tlsCa");
}

declare module "vitest" {
  export interface ProvidedContext {
    /** The self-signed certificate the server (or nginx) of a TLS project serves. */
    tlsCa?: string;
  }
}
