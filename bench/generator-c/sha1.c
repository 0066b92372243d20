#include "sha1.h"

#include <string.h>

static uint32_t rotate_left(uint32_t value, unsigned bits) { return value << bits | value >> (32u - bits); }

static void compress_block(uint32_t state[5], const uint8_t block[64]) {
  uint32_t words[80];
  for (int index = 0; index < 16; index += 1) {
    words[index] = (uint32_t)block[4 * index] << 24 | (uint32_t)block[4 * index + 1] << 16 | (uint32_t)block[4 * index + 2] << 8 | block[4 * index + 3];
  }
  for (int index = 16; index < 80; index += 1) words[index] = rotate_left(words[index - 3] ^ words[index - 8] ^ words[index - 14] ^ words[index - 16], 1);
  uint32_t a = state[0], b = state[1], c = state[2], d = state[3], e = state[4];
  for (int index = 0; index < 80; index += 1) {
    uint32_t mix, constant;
    if (index < 20) {
      mix = (b & c) | (~b & d);
      constant = 0x5a827999;
    } else if (index < 40) {
      mix = b ^ c ^ d;
      constant = 0x6ed9eba1;
    } else if (index < 60) {
      mix = (b & c) | (b & d) | (c & d);
      constant = 0x8f1bbcdc;
    } else {
      mix = b ^ c ^ d;
      constant = 0xca62c1d6;
    }
    uint32_t next = rotate_left(a, 5) + mix + e + constant + words[index];
    e = d;
    d = c;
    c = rotate_left(b, 30);
    b = a;
    a = next;
  }
  state[0] += a;
  state[1] += b;
  state[2] += c;
  state[3] += d;
  state[4] += e;
}

void sha1(const uint8_t *data, size_t length, uint8_t digest[20]) {
  uint32_t state[5] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0};
  size_t whole = length - length % 64;
  for (size_t at = 0; at < whole; at += 64) compress_block(state, data + at);
  // The tail, a 1 bit, zeros, and the message length in bits as a 64-bit big-endian number.
  uint8_t tail[128] = {0};
  size_t rest = length - whole;
  memcpy(tail, data + whole, rest);
  tail[rest] = 0x80;
  size_t tail_length = rest + 1 + 8 <= 64 ? 64 : 128;
  uint64_t bits = (uint64_t)length * 8;
  for (int index = 0; index < 8; index += 1) tail[tail_length - 1 - index] = (uint8_t)(bits >> (8 * index));
  for (size_t at = 0; at < tail_length; at += 64) compress_block(state, tail + at);
  for (int index = 0; index < 20; index += 1) digest[index] = (uint8_t)(state[index / 4] >> (24 - 8 * (index % 4)));
}
