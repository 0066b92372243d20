#include "load.h"

#include <stdarg.h>
#include <stdio.h>
#include <math.h>
#include <string.h>

static void print_json_string(const char *text) {
  putchar('"');
  for (const unsigned char *at = (const unsigned char *)text; *at; at += 1) {
    if (*at == '"' || *at == '\\') printf("\\%c", *at);
    else if (*at < 0x20) printf("\\u%04x", *at);
    else putchar(*at);
  }
  putchar('"');
}

void print_event(const char *json) {
  printf("%s\n", json);
  fflush(stdout);
}

void print_result(const char *mode, const struct figures *figures, int opened, const struct tally *tally) {
  printf("{\"event\":\"result\",\"mode\":\"%s\",\"opened\":%d,\"errors\":%llu", mode, opened, (unsigned long long)tally->errors);
  if (tally->errors > 0) {
    printf(",\"firstError\":");
    print_json_string(tally->first_error);
  }
  if (figures) {
    const struct histogram *latency = &figures->latency;
    double seconds = (double)figures->wall_ns / 1e9;
    printf(",\"perSecond\":%.1f,\"latency\":{\"count\":%llu,\"p50Ms\":%.3f,\"p90Ms\":%.3f,\"p99Ms\":%.3f,\"p999Ms\":%.3f,\"maxMs\":%.3f}", seconds > 0 ? (double)figures->count / seconds : 0,
           (unsigned long long)latency->total, (double)histogram_percentile(latency, 50) / 1000, (double)histogram_percentile(latency, 90) / 1000,
           (double)histogram_percentile(latency, 99) / 1000, (double)histogram_percentile(latency, 99.9) / 1000, (double)latency->max / 1000);
    printf(",\"cpuMs\":%.3f,\"wallMs\":%.3f", (double)figures->cpu_ns / 1e6, (double)figures->wall_ns / 1e6);
  }
  printf("}\n");
  fflush(stdout);
}

void tally_error(struct tally *tally, const char *format, ...) {
  tally->errors += 1;
  if (tally->errors > 1) return;
  va_list arguments;
  va_start(arguments, format);
  vsnprintf(tally->first_error, sizeof tally->first_error, format, arguments);
  va_end(arguments);
}

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
