// Peer, for information: crossws's Deno adapter, on Deno.serve + Deno.upgradeWebSocket like raw-deno.ts
// (crossws from node_modules). `npm run bench -- --only raw-ws-deno,crossws-deno`.
import crossws from "crossws/adapters/deno";

const websockets = crossws({
  hooks: {
    // Deno hands binary messages over as a Blob by default, which crossws cannot send back at once.
    open: (peer) => void (peer.websocket.binaryType = "arraybuffer"),
    message: (peer, message) => void peer.send(message.rawData),
  },
  // Deno.upgradeWebSocket has no message size limit to set (raw-deno.ts has none either).
});

Deno.serve(
  {
    port: Number(Deno.env.get("PORT") ?? 0),
    hostname: Deno.env.get("HOST") ?? "127.0.0.1",
    onListen: ({ port }) => console.log(JSON.stringify({ event: "listen", runtime: "crossws-deno", port })),
  },
  (request, info) => {
    if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") {
      return new Response("WebSocket only\n", { status: 426, headers: { Upgrade: "websocket" } });
    }
    return websockets.handleUpgrade(request, info);
  },
);
