// The one list of runtimes the product runs on: vitest projects, launchers, the bench and the stress
// tool all take their names from here.

/** Every runtime, as named in logs, `/healthz` and test project names. */
export const runtimes = ["node", "deno", "bun", "workers"] as const;

/** One of {@link runtimes}. */
export type RuntimeName = (typeof runtimes)[number];

/** Runtimes that run as a long-lived process of our own (signals, MAX_CONNECTIONS, /metrics, nginx in front). */
export const processRuntimes = ["node", "deno", "bun"] as const satisfies readonly RuntimeName[];

/** One of {@link processRuntimes}. */
export type ProcessRuntimeName = (typeof processRuntimes)[number];

/** Whether `name` is a runtime of {@link runtimes}. */
export function isRuntimeName(name: string): name is RuntimeName {
  return (runtimes as readonly string[]).includes(name);
}
