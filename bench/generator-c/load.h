// The load generator's one internal header, a section per interface: options.c; the clock; the
// histogram, the error tally and the result lines (report.c); frame.c; the handshake and the
// connections (connection.c); echo-loop.c; idle-and-handshake.c.
#ifndef LOAD_H
#define LOAD_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

// What one run of the load generator is asked to do: bench/generator.ts passes it as flags.
enum mode { MODE_ECHO, MODE_HANDSHAKE, MODE_IDLE };

struct options {
  enum mode mode;
  char host[64];
  long port;
  char path[256];
  long connections;
  long bytes;
  /* Text frames of ASCII letters (valid UTF-8), or binary frames of random bytes. */
  int text;
  long warmup_ms;
  long duration_ms;
  /* Handshakes in flight at once (handshake mode: its parallel loops). */
  long concurrency;
  /* Idle: how long to hold if the runner never writes "release". */
  long hold_ms;
  /* A non-zero masking key instead of the all-zero one (frame_build). */
  int nonzero_mask;
};

/* Fills `options` from argv; on a bad argument writes why into `error` and returns -1. */
int parse_options(int argc, char **argv, struct options *options, char *error, size_t error_size);

// Wall and CPU time in nanoseconds. CLOCK_MONOTONIC is read through the vDSO: no system call, so
// timing every round trip costs tens of nanoseconds.
static inline uint64_t clock_ns(clockid_t clock) {
  struct timespec now;
  clock_gettime(clock, &now);
  return (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec;
}
static inline uint64_t now_ns(void) { return clock_ns(CLOCK_MONOTONIC); }
/* CPU time of the whole process, user and system. */
static inline uint64_t cpu_ns(void) { return clock_ns(CLOCK_PROCESS_CPUTIME_ID); }

// Round trips in microseconds in log buckets, to 0.1% (an HDR histogram's 3 significant digits) up to
// 2^32 us: a multi-second stall still lands in a bucket instead of being clipped.
#define HISTOGRAM_SUB_BITS 10
#define HISTOGRAM_SUB_COUNT (1u << HISTOGRAM_SUB_BITS)
/* 2 * SUB_COUNT exact buckets, then SUB_COUNT per power of two from 2^11 to 2^31. */
#define HISTOGRAM_BUCKETS (2u * HISTOGRAM_SUB_COUNT + (32u - HISTOGRAM_SUB_BITS - 1u) * HISTOGRAM_SUB_COUNT)

struct histogram {
  uint64_t counts[HISTOGRAM_BUCKETS];
  uint64_t total;
  uint64_t max;
};

void histogram_reset(struct histogram *histogram);
void histogram_record(struct histogram *histogram, uint64_t micros);
/* The highest value equivalent to the one at `percentile` (0-100), at most the recorded maximum. */
uint64_t histogram_percentile(const struct histogram *histogram, double percentile);

// The JSON lines a run prints (bench/generator.ts reads them): "window" and "holding", then "result".
/* Errors of a run: how many, and the first one in words (the result's firstError). */
struct tally {
  uint64_t errors;
  char first_error[256];
};

void tally_error(struct tally *tally, const char *format, ...) __attribute__((format(printf, 2, 3)));

/* What a measured window saw: `count` echoes or handshake cycles, each one's latency, the CPU spent. */
struct figures {
  struct histogram latency;
  uint64_t count;
  uint64_t wall_ns;
  uint64_t cpu_ns;
};

/* The result line; `figures` is NULL for a mode that measures nothing (idle). */
void print_result(const char *mode, const struct figures *figures, int opened, const struct tally *tally);

/* An event line such as {"event":"window","phase":"start"}, flushed at once. */
void print_event(const char *json);

// RFC 6455 framing, client side (§5.3 masked out, §5.1 unmasked in). Echoes are checked byte for byte as
// they stream in, so a 1 MiB message needs no buffer and 1000 connections share one read buffer.
enum { OPCODE_CONTINUATION = 0, OPCODE_TEXT = 1, OPCODE_BINARY = 2, OPCODE_CLOSE = 8, OPCODE_PING = 9, OPCODE_PONG = 10 };

/* Longest client frame header: 2 bytes, 8 of extended length, 4 of masking key. */
#define FRAME_HEADER_MAX 14
#define CONTROL_PAYLOAD_MAX 125

/* A final client frame of `payload` masked by `mask` into `out`; returns its length. Masks default to
 * all-zero (they guard against proxies, and loopback has none); --nonzero-mask makes servers unmask. */
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

// The opening handshake (RFC 6455 §4.1): a GET with a key, and a 101 whose accept value proves it was read.
/* Writes the upgrade request into `out`; returns its length, 0 if it does not fit. */
size_t handshake_request(char *out, size_t size, const char *host, uint16_t port, const char *path);

enum handshake_state { HANDSHAKE_INCOMPLETE, HANDSHAKE_ACCEPTED, HANDSHAKE_REFUSED };

/* Reads the response so far. Accepted: frames begin at `header_end` (a server may send some at once). Refused: `error` says why. */
enum handshake_state handshake_response(const char *response, size_t length, size_t *header_end, char *error, size_t error_size);

// One client connection: its socket, where it is in the handshake, and its echo state; and the
// bounded opening of many (a flood of handshakes would measure SYN retries, not the server).
enum connection_state { CONNECTION_UNUSED, CONNECTION_CONNECTING, CONNECTION_HANDSHAKING, CONNECTION_OPEN, CONNECTION_CLOSED };

#define RESPONSE_MAX 4096

/* Where to connect, and the upgrade request every connection sends. */
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

/* epoll_ctl for fd, with the connection as the event's data. */
int connection_watch(int epoll_fd, struct connection *connection, int operation, uint32_t events);

/* Starts a connect and handshake; `index` picks the source address. On failure the state is CLOSED. */
void connection_start(int epoll_fd, struct connection *connection, int index, const struct target *target, struct tally *tally);

/* Moves a connecting or handshaking connection on after an epoll event: to OPEN, or CLOSED with the reason tallied. */
void connection_advance(int epoll_fd, struct connection *connection, uint32_t events, struct tally *tally);

/* Closes the socket; `why` is tallied as an error when a tally is given. */
void connection_drop(struct connection *connection, struct tally *tally, const char *why);

/* Tries `count` connections, `concurrency` at a time, until `deadline_ns`; returns how many are open (unwatched). */
int open_connections(int epoll_fd, struct connection *connections, int count, const struct target *target, int concurrency, uint64_t deadline_ns, struct tally *tally);

// Closed-loop echo: each connection has exactly one message in flight, so throughput and latency
// are the server's answer to a fixed number of patient clients (no coordinated-omission backlog).
struct echo_plan {
  struct expected_message expected;
  /* The data frame every connection sends, built once: its mask is the same for every message. */
  const uint8_t *frame;
  size_t frame_length;
  uint8_t mask[4];
  int warmup_ms;
  int duration_ms;
};

/* Runs warm-up, measurement and drain on the open connections (the process's exit drops them). */
void run_echo(int epoll_fd, struct connection *connections, int count, const struct echo_plan *plan, struct figures *figures, struct tally *tally);

// The modes that only open and close connections. Handshakes: `concurrency` loops of open, close 1000,
// the server's FIN, for `duration_ms`; only cycles ending inside it count; `figures` holds time-to-open.
int run_handshakes(int epoll_fd, const struct target *target, int concurrency, long duration_ms, struct figures *figures, struct tally *tally);

/* Holds the open connections silent until stdin says "release" (or ends), or `hold_ms` passes; a connection the server closes meanwhile is an error. */
void hold_idle(int epoll_fd, struct connection *connections, int count, long hold_ms, struct tally *tally);

#endif
