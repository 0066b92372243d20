#include "load.h"

#include <stdarg.h>
#include <stdio.h>

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
    printf(",\"cpuUserMs\":%.3f,\"cpuSystemMs\":%.3f,\"wallMs\":%.3f", (double)figures->cpu_user_ns / 1e6, (double)figures->cpu_system_ns / 1e6, (double)figures->wall_ns / 1e6);
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
