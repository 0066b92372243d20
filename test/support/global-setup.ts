// vitest globalSetup for the over-the-wire suites: a project named "<suite>:<runtime>" gets a real
// server of that runtime, and its tests read the base URL with inject("baseUrl").
import type { TestProject } from "vitest/node";
import { runtimeOfProject, startRuntime } from "./runtimes.ts";

export default async (project: TestProject) => {
  const runtime = runtimeOfProject(project.name);
  project.provide("runtime", runtime);
  const server = await startRuntime(runtime);
  project.provide("baseUrl", server.baseUrl);
  return () => server.stop();
};
