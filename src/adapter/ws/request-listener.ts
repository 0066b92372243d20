// Plain HTTP requests on node:http, answered by the app: the request Hono sees is the same light
// object the upgrades get (upgrade-request.ts), and the app's Response is written to the
// ServerResponse. In place of @hono/node-server, which loads node:http2 at import for `instanceof`
// checks only: a heap that every full collection marks, on Deno most of all (docs/benchmarks.md).
import type { IncomingMessage, ServerResponse } from "node:http";
import { upgradeRequestOf } from "./upgrade-request.ts";

/** The Hono `env` of a request on node:http: the IncomingMessage, whose socket names the peer. */
export interface NodeEnv {
  readonly incoming: IncomingMessage;
}

/** What the listener calls: the app's fetch. */
export type NodeFetch<Env extends NodeEnv> = (request: Request, env: Env) => Response | Promise<Response>;

/** The `request` listener that answers every plain request with `fetch`. */
export function requestListener(fetch: NodeFetch<NodeEnv>, onError: (error: unknown) => void): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    answer(req, res, fetch).catch((error: unknown) => {
      onError(error);
      if (!res.headersSent) res.writeHead(500, { "Content-Type": "text/plain; charset=utf-8" }).end("Internal Server Error\n");
      else res.destroy();
    });
  };
}

async function answer(req: IncomingMessage, res: ServerResponse, fetch: NodeFetch<NodeEnv>): Promise<void> {
  const request = upgradeRequestOf(req);
  if (!request) {
    res.writeHead(400, { "Content-Type": "text/plain; charset=utf-8" }).end("Bad Request\n");
    return;
  }
  await writeResponse(res, await fetch(request, { incoming: req }));
}

/** Writes the app's Response: status, every header line (each Set-Cookie on its own), then the body as it comes. */
async function writeResponse(res: ServerResponse, response: Response): Promise<void> {
  const headerLines: string[] = [];
  response.headers.forEach((value, name) => {
    if (name !== "set-cookie") headerLines.push(name, value);
  });
  for (const cookie of response.headers.getSetCookie()) headerLines.push("set-cookie", cookie);
  res.writeHead(response.status, headerLines);
  if (!response.body) {
    res.end();
    return;
  }
  for await (const chunk of response.body) {
    if (res.destroyed) return;
    // A streamed body waits for the client to take each chunk, so a slow reader holds one chunk at a time.
    if (!res.write(chunk)) await new Promise((resolve) => res.once("drain", resolve).once("close", resolve));
  }
  res.end();
}
