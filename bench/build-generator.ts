// Builds the C echo generator (bench/generator-c/) with the machine's C compiler into bench/.build/,
// again only when a source is newer than the binary. No compiler, or a failed build, falls back to
// the Node + ws generator, and the run says so.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";

const sourceDir = fileURLToPath(new URL("./generator-c/", import.meta.url));
const buildDir = fileURLToPath(new URL("./.build/", import.meta.url));
export const echoLoadBinary = `${buildDir}echo-load`;

/** Which program generates the echo load, and why. */
export interface EchoGenerator {
  kind: "c" | "node";
  /** The compiler that built it (c), or why the Node generator runs instead (node). */
  detail: string;
}

function compilerVersion(compiler: string): string | undefined {
  try {
    return execFileSync(compiler, ["--version"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], timeout: 10_000 }).split("\n")[0]!.trim();
  } catch {
    return undefined;
  }
}

function newestSourceMs(sources: string[]): number {
  return Math.max(...sources.map((source) => statSync(`${sourceDir}${source}`).mtimeMs));
}

/** The echo generator for this run: the C one, built if needed, or the Node one with the reason. */
export function prepareEchoGenerator(wanted: "c" | "node"): EchoGenerator {
  if (wanted === "node") return { kind: "node", detail: "--generator node" };
  const compiler = [process.env.CC, "cc", "gcc"].find((candidate): candidate is string => Boolean(candidate && compilerVersion(candidate)));
  if (!compiler) return { kind: "node", detail: "no C compiler (cc, gcc, or $CC) on this machine" };
  const version = compilerVersion(compiler)!;
  const files = readdirSync(sourceDir);
  const sources = files.filter((file) => file.endsWith(".c"));
  if (existsSync(echoLoadBinary) && statSync(echoLoadBinary).mtimeMs >= newestSourceMs(files)) return { kind: "c", detail: version };
  mkdirSync(buildDir, { recursive: true });
  try {
    execFileSync(compiler, ["-O2", "-std=c11", "-D_GNU_SOURCE", "-Wall", "-Wextra", "-o", echoLoadBinary, ...sources.map((source) => `${sourceDir}${source}`), "-lm"], {
      stdio: ["ignore", "ignore", "pipe"],
      timeout: 120_000,
    });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim().split("\n")[0];
    return { kind: "node", detail: `building the C generator with ${compiler} failed: ${stderr ?? String(error)}` };
  }
  return { kind: "c", detail: version };
}

/** One line for the output: which program generated the echo load. */
export function describeEchoGenerator(generator: EchoGenerator): string {
  return generator.kind === "c"
    ? `echo generator: compiled C, epoll, one thread (bench/generator-c/, built with ${generator.detail}); idle and handshake: Node + ws`
    : `echo generator: FALLBACK to Node + ws (${generator.detail}); it costs more CPU per message than the C one, so fast servers are measured against a busier generator`;
}
