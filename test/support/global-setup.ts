// vitest globalSetup for the over-the-wire suites: a project named "<suite>:<runtime>" gets a real
// server of that runtime, and its tests read the base URL with inject("baseUrl").
import type { TestProject } from "vitest/node";
import { runtimeOfProject, startRuntime } from "./runtimes.ts";
import { provideServer } from "./server-process.ts";

export default (project: TestProject) => {
  const runtime = runtimeOfProject(project.name);
  project.provide("runtime", runtime);
  return provideServer(project, () => startRuntime(runtime));
};
