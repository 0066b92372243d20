// What the test entries add to the product (never reachable from the product's entries): Hono's own
// bearerAuth in front of /ws, behind it a middleware that reads the request as a whole (its signal, a
// clone's body), and a BOT_TIMEZONE that parseConfig would refuse, so the core throws on `date`.
import type { Hono } from "hono";
import { bearerAuth } from "hono/bearer-auth";
import type { Config } from "../../src/config.ts";
import type { SessionRules } from "../../src/core/session.ts";

/** The token /ws takes in the test app. */
export const TEST_TOKEN = "let-me-in";

/** The message that makes the core throw on /ws: the bot's `date` in a zone that does not exist. */
export const THROWING_MESSAGE = "date";
const zoneThatDoesNotExist = "Nowhere/Never";

/** Mounts the test app's middleware before the product's routes. */
export function mountTestMiddleware(app: Hono): void {
  app.use("/ws", bearerAuth({ token: TEST_TOKEN }));
  app.use("/ws", async (c, next) => {
    // Members a plain Fetch Request has and a bare upgrade request might not: reading them must work.
    if (c.req.raw.signal.aborted || (await c.req.raw.clone().text()) !== "") return c.text("unexpected request\n", 500);
    await next();
  });
}

/** The settings with a time zone the core's clock formatting throws on. */
export function withThrowingCore(config: Config): Config {
  return { ...config, botTimeZone: zoneThatDoesNotExist };
}

/** The same for the core's rules (the Durable Object builds its own). */
export function throwingRules(rules: SessionRules): SessionRules {
  return { ...rules, timeZone: zoneThatDoesNotExist };
}
