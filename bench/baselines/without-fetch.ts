// Diagnostic preload: Node's Fetch classes (Request, Response, Headers) as bare stand-ins, so the
// product runs without Node's Fetch implementation (undici) ever loaded. Only the WebSocket path
// works: any plain HTTP answer needs the real classes. `node --import ./bench/baselines/without-fetch.ts node/main.ts`,
// measured beside the product: `npm run bench -- --only raw-ws,product-node,product-node-without-fetch`.
class StandInHeaders {}
class StandInRequest {}
// The app answers an accepted upgrade with a Response that is never sent (src/app.ts).
class StandInResponse {
  readonly status: number;
  constructor(_body: unknown, init?: { status?: number }) {
    this.status = init?.status ?? 200;
  }
}
// Assignment, not defineProperty: redefining Node's lazy globals would load undici first.
Object.assign(globalThis, { Headers: StandInHeaders, Request: StandInRequest, Response: StandInResponse });
// node:http's WebSocket, CloseEvent and MessageEvent exports are undici's, read by every ESM import
// of node:http: replaced before the product imports it.
const http = process.getBuiltinModule("node:http");
for (const name of ["WebSocket", "CloseEvent", "MessageEvent"]) Object.defineProperty(http, name, { value: undefined });
