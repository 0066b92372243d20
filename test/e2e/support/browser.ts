// One headless Chromium per test file: Debian's package (CI installs it with apt-get), driven by
// playwright-core, which downloads no browser of its own.
import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";

/** Where the browser is; CHROMIUM_PATH overrides Debian's location. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

// Quiet and self-contained: no update checks, sync or QUIC, nothing that reaches past loopback.
// playwright-core gives every launch a fresh temporary profile (user-data-dir) of its own.
const launchArgs = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

/** Launches headless Chromium, or fails with the one line that says how to get it. */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(`no Chromium at ${chromiumPath}: install it with \`apt-get install -y chromium\` or set CHROMIUM_PATH`);
  }
  return chromium.launch({ executablePath: chromiumPath, args: launchArgs, timeout: 30_000 });
}
