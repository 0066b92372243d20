// The bench's load generator: one thread, epoll, cheaper per message than the fastest server (or it would
// measure itself). Modes echo, handshake, idle; flags in options.c; JSON lines out; exit 2 on bad flags.
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <unistd.h>

#include "load.h"

#define CONNECT_BUDGET_MS 30000
// Whatever happens to the server, the generator stops by itself this long after its plan's end.
#define HARD_LIMIT_EXTRA_S 60

static uint8_t *payload_for(const struct options *options) {
  uint8_t *payload = malloc((size_t)options->bytes + 1);
  if (!payload) return NULL;
  // Text payloads are ASCII letters, so every server sees valid UTF-8 of exactly `bytes` bytes.
  if (options->text) {
    for (long index = 0; index < options->bytes; index += 1) payload[index] = (uint8_t)('a' + index % 26);
    return payload;
  }
  // One call: getrandom fills up to 32 MiB at once, and messages stay under 1 MiB.
  if (getrandom(payload, (size_t)options->bytes, 0) != (ssize_t)options->bytes) return NULL;
  return payload;
}

int main(int argc, char **argv) {
  struct options options;
  char error[512];
  if (parse_options(argc, argv, &options, error, sizeof error) != 0) {
    fprintf(stderr, "load: %s\n", error);
    return 2;
  }
  static struct target target;
  target.request_length = handshake_request(target.request, sizeof target.request, options.host, (uint16_t)options.port, options.path);
  target.address.sin_family = AF_INET;
  target.address.sin_port = htons((uint16_t)options.port);
  if (inet_pton(AF_INET, options.host, &target.address.sin_addr) != 1) {
    fprintf(stderr, "load: the host must be a numeric IPv4 address, got %s\n", options.host);
    return 2;
  }
  // Idle runs hold thousands of sockets: the soft open-file limit goes up to the hard one.
  struct rlimit files;
  if (getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < files.rlim_max) {
    files.rlim_cur = files.rlim_max;
    setrlimit(RLIMIT_NOFILE, &files);
  }
  // SIGALRM's default action ends the process: the runner reports a generator that ended with no result.
  alarm((unsigned)((CONNECT_BUDGET_MS + options.warmup_ms + options.duration_ms + options.hold_ms) / 1000 + HARD_LIMIT_EXTRA_S));

  // The histogram alone is ~190 KiB: static rather than on the stack.
  static struct figures figures;
  struct tally tally = {0};
  int epoll_fd = epoll_create1(EPOLL_CLOEXEC);
  if (options.mode == MODE_HANDSHAKE) {
    int cycles = run_handshakes(epoll_fd, &target, (int)options.concurrency, options.duration_ms, &figures, &tally);
    print_result("handshake", &figures, cycles, &tally);
    return 0;
  }
  struct connection *connections = calloc((size_t)options.connections, sizeof *connections);
  if (!connections || epoll_fd < 0) {
    fprintf(stderr, "load: out of memory or no epoll\n");
    return 1;
  }
  uint64_t connect_deadline = now_ns() + (uint64_t)(options.mode == MODE_IDLE ? options.hold_ms : CONNECT_BUDGET_MS) * 1000000u;
  int opened = open_connections(epoll_fd, connections, (int)options.connections, &target, (int)options.concurrency, connect_deadline, &tally);
  if (options.mode == MODE_IDLE) {
    char holding[96];
    snprintf(holding, sizeof holding, "{\"event\":\"holding\",\"opened\":%d,\"errors\":%llu}", opened, (unsigned long long)tally.errors);
    print_event(holding);
    hold_idle(epoll_fd, connections, (int)options.connections, options.hold_ms, &tally);
    print_result("idle", NULL, opened, &tally);
    return 0;
  }

  uint8_t *payload = payload_for(&options);
  struct echo_plan plan = {.warmup_ms = (int)options.warmup_ms, .duration_ms = (int)options.duration_ms};
  // The RFC's example key (§5.7): any non-zero key makes every server unmask, as it must for a browser.
  if (options.nonzero_mask) memcpy(plan.mask, "\x37\xfa\x21\x3d", 4);
  uint8_t *frame = malloc(FRAME_HEADER_MAX + (size_t)options.bytes);
  if (!payload || !frame) {
    fprintf(stderr, "load: out of memory\n");
    return 1;
  }
  plan.expected = (struct expected_message){.payload = payload, .length = (size_t)options.bytes, .opcode = options.text ? OPCODE_TEXT : OPCODE_BINARY};
  plan.frame = frame;
  plan.frame_length = frame_build(frame, plan.expected.opcode, payload, (size_t)options.bytes, plan.mask);
  if (opened > 0) run_echo(epoll_fd, connections, (int)options.connections, &plan, &figures, &tally);
  print_result("echo", &figures, opened, &tally);
  return 0;
}
