// One vitest run: unit tests next to the code, and the shared contract suite once per runtime.
import { defineConfig } from "vitest/config";

const contractSuite = ["test/contract/**/*.test.ts"];

/** The contract suite against one runtime's real server process. */
function contractProject(runtime: string) {
  return {
    test: {
      name: `contract:${runtime}`,
      include: contractSuite,
      globalSetup: [`test/runtimes/${runtime}.setup.ts`],
      testTimeout: 20_000,
    },
  };
}

export default defineConfig({
  test: {
    projects: [{ test: { name: "unit", include: ["src/**/*.test.ts"] } }, contractProject("node")],
  },
});
