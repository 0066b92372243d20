// The JSON lines a run prints, the shape bench/plan.ts reads: "window" and "holding" events, then
// one "result".
#ifndef LOAD_REPORT_H
#define LOAD_REPORT_H

#include <stdint.h>

#include "histogram.h"

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
  uint64_t cpu_user_ns;
  uint64_t cpu_system_ns;
};

/* The result line; `figures` is NULL for a mode that measures nothing (idle). */
void print_result(const char *mode, const struct figures *figures, int opened, const struct tally *tally);

/* An event line such as {"event":"window","phase":"start"}, flushed at once. */
void print_event(const char *json);

#endif
