// The browser code of the page at `/`, shipped inline and allowed by its CSP hash.
// Server text is only ever put into the page with textContent, never parsed as HTML.
export const clientScript = `
"use strict";
const log = document.getElementById("log");
const statusLine = document.getElementById("status");
const form = document.getElementById("send-form");
const input = document.getElementById("message");
const quit = document.getElementById("quit");
const connect = document.getElementById("connect");
let socket;

function show(kind, text) {
  const line = document.createElement("li");
  line.className = kind;
  line.textContent = text;
  log.append(line);
  log.scrollTop = log.scrollHeight;
}

function open() {
  const url = new URL("/ws", location.href);
  url.protocol = location.protocol === "https:" ? "wss:" : "ws:";
  socket = new WebSocket(url, ["chat"]);
  statusLine.textContent = "connecting";
  socket.addEventListener("open", () => { statusLine.textContent = "open"; });
  socket.addEventListener("message", (event) => show("received", String(event.data)));
  socket.addEventListener("close", (event) => {
    statusLine.textContent = "closed (" + event.code + (event.reason ? " " + event.reason : "") + ")";
  });
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  if (!socket || socket.readyState !== WebSocket.OPEN || input.value === "") return;
  socket.send(input.value);
  show("sent", input.value);
  input.value = "";
});
quit.addEventListener("click", () => socket && socket.close(1000, "quit"));
connect.addEventListener("click", () => { if (!socket || socket.readyState === WebSocket.CLOSED) open(); });
open();
`;
