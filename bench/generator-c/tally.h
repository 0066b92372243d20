// Errors of a run: how many, and the first one in words (what the JSON result's firstError says).
#ifndef LOAD_TALLY_H
#define LOAD_TALLY_H

#include <stdint.h>

struct tally {
  uint64_t errors;
  char first_error[256];
};

void tally_error(struct tally *tally, const char *format, ...) __attribute__((format(printf, 2, 3)));

#endif
