// vitest globalSetup of "contract-nginx:<runtime>": the server behind a real nginx as deploy/nginx.conf
// has it (TLS at nginx, TRUST_PROXY=127.0.0.1), so the contract suite runs through the proxy over https:/wss:.
import type { TestProject } from "vitest/node";
import { startNginx } from "./nginx.ts";
import { runtimeOfProject, startRuntime } from "./runtimes.ts";
import type { ServerProcess } from "./server-process.ts";
import { makeTestCertificate } from "./test-certificate.ts";

export default async (project: TestProject) => {
  const runtime = runtimeOfProject(project.name);
  project.provide("runtime", runtime);
  const certificate = makeTestCertificate();
  let server: ServerProcess | undefined;
  try {
    server = await startRuntime(runtime, { env: { TRUST_PROXY: "127.0.0.1" } });
    const nginx = await startNginx(server.baseUrl, certificate);
    project.provide("baseUrl", nginx.baseUrl);
    project.provide("tlsCa", certificate.certPem);
    return async () => {
      await nginx.stop();
      await server?.stop();
      certificate.remove();
    };
  } catch (error) {
    await server?.stop();
    certificate.remove();
    throw error;
  }
};
