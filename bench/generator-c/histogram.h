// Round-trip times in microseconds, in log buckets: exact below 2048 us, within 0.1% above (1024
// sub-buckets per power of two, the resolution of an HDR histogram with 3 significant digits), up to
// 2^32 us. A multi-second stall still lands in a bucket instead of being clipped.
#ifndef LOAD_HISTOGRAM_H
#define LOAD_HISTOGRAM_H

#include <stdint.h>

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

#endif
