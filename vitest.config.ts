// One vitest run: unit tests next to the code, then every over-the-wire suite against every runtime.
import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { processRuntimes as processRuntimeList, runtimes } from "./src/runtimes.ts";

/** Suites that speak to a running server through inject("baseUrl") only. */
const wireSuites: Record<string, string[]> = {
  contract: ["test/contract/**/*.test.ts"],
  conformance: ["test/conformance/**/*.test.ts"],
  limits: ["test/limits/**/*.test.ts"],
  process: ["test/process/**/*.test.ts"],
};

/**
 * Files that only one kind of runtime can pass: flow control needs a socket that can stop reading
 * (the process runtimes); Workers bounds a slow reader with a send budget instead.
 */
const processOnlyFiles = ["test/limits/flow-control.test.ts", "test/limits/stalled-reader.test.ts", "test/limits/slow-text-readers.test.ts", "test/limits/hostile-clients.test.ts"];
const workersOnlyFiles = ["test/limits/workers-send-budget.test.ts", "test/limits/workers-per-address.test.ts"];

/** Suites about a long-lived server process (MAX_CONNECTIONS, heartbeat, signals, /metrics): not Workers. */
const processOnlySuites = new Set(["process"]);
const processRuntimes = new Set<string>(processRuntimeList);
const excludedFiles = (runtime: string) => (processRuntimes.has(runtime) ? workersOnlyFiles : processOnlyFiles);

const wireProjects = Object.entries(wireSuites).flatMap(([suite, include]) =>
  runtimes.filter((runtime) => !processOnlySuites.has(suite) || processRuntimes.has(runtime)).map((runtime) => ({
    test: {
      name: `${suite}:${runtime}`,
      include,
      exclude: excludedFiles(runtime),
      globalSetup: ["test/support/global-setup.ts"],
      testTimeout: 20_000,
      hookTimeout: 60_000,
    },
  })),
);

/**
 * Deployment, on the runtimes that run as a process of their own (Node, Deno, Bun): the contract suite
 * again over wss:// with the server's own TLS, and through a real nginx configured as docs/deploying.md#nginx says
 * (deploy/nginx.conf); then start-up failures, draining on SIGTERM and the client address behind the
 * proxy, with servers of their own (test/deploy/).
 */
const deployProjects = processRuntimeList.flatMap((runtime) => [
  ...[
    ["contract-wss", "test/support/tls-global-setup.ts"],
    ["contract-nginx", "test/support/nginx-global-setup.ts"],
  ].map(([suite, globalSetup]) => ({
    test: { name: `${suite}:${runtime}`, include: wireSuites.contract, globalSetup: [globalSetup!], testTimeout: 20_000, hookTimeout: 60_000 },
  })),
  { test: { name: `deploy:${runtime}`, include: ["test/deploy/**/*.test.ts"], provide: { runtime }, testTimeout: 30_000, hookTimeout: 60_000 } },
]);

/**
 * The adapter contract on every runtime, against each runtime's test entry (the product plus
 * test/entries/test-app.ts): a throw in the core costs one connection, and Hono middleware works.
 */
const adapterProjects = runtimes.map((runtime) => ({
  test: { name: `adapter:${runtime}`, include: ["test/adapters/**/*.test.ts"], provide: { runtime }, testTimeout: 20_000, hookTimeout: 120_000 },
}));

/** Tests that run inside workerd itself (Durable Objects, hibernation), through Cloudflare's plugin. */
const workersProject = {
  plugins: [cloudflareTest({ wrangler: { configPath: "./wrangler.toml" } })],
  test: { name: "workers", include: ["test/workers/**/*.test.ts"], testTimeout: 20_000 },
};

/** The browser suite (headless Chromium) starts and restarts servers of its own: it is only told the runtime. */
const e2eProjects = runtimes.map((runtime) => ({
  test: {
    name: `e2e:${runtime}`,
    include: ["test/e2e/**/*.test.ts"],
    provide: { runtime },
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
}));

export default defineConfig({
  test: {
    projects: [{ test: { name: "unit", include: ["src/**/*.test.ts", "test/docs/**/*.test.ts"] } }, workersProject, ...wireProjects, ...adapterProjects, ...deployProjects, ...e2eProjects],
  },
});
