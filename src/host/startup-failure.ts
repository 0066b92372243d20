// Start-up failures an operator meets (a port in use, a port that needs privileges, a certificate that
// cannot be read), said in one line on stderr with exit code 1: a stack trace would bury the cause.

/** A reason the server cannot start; its message is the one line the operator reads. */
export class StartupError extends Error {
  override name = "StartupError";
}

/** The one line for an error from listening on `host:port` (Node's and Bun's error codes alike). */
export function listenFailure(error: unknown, host: string, port: number): StartupError {
  const where = `${host.includes(":") ? `[${host}]` : host}:${port}`;
  const code = (error as { code?: unknown } | null)?.code;
  switch (code) {
    case "EADDRINUSE":
      return new StartupError(`cannot listen on ${where}: the port is already in use (EADDRINUSE); stop the other server or set PORT`);
    case "EACCES":
      return new StartupError(
        `cannot listen on ${where}: the port needs privileges (EACCES); use PORT=1024 or higher behind a proxy, or grant CAP_NET_BIND_SERVICE (README, Deploying)`,
      );
    case "EADDRNOTAVAIL":
    // Deno's node:net reports an address that is not the machine's as EINVAL.
    case "EINVAL":
      return new StartupError(`cannot listen on ${where}: HOST is not an address of this machine (${String(code)}); check HOST`);
    default:
      return new StartupError(`cannot listen on ${where}: ${messageOf(error)}`);
  }
}

/** The first line of an error's message, without the stack. */
export function messageOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n")[0] ?? message;
}

/**
 * Ends a process that could not start: the StartupError's line, or for anything else its message with
 * what it is, on stderr; then exit code 1.
 */
export function exitOnStartupFailure(error: unknown, exit: (code: number) => never): never {
  console.error(error instanceof StartupError ? error.message : `cannot start: ${messageOf(error)}`);
  return exit(1);
}

/**
 * Runs one start-up step (reading the certificate, listening); if it throws, the process ends with one
 * line, `explain` turning the runtime's error into the operator's words.
 */
export function startupStep<T>(step: () => T, exit: (code: number) => never, explain: (error: unknown) => unknown = (error) => error): T {
  try {
    return step();
  } catch (error) {
    return exitOnStartupFailure(explain(error), exit);
  }
}
