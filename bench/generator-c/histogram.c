#include "load.h"

#include <math.h>
#include <string.h>

static unsigned bucket_of(uint64_t value) {
  if (value >= (1ull << 32)) value = (1ull << 32) - 1;
  if (value < 2u * HISTOGRAM_SUB_COUNT) return (unsigned)value;
  unsigned top_bit = 63u - (unsigned)__builtin_clzll(value);
  unsigned shift = top_bit - HISTOGRAM_SUB_BITS;
  unsigned mantissa = (unsigned)(value >> shift); /* in [SUB_COUNT, 2 * SUB_COUNT) */
  return 2u * HISTOGRAM_SUB_COUNT + (shift - 1u) * HISTOGRAM_SUB_COUNT + (mantissa - HISTOGRAM_SUB_COUNT);
}

static uint64_t highest_in_bucket(unsigned bucket) {
  if (bucket < 2u * HISTOGRAM_SUB_COUNT) return bucket;
  unsigned rest = bucket - 2u * HISTOGRAM_SUB_COUNT;
  unsigned shift = rest / HISTOGRAM_SUB_COUNT + 1u;
  uint64_t mantissa = rest % HISTOGRAM_SUB_COUNT + HISTOGRAM_SUB_COUNT;
  return ((mantissa + 1u) << shift) - 1u;
}

void histogram_reset(struct histogram *histogram) { memset(histogram, 0, sizeof *histogram); }

void histogram_record(struct histogram *histogram, uint64_t micros) {
  histogram->counts[bucket_of(micros)] += 1;
  histogram->total += 1;
  if (micros > histogram->max) histogram->max = micros;
}

uint64_t histogram_percentile(const struct histogram *histogram, double percentile) {
  if (histogram->total == 0) return 0;
  uint64_t wanted = (uint64_t)ceil(percentile / 100.0 * (double)histogram->total);
  if (wanted < 1) wanted = 1;
  uint64_t seen = 0;
  for (unsigned bucket = 0; bucket < HISTOGRAM_BUCKETS; bucket += 1) {
    seen += histogram->counts[bucket];
    if (seen >= wanted) {
      uint64_t value = highest_in_bucket(bucket);
      return value < histogram->max ? value : histogram->max;
    }
  }
  return histogram->max;
}
