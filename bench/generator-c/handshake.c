#include "handshake.h"

#include <ctype.h>
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

/* The value of header `name` (case-insensitive) between `start` and `end`, trimmed, or NULL. */
static const char *header_value(const char *start, const char *end, const char *name, size_t *value_length) {
  size_t name_length = strlen(name);
  for (const char *line = start; line < end;) {
    const char *line_end = strstr(line, "\r\n");
    if (!line_end || line_end > end) line_end = end;
    if ((size_t)(line_end - line) > name_length && line[name_length] == ':' && strncasecmp(line, name, name_length) == 0) {
      const char *value = line + name_length + 1;
      while (value < line_end && isspace((unsigned char)*value)) value += 1;
      const char *value_end = line_end;
      while (value_end > value && isspace((unsigned char)value_end[-1])) value_end -= 1;
      *value_length = (size_t)(value_end - value);
      return value;
    }
    line = line_end + 2;
  }
  return NULL;
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
  size_t value_length = 0;
  const char *value = header_value(status_end + 2, end + 2, "sec-websocket-accept", &value_length);
  if (!value || value_length != strlen(accept_value) || memcmp(value, accept_value, value_length) != 0) {
    snprintf(error, error_size, "Invalid Sec-WebSocket-Accept header");
    return HANDSHAKE_REFUSED;
  }
  return HANDSHAKE_ACCEPTED;
}
