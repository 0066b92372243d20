/** A token bucket, kept as plain numbers so it can live in a serialised session. */
export interface TokenBucket {
  tokens: number;
  /** Epoch milliseconds of the last refill. */
  refilledAt: number;
}

/** A full bucket: a burst of twice the per-second rate is allowed. */
export function fullBucket(ratePerSecond: number, now: number): TokenBucket {
  return { tokens: ratePerSecond * 2, refilledAt: now };
}

/** Takes one token; `allowed` is false when the sender is over its sustained rate. */
export function takeToken(
  bucket: TokenBucket,
  ratePerSecond: number,
  now: number,
): { bucket: TokenBucket; allowed: boolean } {
  const elapsedSeconds = Math.max(0, now - bucket.refilledAt) / 1000;
  const tokens = Math.min(ratePerSecond * 2, bucket.tokens + elapsedSeconds * ratePerSecond);
  if (tokens < 1) return { bucket: { tokens, refilledAt: now }, allowed: false };
  return { bucket: { tokens: tokens - 1, refilledAt: now }, allowed: true };
}
