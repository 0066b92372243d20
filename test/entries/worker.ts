// The Workers entry composed with the test app (test-app.ts): the classes wrangler.toml binds, the
// connection's object with the throwing rules.
import type { Config } from "../../src/config.ts";
import type { SessionRules } from "../../src/core/session.ts";
import { ConnectionObject as ProductConnectionObject } from "../../worker/connection-object.ts";
import { workerHandler } from "../../worker/fetch-handler.ts";
import { mountTestMiddleware, throwingRules } from "./test-app.ts";

export { AddressObject } from "../../worker/address-limit.ts";

export class ConnectionObject extends ProductConnectionObject {
  protected override sessionRules(config: Config): SessionRules {
    return throwingRules(super.sessionRules(config));
  }
}

export default workerHandler(mountTestMiddleware);
