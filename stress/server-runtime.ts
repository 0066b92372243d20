// Which runtime answers on the target (/healthz says), to name the results file after it.
import type { Target } from "./target.ts";

/** The `runtime` field of /healthz, or undefined if the server does not answer it. */
export async function serverRuntime(target: Target): Promise<string | undefined> {
  try {
    const response = await fetch(`${target.baseUrl}/healthz`, { signal: AbortSignal.timeout(2000) });
    const body = (await response.json()) as { runtime?: unknown };
    return typeof body.runtime === "string" ? body.runtime : undefined;
  } catch {
    return undefined;
  }
}
