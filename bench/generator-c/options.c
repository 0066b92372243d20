// Flags: --mode echo|handshake|idle --host IPv4 --port N [--path /echo] [--connections N] [--bytes N]
//        [--frame binary|text] [--warmup-ms N] [--duration-ms N] [--concurrency N] [--hold-ms N] [--nonzero-mask]
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load.h"

static int parse_number(const char *text, long min, long max, long *out) {
  char *end = NULL;
  long value = strtol(text, &end, 10);
  if (end == text || *end != '\0' || value < min || value > max) return -1;
  *out = value;
  return 0;
}

static int copy(char *out, size_t size, const char *value) {
  if (strlen(value) >= size) return -1;
  strcpy(out, value);
  return 0;
}

int parse_options(int argc, char **argv, struct options *options, char *error, size_t error_size) {
  *options = (struct options){.mode = MODE_ECHO, .path = "/echo", .connections = 1, .bytes = 32, .duration_ms = 1000, .concurrency = 100, .hold_ms = 60000};
  const struct {
    const char *flag;
    long *value;
    long min, max;
  } numbers[] = {
      {"--port", &options->port, 1, 65535},
      {"--connections", &options->connections, 1, 100000},
      // Up to the servers' 1 MiB message limit.
      {"--bytes", &options->bytes, 0, 1 << 20},
      {"--warmup-ms", &options->warmup_ms, 0, 600000},
      {"--duration-ms", &options->duration_ms, 1, 600000},
      {"--concurrency", &options->concurrency, 1, 10000},
      {"--hold-ms", &options->hold_ms, 1, 600000},
  };
  for (int index = 1; index < argc; index += 1) {
    const char *flag = argv[index];
    if (strcmp(flag, "--nonzero-mask") == 0) {
      options->nonzero_mask = 1;
      continue;
    }
    const char *value = index + 1 < argc ? argv[++index] : "";
    int bad = -1;
    for (size_t number = 0; number < sizeof numbers / sizeof numbers[0]; number += 1) {
      if (strcmp(flag, numbers[number].flag) == 0) bad = parse_number(value, numbers[number].min, numbers[number].max, numbers[number].value);
    }
    if (strcmp(flag, "--host") == 0) bad = copy(options->host, sizeof options->host, value);
    if (strcmp(flag, "--path") == 0) bad = value[0] == '/' ? copy(options->path, sizeof options->path, value) : -1;
    if (strcmp(flag, "--frame") == 0) {
      options->text = strcmp(value, "text") == 0;
      bad = !options->text && strcmp(value, "binary") != 0;
    }
    if (strcmp(flag, "--mode") == 0) {
      const char *modes[] = {"echo", "handshake", "idle"};
      for (int mode = 0; mode < 3; mode += 1) {
        if (strcmp(value, modes[mode]) == 0) {
          options->mode = (enum mode)mode;
          bad = 0;
        }
      }
    }
    if (bad) {
      snprintf(error, error_size, "bad or unknown flag %s %s", flag, value);
      return -1;
    }
  }
  if (options->host[0] == '\0' || options->port == 0) {
    snprintf(error, error_size, "usage: load --mode echo|handshake|idle --host IPv4 --port N [--path /echo] [--connections N] [--bytes N] [--frame binary|text] [--warmup-ms N] [--duration-ms N] [--concurrency N] [--hold-ms N] [--nonzero-mask]");
    return -1;
  }
  return 0;
}
