// The HTML5 client at `/`: one self-contained page (no external resources), with a strict CSP.
import { commandNames } from "../core/commands.ts";
import { clientScript } from "./client-script.ts";
import { clientStyle } from "./client-style.ts";

/** The page, and the Content-Security-Policy that allows exactly its inline script and style. */
export interface ClientPage {
  html: string;
  contentSecurityPolicy: string;
}

async function sha256Base64(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  let binary = "";
  for (const byte of new Uint8Array(digest)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function html(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Multivac WebSocket client</title>
<style>${clientStyle}</style>
</head>
<body>
<h1>Multivac</h1>
<p>Status: <strong id="status" role="status">connecting</strong></p>
<ul id="log" aria-live="polite" aria-label="Messages"></ul>
<form id="send-form">
<label for="message">Message</label>
<input id="message" autocomplete="off" autofocus>
<button type="submit">Send</button>
</form>
<p><button id="quit" type="button">Quit</button> <button id="connect" type="button">Connect</button></p>
<p>Commands: ${commandNames.join(", ")}</p>
<script>${clientScript}</script>
</body>
</html>
`;
}

let cached: Promise<ClientPage> | undefined;

/** The rendered page; built once, on first use, because hashing is asynchronous in Web Crypto. */
export function clientPage(): Promise<ClientPage> {
  cached ??= (async () => {
    const [scriptHash, styleHash] = await Promise.all([sha256Base64(clientScript), sha256Base64(clientStyle)]);
    const contentSecurityPolicy = [
      "default-src 'none'",
      `script-src 'sha256-${scriptHash}'`,
      `style-src 'sha256-${styleHash}'`,
      "connect-src 'self'",
      "img-src 'self' data:",
      "base-uri 'none'",
      "form-action 'none'",
      "frame-ancestors 'none'",
    ].join("; ");
    return { html: html(), contentSecurityPolicy };
  })();
  return cached;
}
