// RFC 6455 framing from the client's side: frames it sends are masked (§5.3), frames the server
// sends are not (§5.1). Echoes are checked as they stream in, byte for byte against the payload that
// was sent, so a 1 MiB message needs no buffer and 1000 connections share one read buffer.
#ifndef LOAD_FRAME_H
#define LOAD_FRAME_H

#include <stddef.h>
#include <stdint.h>

enum { OPCODE_CONTINUATION = 0, OPCODE_TEXT = 1, OPCODE_BINARY = 2, OPCODE_CLOSE = 8, OPCODE_PING = 9, OPCODE_PONG = 10 };

/* Longest client frame header: 2 bytes, 8 of extended length, 4 of masking key. */
#define FRAME_HEADER_MAX 14
#define CONTROL_PAYLOAD_MAX 125

/*
 * A whole client frame (FIN set) with `payload` masked by `mask` into `out` (FRAME_HEADER_MAX + length
 * bytes); returns its length. Masks default to all-zero: they guard against proxies on the path, and
 * loopback has none. --nonzero-mask makes every server unmask, as it must for a browser.
 */
size_t frame_build(uint8_t *out, int opcode, const uint8_t *payload, size_t length, const uint8_t mask[4]);

/* What the reader found in the bytes it was given. */
enum frame_event {
  FRAME_NEED_MORE,
  /* A whole data message ended; `message_matches` says whether it equals the expected one. */
  FRAME_MESSAGE,
  FRAME_PING,
  FRAME_PONG,
  FRAME_CLOSE,
  /* The server broke the protocol; `error` says how. */
  FRAME_PROTOCOL_ERROR,
};

/* The message every echo must equal. */
struct expected_message {
  const uint8_t *payload;
  size_t length;
  int opcode;
};

/* Parser state of one connection, kept between reads. */
struct frame_reader {
  uint8_t header[FRAME_HEADER_MAX];
  uint8_t header_length;
  uint8_t header_needed;
  int in_payload;
  int opcode;
  int fin;
  uint64_t payload_left;
  /* The data message in progress (opcode 0: none), how much of it matched so far. */
  int message_opcode;
  uint64_t message_length;
  int message_differs;
  /* Set by FRAME_MESSAGE. */
  int message_matches;
  uint64_t last_message_length;
  int last_message_opcode;
  /* Payload of the last control frame (FRAME_PING, FRAME_PONG, FRAME_CLOSE). */
  uint8_t control[CONTROL_PAYLOAD_MAX];
  size_t control_length;
  const char *error;
};

void frame_reader_init(struct frame_reader *reader);

/* Consumes bytes from *data (advancing it and *length) up to the next event. */
enum frame_event frame_reader_next(struct frame_reader *reader, const uint8_t **data, size_t *length, const struct expected_message *expected);

#endif
