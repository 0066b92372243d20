// Contract suite target: the Node entry, as `npm start` runs it.
import type { TestProject } from "vitest/node";
import { provideServer, startServerProcess } from "../support/server-process.ts";

export default (project: TestProject) => provideServer(project, () => startServerProcess(process.execPath, ["node/main.ts"]));
