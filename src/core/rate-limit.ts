/** A token bucket, kept as plain numbers so it can live in a serialised session. */
export interface TokenBucket {
  tokens: number;
  /** Epoch milliseconds of the last refill. */
  refilledAt: number;
}

/** The tokens of a full bucket: a burst of twice the per-second rate is allowed. */
export function fullBucketTokens(ratePerSecond: number): number {
  return ratePerSecond * 2;
}

/**
 * Refills `bucket` for the time since its last refill and takes one token, in place (it is part of a
 * session's state). False when the sender is over its sustained rate: no token was there to take.
 */
export function takeToken(bucket: TokenBucket, ratePerSecond: number, now: number): boolean {
  const elapsedSeconds = Math.max(0, now - bucket.refilledAt) / 1000;
  const tokens = Math.min(fullBucketTokens(ratePerSecond), bucket.tokens + elapsedSeconds * ratePerSecond);
  bucket.refilledAt = now;
  const allowed = tokens >= 1;
  bucket.tokens = allowed ? tokens - 1 : tokens;
  return allowed;
}
