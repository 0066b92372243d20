// Bounded concurrency: attacks open hundreds or thousands of connections, but never more than a
// fixed number of handshakes at once, so the client's own memory and ports stay bounded.

/** Runs `task(0..count-1)` with at most `concurrency` in flight; stops starting new ones once `stop` fires. */
export async function runPool(count: number, concurrency: number, stop: AbortSignal, task: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < count && !stop.aborted) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
}
