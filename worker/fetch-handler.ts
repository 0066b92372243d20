// The Worker's fetch handler: the one Hono app, with every accepted upgrade handed to a Durable
// Object of its own. Refusals happen in the app first, so a bad request never creates an object.
import type { Hono } from "hono";
import { createApp, type AppOptions } from "../src/app.ts";
import { ConfigError, parseConfig } from "../src/config.ts";
import { deadPeerTimeoutMs } from "../src/core/connection-end.ts";
import { createLogger } from "../src/log.ts";
import { addressLimitRulesOf, leaseConnection, releaseConnectionLease } from "./address-limit.ts";
import { countRefusal } from "./analytics.ts";
import { forwardUpgrade } from "./forwarded-upgrade.ts";

// A Worker has no start-up to stop: vars are read on the first request of an isolate, and a bad
// one answers every request with 500 after one log line naming the variable.
const apps = new WeakMap<Env, Hono | ConfigError>();

function appFor(env: Env, mountMiddleware: AppOptions["mountMiddleware"]): Hono | ConfigError {
  const known = apps.get(env);
  if (known) return known;
  let app: Hono | ConfigError;
  try {
    // A copy: Env is an interface without an index signature, and parseConfig reads a plain record.
    const config = parseConfig({ ...env });
    const addressLimit = addressLimitRulesOf(config, deadPeerTimeoutMs(config.pingIntervalS));
    const log = createLogger({ runtime: "workers", level: config.logLevel });
    app = createApp({
      runtime: "workers",
      config,
      log,
      remoteAddress: (c) => c.req.header("CF-Connecting-IP"),
      // An admission: the lease is taken before the connection's object exists, so a refused upgrade creates none.
      connectionLimits: {
        admit: async (address, id) => ((await leaseConnection(env, address, id, addressLimit, log)) ? undefined : "per-address"),
        release: (address, id) => releaseConnectionLease(env, address, id, addressLimit, log),
      },
      onRefused: (refusal, path) => countRefusal(env, path, refusal),
      upgrade: async (c, upgrade) => {
        const stub = env.CONNECTIONS.get(env.CONNECTIONS.newUniqueId());
        const response = await stub.fetch(forwardUpgrade(c.req.raw, upgrade));
        return { opened: response.status === 101, response };
      },
      mountMiddleware,
    });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.log(JSON.stringify({ ts: new Date().toISOString(), level: "error", event: "error", runtime: "workers", message: `configuration error: ${error.message}` }));
    app = error;
  }
  apps.set(env, app);
  return app;
}

/** The Worker's fetch handler, with the entry's middleware (the product's has none). */
export function workerHandler(mountMiddleware?: AppOptions["mountMiddleware"]): ExportedHandler<Env> {
  return {
    fetch(request, env, ctx) {
      const app = appFor(env, mountMiddleware);
      if (app instanceof ConfigError) return new Response("Server misconfigured; see the logs\n", { status: 500 });
      return app.fetch(request, env, ctx);
    },
  };
}
