// Messages that say which one they are, so a test can check that every echo came back, in order.

/** A `bytes`-long message whose first 4 bytes are `index` and the rest a pattern that depends on it. */
export function numberedMessage(index: number, bytes: number): Uint8Array {
  const payload = new Uint8Array(bytes).fill(index % 251);
  new DataView(payload.buffer).setUint32(0, index);
  return payload;
}

/** The index a {@link numberedMessage} carries. */
export function indexOfMessage(payload: Uint8Array): number {
  return new DataView(payload.buffer, payload.byteOffset).getUint32(0);
}
