// What one run of the echo generator is asked to do: bench/generator.ts passes it as flags.
#ifndef ECHO_LOAD_OPTIONS_H
#define ECHO_LOAD_OPTIONS_H

#include <stddef.h>
#include <stdint.h>

struct options {
  char host[64];
  uint16_t port;
  char path[256];
  int connections;
  size_t bytes;
  /* Text frames of ASCII letters (valid UTF-8), or binary frames of random bytes. */
  int text;
  int warmup_ms;
  int duration_ms;
  /* A random non-zero masking key (drawn once per run) instead of the all-zero key; see frame.h. */
  int nonzero_mask;
};

/* Fills `options` from argv; on a bad argument writes why into `error` and returns -1. */
int parse_options(int argc, char **argv, struct options *options, char *error, size_t error_size);

#endif
