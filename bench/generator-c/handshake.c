#include "handshake.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include "sha1.h"

// RFC 6455 §1.3: the server appends this GUID to the key before hashing.
static const char websocket_guid[] = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

static void base64(const uint8_t *data, size_t length, char *out) {
  static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  size_t at = 0;
  for (size_t index = 0; index < length; index += 3) {
    uint32_t group = (uint32_t)data[index] << 16;
    if (index + 1 < length) group |= (uint32_t)data[index + 1] << 8;
    if (index + 2 < length) group |= data[index + 2];
    out[at++] = alphabet[group >> 18 & 63];
    out[at++] = alphabet[group >> 12 & 63];
    out[at++] = index + 1 < length ? alphabet[group >> 6 & 63] : '=';
    out[at++] = index + 2 < length ? alphabet[group & 63] : '=';
  }
  out[at] = '\0';
}

size_t handshake_request(char *out, size_t size, const char *host, uint16_t port, const char *path, char accept[ACCEPT_VALUE_SIZE]) {
  uint8_t nonce[16];
  if (getrandom(nonce, sizeof nonce, 0) != (ssize_t)sizeof nonce) memset(nonce, 0x5a, sizeof nonce);
  char key[32];
  base64(nonce, sizeof nonce, key);

  char hashed_text[96];
  int hashed_length = snprintf(hashed_text, sizeof hashed_text, "%s%s", key, websocket_guid);
  uint8_t digest[20];
  sha1((const uint8_t *)hashed_text, (size_t)hashed_length, digest);
  base64(digest, sizeof digest, accept);

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

enum handshake_state handshake_response(const char *response, size_t length, const char *accept, size_t *header_end, char *error, size_t error_size) {
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
  if (!value || value_length != strlen(accept) || memcmp(value, accept, value_length) != 0) {
    snprintf(error, error_size, "Invalid Sec-WebSocket-Accept header");
    return HANDSHAKE_REFUSED;
  }
  return HANDSHAKE_ACCEPTED;
}
