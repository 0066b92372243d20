// Baseline for the Deno adapter: Deno.serve + Deno.upgradeWebSocket and nothing else.
// Run by Deno only (excluded from tsc, which knows Node's globals, not Deno's).
Deno.serve(
  {
    port: Number(Deno.env.get("PORT") ?? 0),
    hostname: Deno.env.get("HOST") ?? "127.0.0.1",
    onListen: ({ port }) => console.log(JSON.stringify({ event: "listen", runtime: "raw-deno", port })),
  },
  (request) => {
    if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") {
      return new Response("WebSocket only\n", { status: 426, headers: { Upgrade: "websocket" } });
    }
    const { socket, response } = Deno.upgradeWebSocket(request);
    // A Blob would need an await per message; bytes must go back as they came, at once.
    socket.binaryType = "arraybuffer";
    socket.onmessage = (event) => socket.send(event.data);
    return response;
  },
);
