// MAX_CONNECTIONS_PER_IP on Workers: one Durable Object per client address holds a lease for each
// of that address's open connections (docs/workers.md). The Worker takes a lease before it
// creates a connection's object; the connection object gives it back on every way a connection
// ends. A lease that is never given back (an object reset by a deploy runs no handler) expires, so
// a lost count can only loosen the limit for a while, never lock an address out.
import { DurableObject } from "cloudflare:workers";
import type { Config } from "../src/config.ts";
import type { Logger } from "../src/log.ts";

/** How the per-address limit counts: MAX_CONNECTIONS_PER_IP, and how long a lease lasts unrenewed. */
export interface AddressLimitRules {
  /** Open connections per address; 0 turns the limit off. */
  limit: number;
  leaseMs: number;
}

// With the idle timeout off no alarm renews a lease, so an idle connection stops counting after this.
const LEASE_WITHOUT_IDLE_TIMEOUT_MS = 60 * 60 * 1000;

/**
 * The rules for `config`. A connection's alarm runs at least once per IDLE_TIMEOUT_S and renews its
 * lease; twice that, plus the time a peer has to answer our close, outlives any open connection.
 */
export function addressLimitRulesOf(config: Config, closeTimeoutMs: number): AddressLimitRules {
  const leaseMs = config.idleTimeoutS > 0 ? 2 * config.idleTimeoutS * 1000 + closeTimeoutMs : LEASE_WITHOUT_IDLE_TIMEOUT_MS;
  return { limit: config.maxConnectionsPerIp, leaseMs };
}

/** The Durable Object that counts one client address's open connections, as leases in its storage. */
export class AddressObject extends DurableObject<Env> {
  /**
   * Takes (or renews) the lease of connection `id`; false when the address already holds `limit`
   * live leases. One object per address runs one call at a time, so the count cannot race.
   */
  lease(id: string, limit: number, leaseMs: number): boolean {
    const leases = this.ctx.storage.kv;
    const now = Date.now();
    if (leases.get(id) === undefined) {
      const entries = [...leases.list<number>()];
      // Expired leases go first: they are connections that ended without giving theirs back.
      for (const [key, expiresAt] of entries) if (expiresAt <= now) leases.delete(key);
      const live = entries.filter(([, expiresAt]) => expiresAt > now).length;
      if (live >= limit) return false;
    }
    leases.put(id, now + leaseMs);
    return true;
  }

  /** Gives back the lease of connection `id` (again is harmless). */
  release(id: string): void {
    this.ctx.storage.kv.delete(id);
  }
}

function objectOf(env: Env, address: string) {
  return env.ADDRESSES.get(env.ADDRESSES.idFromName(address));
}

/**
 * Whether connection `id` from `address` may open (and is now counted). An unknown address (no
 * CF-Connecting-IP: only a local workerd without Cloudflare in front) is not limited, like a
 * process runtime that cannot tell its peer. If the address's object cannot be reached, the
 * connection opens uncounted: the limit guards against one client, it is no reason to refuse all.
 */
export async function leaseConnection(env: Env, address: string | undefined, id: string, rules: AddressLimitRules, log: Logger): Promise<boolean> {
  if (address === undefined || rules.limit === 0) return true;
  try {
    return await objectOf(env, address).lease(id, rules.limit, rules.leaseMs);
  } catch (error) {
    log.warn("error", { id, remote: address, message: `per-address count unavailable: ${messageOf(error)}` });
    return true;
  }
}

/** Gives back the lease of a connection that has ended, or was never opened; one not given back expires. */
export async function releaseConnectionLease(env: Env, address: string | undefined, id: string, rules: AddressLimitRules, log: Logger): Promise<void> {
  if (address === undefined || rules.limit === 0) return;
  try {
    await objectOf(env, address).release(id);
  } catch (error) {
    log.warn("error", { id, remote: address, message: `per-address lease not given back: ${messageOf(error)}` });
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
