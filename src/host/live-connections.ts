// The connections open in one long-lived process (Node, Deno, Bun): counted for MAX_CONNECTIONS
// and /healthz, swept for idle timeouts, and closed together on shutdown.

/** What the process needs from one open connection. */
export interface LiveConnection {
  /** Lets the session check its deadlines at time `now`. */
  tick(now: number): void;
  /** Closes the connection from the server side. */
  close(code: number, reason: string): void;
}

/** The set of open connections of a process. */
export class LiveConnections {
  readonly #open = new Set<LiveConnection>();

  get count(): number {
    return this.#open.size;
  }

  add(connection: LiveConnection): void {
    this.#open.add(connection);
  }

  delete(connection: LiveConnection): void {
    this.#open.delete(connection);
  }

  /** One timer for all connections, instead of a timer reset on every message. */
  sweep(now: number): void {
    for (const connection of this.#open) connection.tick(now);
  }

  closeAll(code: number, reason: string): void {
    for (const connection of this.#open) connection.close(code, reason);
  }
}
