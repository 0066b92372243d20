// The bench's load generator: one thread, epoll, cheaper per message than the fastest server (or it would
// measure itself). Modes echo, handshake, idle; JSON lines out ("window" and "holding" events, then
// "result"), read by bench/generator.ts; exit 2 on bad flags.
#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MS 1000000u
#define CONNECT_BUDGET_MS 30000
// Whatever happens to the server, the generator stops by itself this long after its plan's end.
#define HARD_LIMIT_EXTRA_S 60

// Wall and CPU time in nanoseconds. CLOCK_MONOTONIC is read through the vDSO: no system call, so
// timing every round trip costs tens of nanoseconds.
static uint64_t clock_ns(clockid_t clock) {
  struct timespec now;
  clock_gettime(clock, &now);
  return (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec;
}
static uint64_t now_ns(void) { return clock_ns(CLOCK_MONOTONIC); }

// Errors of a run: how many, and the first one in words (the result's firstError).
struct tally {
  uint64_t errors;
  char first_error[256];
};

__attribute__((format(printf, 2, 3))) static void tally_error(struct tally *tally, const char *format, ...) {
  tally->errors += 1;
  if (tally->errors > 1) return;
  va_list arguments;
  va_start(arguments, format);
  vsnprintf(tally->first_error, sizeof tally->first_error, format, arguments);
  va_end(arguments);
  // It goes into a JSON string as it is (a server's status line could hold anything).
  for (char *at = tally->first_error; *at; at += 1) *at = *at == '"' || *at == '\\' || (unsigned char)*at < 0x20 ? '\'' : *at;
}

// What a measured window saw: `count` echoes or handshake cycles, each one's latency in microseconds
// (every sample kept, so the percentiles are exact), and the CPU spent.
struct figures {
  uint32_t *latencies;
  size_t samples, capacity;
  uint64_t count, wall_ns, cpu_ns;
};

static void record_latency(struct figures *figures, uint64_t micros) {
  if (figures->samples == figures->capacity) {
    figures->capacity = figures->capacity ? 2 * figures->capacity : 1 << 16;
    figures->latencies = realloc(figures->latencies, figures->capacity * sizeof *figures->latencies);
    if (!figures->latencies) abort();
  }
  figures->latencies[figures->samples++] = micros > UINT32_MAX ? UINT32_MAX : (uint32_t)micros;
}

static int by_value(const void *a, const void *b) {
  uint32_t left = *(const uint32_t *)a, right = *(const uint32_t *)b;
  return (left > right) - (left < right);
}

// An event line such as {"event":"window","phase":"start"}, flushed at once.
static void print_event(const char *json) {
  printf("%s\n", json);
  fflush(stdout);
}

// The result line; `figures` is NULL for a mode that measures nothing (idle).
static void print_result(const char *mode, struct figures *figures, int opened, const struct tally *tally) {
  printf("{\"event\":\"result\",\"mode\":\"%s\",\"opened\":%d,\"errors\":%llu", mode, opened, (unsigned long long)tally->errors);
  if (tally->errors > 0) printf(",\"firstError\":\"%s\"", tally->first_error);
  if (figures) {
    size_t samples = figures->samples;
    qsort(figures->latencies, samples, sizeof *figures->latencies, by_value);
    // The value at each percentile's rank, in milliseconds; the last one is the maximum.
    const double percentiles[] = {50, 90, 99, 99.9, 100};
    double ms[5] = {0};
    for (int index = 0; index < 5 && samples > 0; index += 1) {
      size_t rank = (size_t)ceil(percentiles[index] / 100 * (double)samples);
      ms[index] = figures->latencies[(rank < 1 ? 1 : rank) - 1] / 1000.0;
    }
    double seconds = (double)figures->wall_ns / 1e9;
    printf(",\"perSecond\":%.1f,\"latency\":{\"count\":%zu,\"p50Ms\":%.3f,\"p90Ms\":%.3f,\"p99Ms\":%.3f,\"p999Ms\":%.3f,\"maxMs\":%.3f}", seconds > 0 ? (double)figures->count / seconds : 0,
           samples, ms[0], ms[1], ms[2], ms[3], ms[4]);
    printf(",\"cpuMs\":%.3f,\"wallMs\":%.3f", (double)figures->cpu_ns / 1e6, (double)figures->wall_ns / 1e6);
  }
  printf("}\n");
  fflush(stdout);
}

// RFC 6455 framing, client side (§5.3 masked out, §5.1 unmasked in). Echoes are checked byte for byte as
// they stream in, so a 1 MiB message needs no buffer and 1000 connections share one read buffer.
enum { OPCODE_CONTINUATION = 0, OPCODE_TEXT = 1, OPCODE_BINARY = 2, OPCODE_CLOSE = 8, OPCODE_PING = 9, OPCODE_PONG = 10 };

// Longest client frame header: 2 bytes, 8 of extended length, 4 of masking key.
#define FRAME_HEADER_MAX 14
#define CONTROL_PAYLOAD_MAX 125

// What the reader found in the bytes it was given: FRAME_MESSAGE, a whole data message (whether it
// equals the expected one is in `message_matches`); FRAME_PROTOCOL_ERROR, the server broke the protocol.
enum frame_event { FRAME_NEED_MORE, FRAME_MESSAGE, FRAME_CLOSE, FRAME_PROTOCOL_ERROR };

// The message every echo must equal.
struct expected_message {
  const uint8_t *payload;
  size_t length;
  int opcode;
};

// Parser state of one connection, kept between reads.
struct frame_reader {
  uint8_t header[FRAME_HEADER_MAX];
  uint8_t header_length;
  int in_payload;
  int opcode;
  int fin;
  uint64_t payload_left;
  /* The data message in progress (or the last one), how much of it matched so far. */
  int in_message;
  int message_opcode;
  uint64_t message_length;
  int message_differs;
  /* Set by FRAME_MESSAGE. */
  int message_matches;
  /* Payload of the last control frame. */
  uint8_t control[CONTROL_PAYLOAD_MAX];
  size_t control_length;
  const char *error;
};

// A final client frame of `payload` masked by `mask` into `out`; returns its length. Masks default to
// all-zero (they guard against proxies, and loopback has none); --nonzero-mask makes servers unmask.
static size_t frame_build(uint8_t *out, int opcode, const uint8_t *payload, size_t length, const uint8_t mask[4]) {
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
    if (!reader->in_message) return fail(reader, "continuation frame outside a message");
  } else if (reader->opcode == OPCODE_TEXT || reader->opcode == OPCODE_BINARY) {
    if (reader->in_message) return fail(reader, "new message before the last one ended");
    reader->in_message = 1;
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
  // Pings go unanswered: a run ends long before a heartbeat gives up on a peer.
  if (reader->opcode == OPCODE_CLOSE) return FRAME_CLOSE;
  if (!reader->fin || reader->opcode >= OPCODE_CLOSE) return FRAME_NEED_MORE;
  reader->message_matches = !reader->message_differs && reader->message_length == expected->length;
  reader->in_message = 0;
  return FRAME_MESSAGE;
}

static enum frame_event frame_reader_next(struct frame_reader *reader, const uint8_t **data, size_t *length, const struct expected_message *expected) {
  for (;;) {
    if (!reader->in_payload) {
      // A byte at a time: two, then the extended length the second announces (§5.2).
      if (*length == 0) return FRAME_NEED_MORE;
      reader->header[reader->header_length++] = *(*data)++;
      *length -= 1;
      const uint8_t *header = reader->header;
      // No extension was negotiated, so RSV bits must be clear (§5.2); a server never masks (§5.1).
      if (reader->header_length == 2 && header[0] & 0x70) return fail(reader, "RSV bits set without an extension");
      if (reader->header_length == 2 && header[1] & 0x80) return fail(reader, "server frame is masked");
      uint8_t short_length = header[1] & 0x7f;
      if (reader->header_length < 2 || reader->header_length < (short_length == 126 ? 4 : short_length == 127 ? 10 : 2)) continue;
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

// One client connection: its socket, where it is in the handshake, and its echo state; and the
// bounded opening of many (a flood of handshakes would measure SYN retries, not the server).
enum connection_state { CONNECTION_UNUSED, CONNECTION_CONNECTING, CONNECTION_HANDSHAKING, CONNECTION_OPEN, CONNECTION_CLOSED };

#define RESPONSE_MAX 4096

// Where to connect, and the upgrade request every connection sends.
struct target {
  struct sockaddr_in address;
  char request[512];
  size_t request_length;
};

struct connection {
  int fd;
  enum connection_state state;
  const struct target *target;
  /* NUL-terminated, so header lookups can use the string functions. */
  char response[RESPONSE_MAX + 1];
  size_t response_length;
  /* Frames the server sent right behind its 101 headers start here in `response`. */
  size_t frames_start;
  struct frame_reader reader;
  /* Closed loop: one message in flight, sent at sent_at_ns. */
  int in_flight;
  uint64_t sent_at_ns;
  /* The shared data frame is being written (data_sent bytes so far). */
  int data_pending;
  size_t data_sent;
};

// Every connection sends the RFC's own example key (§1.3) and checks its accept value: the check still
// proves the server read the key, and a random key guards against caches that loopback does not have.
static const char key[] = "dGhlIHNhbXBsZSBub25jZQ==";
static const char accept_value[] = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

// Source addresses rotate over 127.0.0.1..8: each has its own ephemeral ports, so the TIME_WAITs of
// earlier runs against the same server leave room for new sockets.
#define SOURCE_ADDRESSES 8

static void connection_drop(struct connection *connection, struct tally *tally, const char *why) {
  if (tally && why) tally_error(tally, "%s", why);
  if (connection->fd >= 0) close(connection->fd);
  connection->fd = -1;
  connection->state = CONNECTION_CLOSED;
}

static int connection_watch(int epoll_fd, struct connection *connection, int operation, uint32_t events) {
  struct epoll_event event = {.events = events, .data.ptr = connection};
  return epoll_ctl(epoll_fd, operation, connection->fd, &event);
}

static void connection_start(int epoll_fd, struct connection *connection, int index, const struct target *target, struct tally *tally) {
  connection->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  connection->state = CONNECTION_CONNECTING;
  if (connection->fd < 0) {
    connection_drop(connection, tally, strerror(errno));
    return;
  }
  int one = 1;
  // Small frames go out at once, as every WebSocket library does (ws sets noDelay too).
  setsockopt(connection->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if ((ntohl(target->address.sin_addr.s_addr) >> 24) == 127) {
    // The port is picked at connect time, per destination, rather than at bind time for any.
    setsockopt(connection->fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
    struct sockaddr_in source = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(0x7f000001u + (uint32_t)(index % SOURCE_ADDRESSES))};
    if (bind(connection->fd, (struct sockaddr *)&source, sizeof source) != 0) {
      connection_drop(connection, tally, strerror(errno));
      return;
    }
  }
  if (connect(connection->fd, (const struct sockaddr *)&target->address, sizeof target->address) != 0 && errno != EINPROGRESS) {
    connection_drop(connection, tally, strerror(errno));
    return;
  }
  connection->target = target;
  connection->response_length = 0;
  if (connection_watch(epoll_fd, connection, EPOLL_CTL_ADD, EPOLLOUT) != 0) connection_drop(connection, tally, strerror(errno));
}

/* The request is far smaller than a new socket's send buffer: it goes in one write or not at all. */
static void send_request(int epoll_fd, struct connection *connection, struct tally *tally) {
  const struct target *target = connection->target;
  ssize_t sent = send(connection->fd, target->request, target->request_length, MSG_NOSIGNAL);
  if (sent != (ssize_t)target->request_length) connection_drop(connection, tally, sent < 0 ? strerror(errno) : "short write of the request");
  else if (connection_watch(epoll_fd, connection, EPOLL_CTL_MOD, EPOLLIN) != 0) connection_drop(connection, tally, strerror(errno));
}

static void read_response(struct connection *connection, struct tally *tally) {
  for (;;) {
    size_t room = RESPONSE_MAX - connection->response_length;
    if (room == 0) {
      connection_drop(connection, tally, "handshake response headers too long");
      return;
    }
    ssize_t received = recv(connection->fd, connection->response + connection->response_length, room, 0);
    if (received == 0) {
      connection_drop(connection, tally, "socket hang up");
      return;
    }
    if (received < 0) {
      if (errno == EINTR) continue;
      if (errno != EAGAIN) connection_drop(connection, tally, strerror(errno));
      return;
    }
    connection->response_length += (size_t)received;
    connection->response[connection->response_length] = '\0';
    const char *response = connection->response, *end = memmem(response, connection->response_length, "\r\n\r\n", 4);
    if (!end) continue;
    // The accept header, by name in any case, then optional spaces and exactly the value before the line ends.
    static const char name[] = "\r\nsec-websocket-accept:";
    const char *value = strcasestr(response, name);
    if (value && value < end) value += sizeof name - 1 + strspn(value + sizeof name - 1, " \t");
    if (strncmp(response, "HTTP/1.1 101", 12) != 0) {
      char error[200];
      snprintf(error, sizeof error, "Unexpected server response: %.*s", (int)strcspn(response, "\r"), response);
      connection_drop(connection, tally, error);
    } else if (!value || value > end || strncmp(value, accept_value, strlen(accept_value)) != 0 || !strchr(" \t\r", value[strlen(accept_value)])) {
      connection_drop(connection, tally, "Invalid Sec-WebSocket-Accept header");
    } else {
      connection->frames_start = (size_t)(end - response) + 4;
      connection->state = CONNECTION_OPEN;
    }
    return;
  }
}

static void connection_advance(int epoll_fd, struct connection *connection, uint32_t events, struct tally *tally) {
  if (connection->state == CONNECTION_HANDSHAKING && events & (EPOLLIN | EPOLLHUP | EPOLLERR)) read_response(connection, tally);
  if (connection->state != CONNECTION_CONNECTING) return;
  int failure = 0;
  socklen_t size = sizeof failure;
  if (getsockopt(connection->fd, SOL_SOCKET, SO_ERROR, &failure, &size) != 0) failure = errno;
  if (failure != 0) {
    connection_drop(connection, tally, strerror(failure));
    return;
  }
  connection->state = CONNECTION_HANDSHAKING;
  send_request(epoll_fd, connection, tally);
}

static int open_connections(int epoll_fd, struct connection *connections, int count, const struct target *target, int concurrency, uint64_t deadline_ns, struct tally *tally) {
  int started = 0, opened = 0, pending = 0;
  struct epoll_event events[256];
  while (started < count || pending > 0) {
    while (started < count && pending < concurrency) {
      connection_start(epoll_fd, &connections[started], started, target, tally);
      started += 1;
      if (connections[started - 1].state != CONNECTION_CLOSED) pending += 1;
    }
    uint64_t now = now_ns();
    if (now >= deadline_ns) break;
    int timeout_ms = (int)((deadline_ns - now + 999999) / 1000000);
    int ready = epoll_wait(epoll_fd, events, 256, timeout_ms);
    if (ready < 0 && errno != EINTR) break;
    for (int index = 0; index < ready; index += 1) {
      struct connection *connection = events[index].data.ptr;
      connection_advance(epoll_fd, connection, events[index].events, tally);
      if (connection->state == CONNECTION_OPEN) {
        // Quiet until every connection is open and the next phase watches it again.
        epoll_ctl(epoll_fd, EPOLL_CTL_DEL, connection->fd, NULL);
        opened += 1;
      }
      if (connection->state == CONNECTION_OPEN || connection->state == CONNECTION_CLOSED) pending -= 1;
    }
  }
  // Out of time: what is still connecting counts as failed, as a handshake timeout would.
  for (int index = 0; index < started; index += 1) {
    enum connection_state state = connections[index].state;
    if (state == CONNECTION_CONNECTING || state == CONNECTION_HANDSHAKING) connection_drop(&connections[index], tally, "Opening handshake has timed out");
  }
  return opened;
}

// After the window, the last round trips may finish, so the server is not hit with resets mid-write.
#define DRAIN_MS 2000
#define READ_BUFFER_SIZE (256 * 1024)
#define EVENTS_PER_WAIT 1024

// Closed-loop echo: each connection has exactly one message in flight, so throughput and latency
// are the server's answer to a fixed number of patient clients (no coordinated-omission backlog).
struct echo_run {
  struct expected_message expected;
  /* The data frame every connection sends, built once: its mask is the same for every message. */
  const uint8_t *frame;
  size_t frame_length;
  struct figures *figures;
  struct tally *tally;
  int measuring;
  int stopped;
  int in_flight;
};

/* One read buffer for every connection: echoes are checked as they arrive, nothing is kept. */
static uint8_t read_buffer[READ_BUFFER_SIZE];

static void lose(struct echo_run *run, struct connection *connection, const char *why) {
  if (connection->in_flight) run->in_flight -= 1;
  connection->in_flight = 0;
  // Once the window is over, a connection going away is no longer the server's fault.
  connection_drop(connection, run->stopped ? NULL : run->tally, why);
}

/* Writes the rest of the data frame in flight; edge-triggered EPOLLOUT says when the socket takes more. */
static void flush(struct echo_run *run, struct connection *connection) {
  while (connection->data_pending) {
    ssize_t written = send(connection->fd, run->frame + connection->data_sent, run->frame_length - connection->data_sent, MSG_NOSIGNAL);
    if (written < 0) {
      if (errno == EINTR) continue;
      if (errno != EAGAIN) lose(run, connection, strerror(errno));
      return;
    }
    connection->data_sent += (size_t)written;
    connection->data_pending = connection->data_sent < run->frame_length;
  }
}

static void send_message(struct echo_run *run, struct connection *connection) {
  connection->in_flight = 1;
  run->in_flight += 1;
  connection->sent_at_ns = now_ns();
  connection->data_pending = 1;
  connection->data_sent = 0;
  flush(run, connection);
}

static void on_echo(struct echo_run *run, struct connection *connection) {
  const struct frame_reader *reader = &connection->reader;
  if (!connection->in_flight) {
    lose(run, connection, "a message arrived that was not an echo");
    return;
  }
  connection->in_flight = 0;
  run->in_flight -= 1;
  if (!reader->message_matches) {
    tally_error(run->tally, "echo differs: %llu bytes, binary=%s", (unsigned long long)reader->message_length, reader->message_opcode == OPCODE_BINARY ? "true" : "false");
  }
  if (run->measuring) {
    record_latency(run->figures, (now_ns() - connection->sent_at_ns + 500) / 1000);
    run->figures->count += 1;
  }
  if (!run->stopped) send_message(run, connection);
}

/* Feeds received bytes through the frame reader; stops early if the connection is lost. */
static void consume(struct echo_run *run, struct connection *connection, const uint8_t *data, size_t length) {
  while (connection->state == CONNECTION_OPEN) {
    switch (frame_reader_next(&connection->reader, &data, &length, &run->expected)) {
      case FRAME_NEED_MORE: return;
      case FRAME_MESSAGE: on_echo(run, connection); break;
      case FRAME_CLOSE: {
        const struct frame_reader *reader = &connection->reader;
        int code = reader->control_length >= 2 ? reader->control[0] << 8 | reader->control[1] : 1005;
        char why[64];
        snprintf(why, sizeof why, "server closed a connection with %d", code);
        lose(run, connection, why);
        return;
      }
      case FRAME_PROTOCOL_ERROR: lose(run, connection, connection->reader.error); return;
    }
  }
}

static void on_readable(struct echo_run *run, struct connection *connection) {
  while (connection->state == CONNECTION_OPEN) {
    ssize_t received = recv(connection->fd, read_buffer, sizeof read_buffer, 0);
    if (received > 0) {
      consume(run, connection, read_buffer, (size_t)received);
      // A short read emptied the socket, and whatever arrives later is a new edge for epoll.
      if ((size_t)received < sizeof read_buffer) return;
      continue;
    }
    if (received == 0) {
      lose(run, connection, "server closed the TCP connection without a close frame");
      return;
    }
    if (errno == EINTR) continue;
    if (errno != EAGAIN) lose(run, connection, strerror(errno));
    return;
  }
}

static void run_echo(int epoll_fd, struct connection *connections, int count, struct echo_run run, long warmup_ms, long duration_ms) {
  for (int index = 0; index < count; index += 1) {
    struct connection *connection = &connections[index];
    if (connection->state != CONNECTION_OPEN) continue;
    // Connections start zeroed (calloc): no frame read, nothing in flight.
    // Edge-triggered, and both directions for good: level-triggered epoll polls every ready socket
    // a second time on the next wait, and toggling EPOLLOUT would be a system call per large frame.
    if (connection_watch(epoll_fd, connection, EPOLL_CTL_ADD, EPOLLIN | EPOLLOUT | EPOLLET) != 0) {
      lose(&run, connection, strerror(errno));
      continue;
    }
    consume(&run, connection, (const uint8_t *)connection->response + connection->frames_start, connection->response_length - connection->frames_start);
    if (connection->state == CONNECTION_OPEN) send_message(&run, connection);
  }

  uint64_t started = now_ns();
  uint64_t window_starts = started + (uint64_t)warmup_ms * MS;
  uint64_t window_ends = window_starts + (uint64_t)duration_ms * MS;
  uint64_t drain_ends = window_ends + (uint64_t)DRAIN_MS * MS;
  uint64_t cpu_at_start = 0;
  static struct epoll_event events[EVENTS_PER_WAIT];

  for (;;) {
    uint64_t now = now_ns();
    if (!run.measuring && !run.stopped && now >= window_starts) {
      run.figures->samples = run.figures->count = 0;
      run.measuring = 1;
      print_event("{\"event\":\"window\",\"phase\":\"start\"}");
      window_starts = now_ns();
      cpu_at_start = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
    }
    if (run.measuring && now >= window_ends) {
      run.measuring = 0;
      run.stopped = 1;
      run.figures->wall_ns = now - window_starts;
      run.figures->cpu_ns = clock_ns(CLOCK_PROCESS_CPUTIME_ID) - cpu_at_start;
      print_event("{\"event\":\"window\",\"phase\":\"end\"}");
    }
    if (run.stopped && (run.in_flight == 0 || now >= drain_ends)) break;
    uint64_t next = !run.measuring && !run.stopped ? window_starts : run.measuring ? window_ends : drain_ends;
    int timeout_ms = next > now ? (int)((next - now + 999999) / 1000000) : 0;
    int ready = epoll_wait(epoll_fd, events, EVENTS_PER_WAIT, timeout_ms);
    if (ready < 0) {
      if (errno == EINTR) continue;
      tally_error(run.tally, "epoll_wait: %s", strerror(errno));
      break;
    }
    for (int index = 0; index < ready; index += 1) {
      struct connection *connection = events[index].data.ptr;
      if (connection->state != CONNECTION_OPEN) continue;
      if (events[index].events & EPOLLOUT && connection->data_pending) flush(&run, connection);
      if (connection->state == CONNECTION_OPEN && events[index].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) on_readable(&run, connection);
    }
  }
}

// A close the server does not finish in this time is dropped; a failed open waits this long before the next.
#define CLOSE_WAIT_MS 5000
#define RETRY_PAUSE_MS 20
// Handshakes still in flight when the window ends may finish for this long (a client's handshake timeout).
#define HANDSHAKE_TIMEOUT_MS 10000

struct lane {
  struct connection connection; /* First, so an epoll event's pointer is the lane's too. */
  uint64_t started_ns;
  uint64_t closing_until_ns;
  uint64_t next_start_ns;
};

// A close frame with code 1000, masked with the all-zero key (frame_build).
static const uint8_t close_frame[] = {0x88, 0x82, 0, 0, 0, 0, 0x03, 0xe8};

static void end_cycle(struct lane *lane, uint64_t now, uint64_t window_ends, int *cycles) {
  connection_drop(&lane->connection, NULL, NULL);
  lane->closing_until_ns = 0;
  lane->next_start_ns = now;
  if (now <= window_ends) *cycles += 1;
}

// The modes that only open and close connections. Handshakes: `concurrency` loops of open, close 1000,
// the server's FIN, for `duration_ms`; only cycles ending inside it count; `figures` holds time-to-open.
static int run_handshakes(int epoll_fd, const struct target *target, int concurrency, long duration_ms, struct figures *figures, struct tally *tally) {
  struct lane *lanes = calloc((size_t)concurrency, sizeof *lanes);
  if (!lanes) return 0;
  uint64_t started = now_ns();
  uint64_t window_ends = started + (uint64_t)duration_ms * MS;
  int cycles = 0;
  static struct epoll_event events[1024];
  for (int busy = 1; busy;) {
    uint64_t now = now_ns();
    busy = 0;
    for (int index = 0; index < concurrency; index += 1) {
      struct lane *lane = &lanes[index];
      enum connection_state state = lane->connection.state;
      if (lane->closing_until_ns && now >= lane->closing_until_ns) end_cycle(lane, now, window_ends, &cycles);
      else if (now > window_ends + (uint64_t)HANDSHAKE_TIMEOUT_MS * MS && (state == CONNECTION_CONNECTING || state == CONNECTION_HANDSHAKING))
        connection_drop(&lane->connection, tally, "Opening handshake has timed out");
      else if ((state == CONNECTION_UNUSED || state == CONNECTION_CLOSED) && now < window_ends && now >= lane->next_start_ns) {
        lane->started_ns = now;
        connection_start(epoll_fd, &lane->connection, index, target, tally);
        if (lane->connection.state == CONNECTION_CLOSED) lane->next_start_ns = now + RETRY_PAUSE_MS * MS;
      }
      state = lane->connection.state;
      busy |= now < window_ends || state == CONNECTION_CONNECTING || state == CONNECTION_HANDSHAKING || lane->closing_until_ns;
    }
    int ready = epoll_wait(epoll_fd, events, 1024, 5);
    now = now_ns();
    for (int index = 0; index < ready; index += 1) {
      struct lane *lane = events[index].data.ptr;
      struct connection *connection = &lane->connection;
      if (lane->closing_until_ns) {
        // After our close: read until the server ends TCP, which is where a client's close completes.
        static uint8_t discard[4096];
        ssize_t received;
        while ((received = recv(connection->fd, discard, sizeof discard, 0)) > 0) continue;
        if (received == 0 || errno != EAGAIN) end_cycle(lane, now, window_ends, &cycles);
        continue;
      }
      connection_advance(epoll_fd, connection, events[index].events, tally);
      if (connection->state == CONNECTION_CLOSED) lane->next_start_ns = now + RETRY_PAUSE_MS * MS;
      if (connection->state != CONNECTION_OPEN) continue;
      record_latency(figures, (now - lane->started_ns + 500) / 1000);
      lane->closing_until_ns = now + (uint64_t)CLOSE_WAIT_MS * MS;
      if (send(connection->fd, close_frame, sizeof close_frame, MSG_NOSIGNAL) != (ssize_t)sizeof close_frame) end_cycle(lane, now, window_ends, &cycles);
    }
  }
  figures->count = (uint64_t)cycles;
  figures->wall_ns = (uint64_t)duration_ms * MS;
  free(lanes);
  return cycles;
}

// Holds the open connections silent until stdin says "release" (or ends), or `hold_ms` passes; a
// connection the server closes meanwhile is an error.
static void hold_idle(int epoll_fd, struct connection *connections, int count, long hold_ms, struct tally *tally) {
  for (int index = 0; index < count; index += 1) {
    if (connections[index].state == CONNECTION_OPEN) connection_watch(epoll_fd, &connections[index], EPOLL_CTL_ADD, EPOLLIN | EPOLLRDHUP);
  }
  // stdin is the runner's pipe; a NULL event pointer marks it.
  struct epoll_event input = {.events = EPOLLIN, .data.ptr = NULL};
  epoll_ctl(epoll_fd, EPOLL_CTL_ADD, STDIN_FILENO, &input);
  uint64_t ends = now_ns() + (uint64_t)hold_ms * MS;
  static struct epoll_event events[1024];
  for (;;) {
    uint64_t now = now_ns();
    if (now >= ends) return;
    int ready = epoll_wait(epoll_fd, events, 1024, (int)((ends - now) / MS) + 1);
    for (int index = 0; index < ready; index += 1) {
      struct connection *connection = events[index].data.ptr;
      char bytes[4096];
      if (!connection) {
        ssize_t got = read(STDIN_FILENO, bytes, sizeof bytes - 1);
        if (got <= 0) return;
        bytes[got] = '\0';
        if (strstr(bytes, "release")) return;
        continue;
      }
      // Pings go unanswered: a hold ends long before a heartbeat gives up on a silent peer.
      ssize_t received = recv(connection->fd, bytes, sizeof bytes, 0);
      if (received == 0 || (received < 0 && errno != EAGAIN)) connection_drop(connection, tally, "sockets closed while idle");
    }
  }
}

static int parse_number(const char *text, long min, long max, long *out) {
  char *end = NULL;
  long value = strtol(text, &end, 10);
  if (end == text || *end != '\0' || value < min || value > max) return -1;
  *out = value;
  return 0;
}

int main(int argc, char **argv) {
  // The flags bench/generator.ts passes; --nonzero-mask takes no value.
  long port = 0, connections = 1, bytes = 32, warmup_ms = 0, duration_ms = 1000, concurrency = 100, hold_ms = 60000;
  const char *mode = "echo", *host = "", *path = "/echo";
  int text = 0, nonzero_mask = 0;
  const struct {
    const char *flag;
    long *value;
    long min, max;
  } numbers[] = {
      {"--port", &port, 1, 65535},
      {"--connections", &connections, 1, 100000},
      // Up to the servers' 1 MiB message limit.
      {"--bytes", &bytes, 0, 1 << 20},
      {"--warmup-ms", &warmup_ms, 0, 600000},
      {"--duration-ms", &duration_ms, 1, 600000},
      {"--concurrency", &concurrency, 1, 10000},
      {"--hold-ms", &hold_ms, 1, 600000},
  };
  for (int index = 1; index < argc; index += 1) {
    const char *flag = argv[index];
    if (strcmp(flag, "--nonzero-mask") == 0) {
      nonzero_mask = 1;
      continue;
    }
    const char *value = index + 1 < argc ? argv[++index] : "";
    int bad = -1;
    for (size_t number = 0; number < sizeof numbers / sizeof numbers[0]; number += 1) {
      if (strcmp(flag, numbers[number].flag) == 0) bad = parse_number(value, numbers[number].min, numbers[number].max, numbers[number].value);
    }
    if (strcmp(flag, "--host") == 0) host = value, bad = 0;
    if (strcmp(flag, "--path") == 0) path = value, bad = value[0] != '/' || strlen(value) >= 256;
    if (strcmp(flag, "--frame") == 0) bad = !(text = strcmp(value, "text") == 0) && strcmp(value, "binary") != 0;
    if (strcmp(flag, "--mode") == 0) mode = value, bad = strcmp(value, "echo") && strcmp(value, "handshake") && strcmp(value, "idle");
    if (bad) {
      fprintf(stderr, "load: bad or unknown flag %s %s\n", flag, value);
      return 2;
    }
  }
  if (host[0] == '\0' || port == 0) {
    fprintf(stderr, "load: usage: load --mode echo|handshake|idle --host IPv4 --port N [--path /echo] [--connections N] [--bytes N] [--frame binary|text] [--warmup-ms N] [--duration-ms N] [--concurrency N] [--hold-ms N] [--nonzero-mask]\n");
    return 2;
  }
  static struct target target;
  target.request_length = (size_t)snprintf(target.request, sizeof target.request,
                                           "GET %s HTTP/1.1\r\nHost: %s:%ld\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                           "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n",
                                           path, host, port, key);
  target.address.sin_family = AF_INET;
  target.address.sin_port = htons((uint16_t)port);
  if (inet_pton(AF_INET, host, &target.address.sin_addr) != 1) {
    fprintf(stderr, "load: the host must be a numeric IPv4 address, got %s\n", host);
    return 2;
  }
  // Idle runs hold thousands of sockets: the soft open-file limit goes up to the hard one.
  struct rlimit files;
  if (getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < files.rlim_max) {
    files.rlim_cur = files.rlim_max;
    setrlimit(RLIMIT_NOFILE, &files);
  }
  // SIGALRM's default action ends the process: the runner reports a generator that ended with no result.
  alarm((unsigned)((CONNECT_BUDGET_MS + warmup_ms + duration_ms + hold_ms) / 1000 + HARD_LIMIT_EXTRA_S));

  struct figures figures = {0};
  struct tally tally = {0};
  int epoll_fd = epoll_create1(EPOLL_CLOEXEC);
  struct connection *connection_list = calloc((size_t)connections, sizeof *connection_list);
  if (!connection_list || epoll_fd < 0) {
    fprintf(stderr, "load: out of memory or no epoll\n");
    return 1;
  }
  if (strcmp(mode, "handshake") == 0) {
    int cycles = run_handshakes(epoll_fd, &target, (int)concurrency, duration_ms, &figures, &tally);
    print_result(mode, &figures, cycles, &tally);
    return 0;
  }
  uint64_t connect_deadline = now_ns() + (uint64_t)(strcmp(mode, "idle") == 0 ? hold_ms : CONNECT_BUDGET_MS) * MS;
  int opened = open_connections(epoll_fd, connection_list, (int)connections, &target, (int)concurrency, connect_deadline, &tally);
  if (strcmp(mode, "idle") == 0) {
    char holding[96];
    snprintf(holding, sizeof holding, "{\"event\":\"holding\",\"opened\":%d,\"errors\":%llu}", opened, (unsigned long long)tally.errors);
    print_event(holding);
    hold_idle(epoll_fd, connection_list, (int)connections, hold_ms, &tally);
    print_result(mode, NULL, opened, &tally);
    return 0;
  }

  // Text payloads are ASCII letters, so every server sees valid UTF-8 of exactly `bytes` bytes; binary
  // ones random (getrandom fills up to 32 MiB in one call, and messages stay under 1 MiB).
  uint8_t *payload = malloc((size_t)bytes + 1), *frame = malloc(FRAME_HEADER_MAX + (size_t)bytes);
  if (!payload || !frame || (!text && getrandom(payload, (size_t)bytes, 0) != (ssize_t)bytes)) {
    fprintf(stderr, "load: out of memory\n");
    return 1;
  }
  for (long index = 0; text && index < bytes; index += 1) payload[index] = (uint8_t)('a' + index % 26);
  // The RFC's example key (§5.7): any non-zero key makes every server unmask, as it must for a browser.
  const uint8_t *mask = (const uint8_t *)(nonzero_mask ? "\x37\xfa\x21\x3d" : "\0\0\0\0");
  struct echo_run run = {.expected = {payload, (size_t)bytes, text ? OPCODE_TEXT : OPCODE_BINARY}, .frame = frame, .figures = &figures, .tally = &tally};
  run.frame_length = frame_build(frame, run.expected.opcode, payload, (size_t)bytes, mask);
  if (opened > 0) run_echo(epoll_fd, connection_list, (int)connections, run, warmup_ms, duration_ms);
  print_result(mode, &figures, opened, &tally);
  return 0;
}
