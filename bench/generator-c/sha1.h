// SHA-1 (FIPS 180-4), needed for one thing only: the Sec-WebSocket-Accept check (RFC 6455 §4.1).
#ifndef ECHO_LOAD_SHA1_H
#define ECHO_LOAD_SHA1_H

#include <stddef.h>
#include <stdint.h>

void sha1(const uint8_t *data, size_t length, uint8_t digest[20]);

#endif
