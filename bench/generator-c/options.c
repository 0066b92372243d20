// Flags: --url ws://HOST:PORT/PATH --connections N --bytes N --frame binary|text
//        --warmup-ms N --duration-ms N [--nonzero-mask]
#include "options.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int parse_count(const char *text, long min, long max, long *out) {
  char *end = NULL;
  long value = strtol(text, &end, 10);
  if (end == text || *end != '\0' || value < min || value > max) return -1;
  *out = value;
  return 0;
}

/* Only what the bench sends: ws://, a numeric host, an explicit port, a path. */
static int parse_url(const char *url, struct options *options) {
  const char *scheme = "ws://";
  if (strncmp(url, scheme, strlen(scheme)) != 0) return -1;
  const char *host = url + strlen(scheme);
  const char *colon = strchr(host, ':');
  if (!colon || (size_t)(colon - host) >= sizeof options->host) return -1;
  memcpy(options->host, host, (size_t)(colon - host));
  options->host[colon - host] = '\0';
  const char *slash = strchr(colon, '/');
  char port_text[8] = {0};
  size_t port_length = slash ? (size_t)(slash - colon - 1) : strlen(colon + 1);
  if (port_length == 0 || port_length >= sizeof port_text) return -1;
  memcpy(port_text, colon + 1, port_length);
  long port;
  if (parse_count(port_text, 1, 65535, &port) != 0) return -1;
  options->port = (uint16_t)port;
  const char *path = slash ? slash : "/";
  if (strlen(path) >= sizeof options->path) return -1;
  strcpy(options->path, path);
  return 0;
}

int parse_options(int argc, char **argv, struct options *options, char *error, size_t error_size) {
  memset(options, 0, sizeof *options);
  options->connections = -1;
  options->warmup_ms = -1;
  options->duration_ms = -1;
  int have_url = 0, have_bytes = 0, have_frame = 0;
  for (int index = 1; index < argc; index += 1) {
    const char *flag = argv[index];
    if (strcmp(flag, "--nonzero-mask") == 0) {
      options->nonzero_mask = 1;
      continue;
    }
    if (index + 1 >= argc) {
      snprintf(error, error_size, "%s needs a value", flag);
      return -1;
    }
    const char *value = argv[++index];
    long number = 0;
    int bad = 0;
    if (strcmp(flag, "--url") == 0) {
      bad = parse_url(value, options);
      have_url = !bad;
    } else if (strcmp(flag, "--connections") == 0) {
      bad = parse_count(value, 1, 100000, &number);
      options->connections = (int)number;
    } else if (strcmp(flag, "--bytes") == 0) {
      // Up to the servers' 1 MiB message limit.
      bad = parse_count(value, 0, 1 << 20, &number);
      options->bytes = (size_t)number;
      have_bytes = !bad;
    } else if (strcmp(flag, "--frame") == 0) {
      bad = strcmp(value, "binary") != 0 && strcmp(value, "text") != 0;
      options->text = strcmp(value, "text") == 0;
      have_frame = !bad;
    } else if (strcmp(flag, "--warmup-ms") == 0) {
      bad = parse_count(value, 0, 600000, &number);
      options->warmup_ms = (int)number;
    } else if (strcmp(flag, "--duration-ms") == 0) {
      bad = parse_count(value, 1, 600000, &number);
      options->duration_ms = (int)number;
    } else {
      snprintf(error, error_size, "unknown flag %s", flag);
      return -1;
    }
    if (bad) {
      snprintf(error, error_size, "bad value for %s: %s", flag, value);
      return -1;
    }
  }
  if (!have_url || options->connections < 0 || !have_bytes || !have_frame || options->warmup_ms < 0 || options->duration_ms < 0) {
    snprintf(error, error_size, "usage: echo-load --url ws://HOST:PORT/PATH --connections N --bytes N --frame binary|text --warmup-ms N --duration-ms N [--nonzero-mask]");
    return -1;
  }
  return 0;
}
