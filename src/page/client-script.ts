// The browser code of the page at `/`, shipped inline and allowed by its CSP hash. It is plain
// JavaScript in a string because the page has no build step; client-page.test.ts checks it parses.
// Server text is only ever put into the page with textContent, never parsed as HTML.
export const clientScript = `
"use strict";
// After an unexpected close the page retries after base * 2^attempt ms, capped, with "equal jitter"
// (half fixed, half random) so that the pages dropped by one server restart do not all return at once.
const backoff = { baseMs: 500, capMs: 10000 };
// A connection that stayed up this long was healthy: its drop starts the backoff from the beginning.
const stableAfterMs = 10000;
// The log keeps this many lines, so a page left open for days does not grow without bound.
const maxLogLines = 500;
const who = { sent: "you", received: "server", info: "info" };

const statusText = document.getElementById("status");
const log = document.getElementById("log");
const form = document.getElementById("send-form");
const input = document.getElementById("message");
const commands = document.getElementById("commands");
const routeChoice = document.getElementById("route");

let socket = null;
// Non-zero only while a reconnection is scheduled.
let retryTimer = 0;
let attempt = 0;
let userQuit = false;

function chosenRoute() {
  return routeChoice.querySelector("input:checked").value;
}

// Same host and port as the page; wss: behind TLS, so the page works at the edge unchanged.
function socketUrl(path) {
  const url = new URL(path, location.href);
  url.protocol = location.protocol === "https:" ? "wss:" : "ws:";
  return url.href;
}

function addLine(kind, text) {
  const now = new Date();
  const line = document.createElement("p");
  line.className = "line " + kind;
  const time = document.createElement("time");
  time.dateTime = now.toISOString();
  time.textContent = now.toTimeString().slice(0, 8);
  const label = document.createElement("span");
  label.className = "who";
  label.textContent = who[kind];
  const body = document.createElement("span");
  body.className = "text";
  body.textContent = text;
  line.append(time, " ", label, " ", body);
  // Follow new lines only when the reader is at the bottom, so scrolling back to read is not undone.
  const following = log.scrollTop + log.clientHeight >= log.scrollHeight - 8;
  log.append(line);
  while (log.childElementCount > maxLogLines) log.firstElementChild.remove();
  if (following) log.scrollTop = log.scrollHeight;
}

function setStatus(state, text) {
  statusText.dataset.state = state;
  statusText.textContent = text;
}

function describeClose(event) {
  return "closed (" + event.code + (event.reason ? " " + event.reason : "") + ")";
}

function stopWaiting() {
  clearTimeout(retryTimer);
  retryTimer = 0;
}

function connect() {
  stopWaiting();
  const path = chosenRoute();
  const url = socketUrl(path);
  const ws = new WebSocket(url, path === "/ws" ? ["chat"] : []);
  ws.binaryType = "arraybuffer";
  socket = ws;
  let openedAt = 0;
  setStatus("connecting", "connecting to " + url);
  ws.addEventListener("open", () => {
    openedAt = Date.now();
    setStatus("open", "open: " + url);
    addLine("info", "connected to " + url);
  });
  ws.addEventListener("message", (event) => {
    const data = event.data;
    addLine("received", typeof data === "string" ? data : "[binary, " + data.byteLength + " bytes]");
  });
  ws.addEventListener("close", (event) => {
    // A socket the page already replaced (route switch, Reconnect) no longer speaks for the page.
    if (ws !== socket) return;
    socket = null;
    const how = describeClose(event);
    addLine("info", how);
    // 1000 from the server ends the conversation on purpose (bye, idle timeout): coming back would
    // undo it. Anything else (1001 restart, 1006 network drop, 1011...) is worth another try.
    if (userQuit || event.code === 1000) {
      setStatus("closed", how);
      return;
    }
    if (openedAt && Date.now() - openedAt >= stableAfterMs) attempt = 0;
    scheduleReconnect(how);
  });
}

function scheduleReconnect(how) {
  const ceiling = Math.min(backoff.capMs, backoff.baseMs * 2 ** attempt);
  const delay = Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
  attempt += 1;
  setStatus("reconnecting", how + "; reconnecting in " + (delay / 1000).toFixed(1) + " s (attempt " + attempt + ")");
  retryTimer = setTimeout(connect, delay);
}

// Quit, Reconnect and a route switch are the user's decisions: they start over without backoff.
function reconnectNow() {
  userQuit = false;
  attempt = 0;
  const previous = socket;
  socket = null;
  if (previous) previous.close(1000, "reconnect");
  connect();
}

function quit() {
  userQuit = true;
  stopWaiting();
  if (!socket) {
    setStatus("closed", "closed (quit)");
    return;
  }
  // The close event waits for the server's reply to our close frame; say at once that it is under way.
  setStatus("closing", "closing");
  socket.close(1000, "quit");
}

function send(text) {
  if (!socket || socket.readyState !== WebSocket.OPEN) {
    addLine("info", "not connected; not sent: " + text);
    return false;
  }
  socket.send(text);
  addLine("sent", text);
  return true;
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  if (input.value !== "" && send(input.value)) input.value = "";
});
commands.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-command]");
  if (button) send(button.dataset.command);
});
routeChoice.addEventListener("change", reconnectNow);
document.getElementById("quit").addEventListener("click", quit);
document.getElementById("reconnect").addEventListener("click", reconnectNow);
// Back online: waiting out the rest of a long backoff would only keep the user waiting.
window.addEventListener("online", () => {
  if (retryTimer) connect();
});
connect();
`;
