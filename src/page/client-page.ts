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

const htmlEscapes: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Text made safe for HTML content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => htmlEscapes[character] ?? character);
}

// Rendered on the server from the command table, so adding a command adds its button.
function commandButtons(): string {
  return commandNames
    .map((name) => `<button type="button" data-command="${escapeHtml(name)}">${escapeHtml(name)}</button>`)
    .join("\n");
}

// The empty data: icon stops the browser asking for /favicon.ico (a 404 in every log).
function html(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Multivac WebSocket client</title>
<link rel="icon" href="data:,">
<style>${clientStyle}</style>
</head>
<body>
<header>
<h1>Multivac</h1>
<p class="status-line">Status: <span id="status" role="status" data-state="connecting">connecting</span></p>
</header>
<main>
<fieldset id="route">
<legend>Talk to</legend>
<label><input type="radio" name="route" value="/ws" checked> the bot (/ws)</label>
<label><input type="radio" name="route" value="/echo"> the echo (/echo)</label>
</fieldset>
<div id="log" role="log" aria-live="polite" aria-label="Messages" tabindex="0"></div>
<form id="send-form">
<label for="message">Message</label>
<div class="row">
<input id="message" type="text" autocomplete="off" enterkeyhint="send" autofocus>
<button type="submit">Send</button>
</div>
</form>
<fieldset id="commands">
<legend>Commands</legend>
${commandButtons()}
</fieldset>
<div class="row">
<button id="quit" type="button">Quit</button>
<button id="reconnect" type="button">Reconnect</button>
</div>
</main>
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
      // 'self' covers ws: and wss: on the page's own host (CSP Level 3).
      "connect-src 'self'",
      "img-src data:",
      "base-uri 'none'",
      "form-action 'none'",
      "frame-ancestors 'none'",
    ].join("; ");
    return { html: html(), contentSecurityPolicy };
  })();
  return cached;
}
