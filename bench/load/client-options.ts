// How the generator's `ws` clients are set up: as cheap as a correct client can be, because the
// generator shares the machine's cores with the server under test.
import { randomInt } from "node:crypto";
import type { ClientOptions } from "ws";

// RFC 6455 §5.3 wants masks that are unpredictable to the network; on loopback nobody watches, and an
// all-zero mask lets ws skip XOR-ing every payload byte on the client side. Servers still unmask.
const zeroMask = (mask: Buffer): void => {
  mask.fill(0);
};

// Source addresses rotate over 127.0.0.1..8: each has its own ~28k ephemeral ports, so 10,000 idle
// sockets right after a handshake storm (whose TIME_WAITs hold ports for a minute) still find room.
const sourceAddresses = Array.from({ length: 8 }, (_, index) => `127.0.0.${index + 1}`);
let nextSource = randomInt(sourceAddresses.length);

/** Options for one client socket. */
export function clientOptions(): ClientOptions {
  nextSource = (nextSource + 1) % sourceAddresses.length;
  return {
    // Compression would measure zlib, and only some servers would negotiate it.
    perMessageDeflate: false,
    // The generator checks lengths and bytes itself.
    skipUTF8Validation: true,
    generateMask: zeroMask,
    localAddress: sourceAddresses[nextSource],
    handshakeTimeout: 10_000,
  };
}
