// What one run of the load generator is asked to do: bench/generator.ts passes it as flags.
#ifndef LOAD_OPTIONS_H
#define LOAD_OPTIONS_H

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
  /* A random non-zero masking key (drawn once per run) instead of the all-zero key; see frame.h. */
  int nonzero_mask;
};

/* Fills `options` from argv; on a bad argument writes why into `error` and returns -1. */
int parse_options(int argc, char **argv, struct options *options, char *error, size_t error_size);

#endif
