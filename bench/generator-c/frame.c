#include "load.h"

#include <string.h>

size_t frame_build(uint8_t *out, int opcode, const uint8_t *payload, size_t length, const uint8_t mask[4]) {
  size_t at = 0;
  out[at++] = (uint8_t)(0x80 | opcode);
  // Lengths use the shortest of the three encodings (§5.2), with the MASK bit set.
  if (length <= 125) {
    out[at++] = (uint8_t)(0x80 | length);
  } else if (length <= 0xffff) {
    out[at++] = 0x80 | 126;
    out[at++] = (uint8_t)(length >> 8);
    out[at++] = (uint8_t)length;
  } else {
    out[at++] = 0x80 | 127;
    for (int shift = 56; shift >= 0; shift -= 8) out[at++] = (uint8_t)((uint64_t)length >> shift);
  }
  memcpy(out + at, mask, 4);
  at += 4;
  for (size_t index = 0; index < length; index += 1) out[at + index] = payload[index] ^ mask[index & 3];
  return at + length;
}

void frame_reader_init(struct frame_reader *reader) {
  memset(reader, 0, sizeof *reader);
  reader->header_needed = 2;
}

static enum frame_event fail(struct frame_reader *reader, const char *why) {
  reader->error = why;
  return FRAME_PROTOCOL_ERROR;
}

/* Called once the whole header is in: checks it and sets up the payload. */
static enum frame_event start_payload(struct frame_reader *reader, const struct expected_message *expected) {
  const uint8_t *header = reader->header;
  uint64_t length = header[1] & 0x7f;
  if (length == 126) {
    length = (uint64_t)header[2] << 8 | header[3];
  } else if (length == 127) {
    length = 0;
    for (int index = 2; index < 10; index += 1) length = length << 8 | header[index];
    if (length >> 63) return fail(reader, "frame length has its most significant bit set");
  }
  reader->fin = (header[0] & 0x80) != 0;
  reader->opcode = header[0] & 0x0f;
  reader->payload_left = length;
  reader->in_payload = 1;
  if (reader->opcode >= OPCODE_CLOSE) {
    if (reader->opcode > OPCODE_PONG) return fail(reader, "reserved control opcode");
    if (!reader->fin || length > CONTROL_PAYLOAD_MAX) return fail(reader, "fragmented or oversized control frame");
    reader->control_length = 0;
    return FRAME_NEED_MORE;
  }
  if (reader->opcode == OPCODE_CONTINUATION) {
    if (!reader->message_opcode) return fail(reader, "continuation frame outside a message");
  } else if (reader->opcode == OPCODE_TEXT || reader->opcode == OPCODE_BINARY) {
    if (reader->message_opcode) return fail(reader, "new message before the last one ended");
    reader->message_opcode = reader->opcode;
    reader->message_length = 0;
    reader->message_differs = reader->opcode != expected->opcode;
  } else {
    return fail(reader, "reserved data opcode");
  }
  return FRAME_NEED_MORE;
}

/* Called when a frame's payload is complete. */
static enum frame_event end_frame(struct frame_reader *reader, const struct expected_message *expected) {
  reader->in_payload = 0;
  reader->header_length = 0;
  reader->header_needed = 2;
  switch (reader->opcode) {
    case OPCODE_PING: return FRAME_PING;
    case OPCODE_PONG: return FRAME_PONG;
    case OPCODE_CLOSE: return FRAME_CLOSE;
    default: break;
  }
  if (!reader->fin) return FRAME_NEED_MORE;
  reader->message_matches = !reader->message_differs && reader->message_length == expected->length;
  reader->last_message_length = reader->message_length;
  reader->last_message_opcode = reader->message_opcode;
  reader->message_opcode = 0;
  return FRAME_MESSAGE;
}

enum frame_event frame_reader_next(struct frame_reader *reader, const uint8_t **data, size_t *length, const struct expected_message *expected) {
  for (;;) {
    if (!reader->in_payload) {
      if (*length == 0) return FRAME_NEED_MORE;
      size_t take = reader->header_needed - reader->header_length;
      if (take > *length) take = *length;
      memcpy(reader->header + reader->header_length, *data, take);
      reader->header_length += (uint8_t)take;
      *data += take;
      *length -= take;
      if (reader->header_length == 2) {
        const uint8_t *header = reader->header;
        // No extension was negotiated, so RSV bits must be clear (§5.2); a server never masks (§5.1).
        if (header[0] & 0x70) return fail(reader, "RSV bits set without an extension");
        if (header[1] & 0x80) return fail(reader, "server frame is masked");
        uint8_t short_length = header[1] & 0x7f;
        reader->header_needed = short_length == 126 ? 4 : short_length == 127 ? 10 : 2;
      }
      if (reader->header_length < reader->header_needed) continue;
      enum frame_event event = start_payload(reader, expected);
      if (event != FRAME_NEED_MORE) return event;
    }
    if (reader->payload_left > 0) {
      if (*length == 0) return FRAME_NEED_MORE;
      size_t take = reader->payload_left < *length ? (size_t)reader->payload_left : *length;
      if (reader->opcode >= OPCODE_CLOSE) {
        memcpy(reader->control + reader->control_length, *data, take);
        reader->control_length += take;
      } else if (!reader->message_differs) {
        uint64_t at = reader->message_length;
        reader->message_differs = at + take > expected->length || memcmp(expected->payload + at, *data, take) != 0;
        reader->message_length += take;
      } else {
        reader->message_length += take;
      }
      *data += take;
      *length -= take;
      reader->payload_left -= take;
      if (reader->payload_left > 0) return FRAME_NEED_MORE;
    }
    enum frame_event event = end_frame(reader, expected);
    if (event != FRAME_NEED_MORE) return event;
  }
}
