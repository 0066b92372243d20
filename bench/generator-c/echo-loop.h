// Closed-loop echo: each connection has exactly one message in flight, so throughput and latency
// are the server's answer to a fixed number of patient clients (no coordinated-omission backlog).
#ifndef LOAD_ECHO_LOOP_H
#define LOAD_ECHO_LOOP_H

#include <stdint.h>

#include "connection.h"
#include "frame.h"
#include "report.h"

struct echo_plan {
  struct expected_message expected;
  /* The data frame every connection sends, built once: its mask is the same for every message. */
  const uint8_t *frame;
  size_t frame_length;
  uint8_t mask[4];
  int warmup_ms;
  int duration_ms;
};

/* Runs warm-up, measurement and drain on the open connections, then closes them. */
void run_echo(int epoll_fd, struct connection *connections, int count, const struct echo_plan *plan, struct figures *figures, struct tally *tally);

#endif
