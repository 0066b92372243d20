// Wall and CPU time in nanoseconds. CLOCK_MONOTONIC is read through the vDSO: no system call, so
// timing every round trip costs tens of nanoseconds.
#ifndef LOAD_CLOCK_H
#define LOAD_CLOCK_H

#include <stdint.h>
#include <sys/resource.h>
#include <time.h>

static inline uint64_t now_ns(void) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec;
}

/* CPU time this process has used so far, user and system (getrusage). */
struct cpu_time {
  uint64_t user_ns;
  uint64_t system_ns;
};

static inline struct cpu_time cpu_now(void) {
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  struct cpu_time time = {
    (uint64_t)usage.ru_utime.tv_sec * 1000000000u + (uint64_t)usage.ru_utime.tv_usec * 1000u,
    (uint64_t)usage.ru_stime.tv_sec * 1000000000u + (uint64_t)usage.ru_stime.tv_usec * 1000u,
  };
  return time;
}

#endif
