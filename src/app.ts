// The one Hono app every runtime serves. Runtimes differ only in how they upgrade a socket,
// so that is the one capability an entry hands in (src/adapter/contract.ts).
import { Hono, type Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ConnectionLimits, UpgradeHandler } from "./adapter/contract.ts";
import type { Config } from "./config.ts";
import type { Route } from "./core/session.ts";
import { connectionId } from "./http/connection-id.ts";
import { checkUpgrade, refusalResponse, retryLaterRefusal, type Refusal } from "./http/upgrade-check.ts";
import type { Logger, RuntimeName } from "./log.ts";
import { clientPage } from "./page/client-page.ts";

/** What a runtime entry hands to {@link createApp}. */
export interface AppOptions {
  runtime: RuntimeName;
  config: Config;
  log: Logger;
  upgrade: UpgradeHandler;
  /** The peer's address, where the runtime knows it. */
  remoteAddress?: (c: Context) => string | undefined;
  /** Open connections in this process, for /healthz. */
  openConnections?: () => number;
  /** The address this process listens on (host:port), for /healthz: which of several instances answered. */
  instance?: () => string | undefined;
  /** MAX_CONNECTIONS and MAX_CONNECTIONS_PER_IP: a pure check, or an admission the app gives back if no socket opens. */
  connectionLimits?: ConnectionLimits;
  /**
   * Hono middleware the entry mounts before the routes (`app.use(...)`), e.g. an authentication in
   * front of `/ws`: it runs before the upgrade checks, so what it refuses never gets a socket.
   */
  mountMiddleware?: (app: Hono) => void;
  /** Called for every refused upgrade (metrics). */
  onRefused?: (refusal: Refusal, path: string) => void;
  /** The Prometheus text for GET /metrics; without it the route is a 404. */
  metricsText?: () => string;
  /** True while the process drains after SIGTERM: /healthz answers 503 and upgrades are refused. */
  draining?: () => boolean;
  /**
   * False to accept upgrades while draining (the registry then closes them with 1001): with REUSE_PORT
   * the listener closes as draining starts, so an upgrade still arriving came on a connection the
   * kernel gave this instance before, and a 101 it reconnects after is all a client should notice.
   */
  refuseUpgradesWhileDraining?: boolean;
}

const webSocketRoutes: Record<string, Route> = { "/ws": "bot", "/echo": "echo" };

/**
 * The fetch result of an upgrade whose runtime writes the 101 on the connection itself (ws, Bun): a
 * Response Hono needs, which is never sent. One for every upgrade: a Response per handshake is garbage
 * that outlives a burst of them (src/adapter/ws/upgrade-request.ts).
 */
const answeredByRuntime = new Response(null, { status: 200 });

/** Builds the app that serves the page, both WebSocket routes, `/healthz` and 404s. */
export function createApp(options: AppOptions): Hono {
  const { config, log, runtime } = options;
  const startedAt = Date.now();
  const app = new Hono();
  options.mountMiddleware?.(app);

  app.get("/", async (c) => {
    const page = await clientPage();
    c.header("Content-Security-Policy", page.contentSecurityPolicy);
    c.header("X-Content-Type-Options", "nosniff");
    c.header("Referrer-Policy", "no-referrer");
    return c.html(page.html);
  });

  // While draining, 503: a load balancer polling this stops sending new clients here.
  app.get("/healthz", (c) =>
    c.json({
      status: options.refuseUpgradesWhileDraining !== false && options.draining?.() ? "draining" : "ok",
      runtime,
      uptime_s: Math.round((Date.now() - startedAt) / 1000),
      ...(options.instance?.() ? { instance: options.instance() } : {}),
      ...(options.openConnections ? { connections: options.openConnections() } : {}),
    }, options.draining?.() ? 503 : 200),
  );

  const { metricsText } = options;
  if (metricsText) {
    app.get("/metrics", (c) => c.body(metricsText(), 200, { "Content-Type": "text/plain; version=0.0.4; charset=utf-8" }));
  }

  for (const [path, route] of Object.entries(webSocketRoutes)) {
    app.all(path, async (c) => {
      const remoteAddress = options.remoteAddress?.(c);
      const id = connectionId();
      let check = checkUpgrade(c.req.raw, config.allowedOrigins);
      const limits = options.connectionLimits;
      // Draining, or over MAX_CONNECTIONS, or over MAX_CONNECTIONS_PER_IP (one client cannot take every slot).
      const retry = !check.ok ? undefined : options.refuseUpgradesWhileDraining !== false && options.draining?.() ? "draining" : limits && ("check" in limits ? limits.check(remoteAddress) : await limits.admit(remoteAddress, id));
      if (retry) check = { ok: false, refusal: retryLaterRefusal(retry) };
      if (!check.ok) {
        const { refusal } = check;
        options.onRefused?.(refusal, path);
        log.info("reject", { path, remote: remoteAddress, status: refusal.status, reason: refusal.reason });
        return refusalResponse(refusal);
      }
      const outcome = await options.upgrade(c, { route, path, protocol: check.protocol, id, remoteAddress });
      // No socket, so no close will give the admission back.
      if (!outcome.opened && limits && "release" in limits) await limits.release(remoteAddress, id);
      return outcome.response ?? answeredByRuntime;
    });
  }

  app.notFound((c) => c.text("Not Found\n", 404));
  app.onError((error, c) => {
    // A middleware's own answer (bearerAuth's 401, for one), as Hono's default handler gives it.
    if (error instanceof HTTPException) return error.getResponse();
    log.error("error", { path: c.req.path, message: error.message });
    return c.text("Internal Server Error\n", 500);
  });
  return app;
}
