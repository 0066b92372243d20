// GET for the suites, over http: or https:. Node's global fetch cannot be given a CA for one request
// (its undici dispatcher is not exposed), so https: goes through node:https with the test CA.
import { request } from "node:https";
import { trustedCa } from "./trusted-ca.ts";

/** A GET (or `method`) of `url`, as a Fetch API Response; https: trusts the project's test CA. */
export function httpGet(url: URL | string, method = "GET"): Promise<Response> {
  const target = new URL(url);
  if (target.protocol !== "https:") return fetch(target, { method });
  return new Promise((resolve, reject) => {
    const outgoing = request(target, { method, ca: trustedCa() }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
      incoming.on("error", reject);
      incoming.on("end", () => {
        const headers = new Headers();
        for (let i = 0; i + 1 < incoming.rawHeaders.length; i += 2) headers.append(incoming.rawHeaders[i]!, incoming.rawHeaders[i + 1]!);
        const status = incoming.statusCode ?? 0;
        const body = method === "HEAD" || status === 204 || status === 304 ? null : Buffer.concat(chunks);
        resolve(new Response(body, { status, headers }));
      });
    });
    outgoing.on("error", reject);
    outgoing.end();
  });
}
