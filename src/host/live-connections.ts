// The connections open in one long-lived process (Node, Deno, Bun): counted for MAX_CONNECTIONS,
// MAX_CONNECTIONS_PER_IP and /healthz, swept for idle timeouts, and closed together on shutdown.

/** What the process needs from one open connection. */
export interface LiveConnection {
  /** Lets the session check its deadlines at time `now`. */
  tick(now: number): void;
  /** Closes the connection from the server side. */
  close(code: number, reason: string): void;
  /** Bytes waiting to be sent to this connection's client. */
  bufferedBytes(): number;
}

/** Which limit a connection would break: MAX_CONNECTIONS or MAX_CONNECTIONS_PER_IP. */
export type OverLimit = "capacity" | "per-address";

/** The connection limits of a process; 0 turns the per-address limit off. */
export interface ConnectionLimits {
  maxConnections: number;
  maxConnectionsPerIp: number;
}

/** The set of open connections of a process. */
export class LiveConnections {
  readonly #open = new Set<LiveConnection>();
  readonly #openByAddress = new Map<string, number>();
  readonly #limits: ConnectionLimits;

  constructor(limits: ConnectionLimits) {
    this.#limits = limits;
  }

  /** Set by closeAll: a connection that opens after it (its upgrade was already under way) is closed too. */
  #closingWith: { code: number; reason: string } | undefined;

  get count(): number {
    return this.#open.size;
  }

  /** Open connections from one client address. */
  countFrom(address: string): number {
    return this.#openByAddress.get(address) ?? 0;
  }

  /** The limit one more connection from `address` would break, or undefined if it may open. */
  overLimit(address: string | undefined): OverLimit | undefined {
    if (this.count >= this.#limits.maxConnections) return "capacity";
    const { maxConnectionsPerIp } = this.#limits;
    if (address !== undefined && maxConnectionsPerIp > 0 && this.countFrom(address) >= maxConnectionsPerIp) return "per-address";
    return undefined;
  }

  /**
   * Counts an opened connection, unless it would break a limit. The app refuses over-limit upgrades
   * already, but upgrades that arrive together can all pass that check before any of them opens (seen
   * on Deno's node:http); this is where the limits hold.
   */
  admit(connection: LiveConnection, address: string | undefined): OverLimit | undefined {
    const over = this.overLimit(address);
    if (over === undefined) this.#add(connection, address);
    return over;
  }

  #add(connection: LiveConnection, address: string | undefined): void {
    if (this.#open.has(connection)) return;
    this.#open.add(connection);
    if (address !== undefined) this.#openByAddress.set(address, this.countFrom(address) + 1);
    if (this.#closingWith) connection.close(this.#closingWith.code, this.#closingWith.reason);
  }

  delete(connection: LiveConnection, address: string | undefined): void {
    if (!this.#open.delete(connection) || address === undefined) return;
    const left = this.countFrom(address) - 1;
    // Gone when it reaches 0: a map entry per address ever seen would grow with every client.
    if (left > 0) this.#openByAddress.set(address, left);
    else this.#openByAddress.delete(address);
  }

  /** Bytes waiting to be sent, over every connection (/metrics). */
  bufferedBytes(): number {
    let total = 0;
    for (const connection of this.#open) total += connection.bufferedBytes();
    return total;
  }

  /** One timer for all connections, instead of a timer reset on every message. */
  sweep(now: number): void {
    for (const connection of this.#open) connection.tick(now);
  }

  closeAll(code: number, reason: string): void {
    this.#closingWith = { code, reason };
    for (const connection of this.#open) connection.close(code, reason);
  }
}
