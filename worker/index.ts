// Cloudflare Workers entry: the fetch handler (fetch-handler.ts) and the Durable Object classes
// wrangler.toml binds.
import { workerHandler } from "./fetch-handler.ts";

export { AddressObject } from "./address-limit.ts";
export { ConnectionObject } from "./connection-object.ts";

export default workerHandler();
