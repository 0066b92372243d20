// vitest globalSetup of "contract-wss:<runtime>": the runtime's server with TLS of its own
// (TLS_CERT_FILE/TLS_KEY_FILE, a certificate made now), so the contract suite runs over https:/wss:.
import type { TestProject } from "vitest/node";
import { runtimeOfProject, startRuntime } from "./runtimes.ts";
import { makeTestCertificate } from "./test-certificate.ts";

export default async (project: TestProject) => {
  const runtime = runtimeOfProject(project.name);
  project.provide("runtime", runtime);
  const certificate = makeTestCertificate();
  try {
    const server = await startRuntime(runtime, { env: { TLS_CERT_FILE: certificate.certFile, TLS_KEY_FILE: certificate.keyFile } });
    // The listen line's https:// URL is what makes the base URL https: (server-process.ts).
    if (!server.baseUrl.startsWith("https:")) throw new Error(`the ${runtime} server did not serve TLS: ${server.baseUrl}`);
    project.provide("baseUrl", server.baseUrl);
    project.provide("tlsCa", certificate.certPem);
    return async () => {
      await server.stop();
      certificate.remove();
    };
  } catch (error) {
    certificate.remove();
    throw error;
  }
};
