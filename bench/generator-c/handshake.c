#include "load.h"

#include <stdio.h>
#include <string.h>

// Every connection sends the RFC's own example key (§1.3) and checks its accept value: the check still
// proves the server read the key, and a random key guards against caches that loopback does not have.
static const char key[] = "dGhlIHNhbXBsZSBub25jZQ==";
static const char accept_value[] = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

size_t handshake_request(char *out, size_t size, const char *host, uint16_t port, const char *path) {
  int length = snprintf(out, size,
                        "GET %s HTTP/1.1\r\nHost: %s:%u\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n",
                        path, host, port, key);
  return length > 0 && (size_t)length < size ? (size_t)length : 0;
}

enum handshake_state handshake_response(const char *response, size_t length, size_t *header_end, char *error, size_t error_size) {
  const char *end = memmem(response, length, "\r\n\r\n", 4);
  if (!end) return HANDSHAKE_INCOMPLETE;
  *header_end = (size_t)(end - response) + 4;
  const char *status_end = memmem(response, length, "\r\n", 2);
  if (strncmp(response, "HTTP/1.1 101", 12) != 0) {
    snprintf(error, error_size, "Unexpected server response: %.*s", (int)(status_end - response), response);
    return HANDSHAKE_REFUSED;
  }
  // The header, by name in any case, then optional spaces and exactly the value before the line ends.
  static const char name[] = "\r\nsec-websocket-accept:";
  const char *value = strcasestr(response, name);
  if (value && value < end) value += sizeof name - 1 + strspn(value + sizeof name - 1, " \t");
  if (!value || value > end || strncmp(value, accept_value, strlen(accept_value)) != 0 || !strchr(" \t\r", value[strlen(accept_value)])) {
    snprintf(error, error_size, "Invalid Sec-WebSocket-Accept header");
    return HANDSHAKE_REFUSED;
  }
  return HANDSHAKE_ACCEPTED;
}
