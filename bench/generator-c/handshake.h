// The opening handshake of RFC 6455 §4.1 from the client's side: a GET with a key, and a 101 answer
// whose Sec-WebSocket-Accept proves the server read that key.
#ifndef LOAD_HANDSHAKE_H
#define LOAD_HANDSHAKE_H

#include <stddef.h>
#include <stdint.h>

/* Writes the upgrade request into `out`; returns its length, 0 if it does not fit. */
size_t handshake_request(char *out, size_t size, const char *host, uint16_t port, const char *path);

enum handshake_state { HANDSHAKE_INCOMPLETE, HANDSHAKE_ACCEPTED, HANDSHAKE_REFUSED };

/*
 * Reads the response received so far. Accepted: `header_end` is where frames begin (the server may
 * send some right behind its headers). Refused: `error` says why.
 */
enum handshake_state handshake_response(const char *response, size_t length, size_t *header_end, char *error, size_t error_size);

#endif
