#include "report.h"

#include "echo-loop.h"

#include <sched.h>
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

/* The CPUs this process may run on, as taskset and /proc write them ("0", "0-1", "0,2"). */
static void print_cpus(void) {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) != 0) {
    printf("\"?\"");
    return;
  }
  putchar('"');
  int first = 1;
  for (int cpu = 0; cpu < CPU_SETSIZE; cpu += 1) {
    if (!CPU_ISSET(cpu, &set)) continue;
    int last = cpu;
    while (last + 1 < CPU_SETSIZE && CPU_ISSET(last + 1, &set)) last += 1;
    printf(first ? "%d" : ",%d", cpu);
    if (last > cpu) printf("-%d", last);
    first = 0;
    cpu = last;
  }
  putchar('"');
}

void print_window(const char *phase) {
  printf("{\"event\":\"window\",\"phase\":\"%s\"}\n", phase);
  fflush(stdout);
}

void print_result(const struct echo_figures *figures, int opened, const struct tally *tally) {
  const struct histogram *latency = &figures->latency;
  double seconds = (double)figures->wall_ns / 1e9;
  double per_second = seconds > 0 ? (double)figures->echoed / seconds : 0;
  printf("{\"event\":\"result\",\"mode\":\"echo\",\"generator\":\"c\",\"perSecond\":%.1f,", per_second);
  printf("\"latency\":{\"count\":%llu,\"p50Ms\":%.3f,\"p90Ms\":%.3f,\"p99Ms\":%.3f,\"p999Ms\":%.3f,\"maxMs\":%.3f},", (unsigned long long)latency->total,
         (double)histogram_percentile(latency, 50) / 1000, (double)histogram_percentile(latency, 90) / 1000, (double)histogram_percentile(latency, 99) / 1000,
         (double)histogram_percentile(latency, 99.9) / 1000, (double)latency->max / 1000);
  printf("\"opened\":%d,\"errors\":%llu,", opened, (unsigned long long)tally->errors);
  if (tally->errors > 0) {
    printf("\"firstError\":");
    print_json_string(tally->first_error);
    putchar(',');
  }
  printf("\"cpuUserMs\":%.3f,\"cpuSystemMs\":%.3f,\"wallMs\":%.3f,\"cpus\":", (double)figures->cpu_user_ns / 1e6, (double)figures->cpu_system_ns / 1e6, (double)figures->wall_ns / 1e6);
  print_cpus();
  printf("}\n");
  fflush(stdout);
}
