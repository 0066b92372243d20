// The test CA of an https:/wss: project (its globalSetup provides the PEM), handed to each test client as
// its `ca`: trust in that certificate only, in those clients only, never process-wide.
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
