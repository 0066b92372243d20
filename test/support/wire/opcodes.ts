// Frame opcodes of RFC 6455 §5.2 (and §11.8): 0x3-0x7 and 0xB-0xF are reserved.

/** The opcodes RFC 6455 defines. */
export const Opcode = {
  continuation: 0x0,
  text: 0x1,
  binary: 0x2,
  close: 0x8,
  ping: 0x9,
  pong: 0xa,
} as const;

/** Control frames have the high bit of the opcode set (§5.5). */
export const isControlOpcode = (opcode: number): boolean => (opcode & 0x8) !== 0;

/** Whether an opcode is one that RFC 6455 defines (the rest are reserved for future use). */
export const isDefinedOpcode = (opcode: number): boolean => (Object.values(Opcode) as number[]).includes(opcode);
