#include "load.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define MS 1000000u
// A close the server does not finish in this time is dropped; a failed open waits this long before the next.
#define CLOSE_WAIT_MS 5000
#define RETRY_PAUSE_MS 20
// Handshakes still in flight when the window ends may finish for this long (a client's handshake timeout).
#define HANDSHAKE_TIMEOUT_MS 10000

struct lane {
  struct connection connection; /* First, so an epoll event's pointer is the lane's too. */
  uint64_t started_ns;
  uint64_t closing_until_ns;
  uint64_t next_start_ns;
};

// A close frame with code 1000, masked with the all-zero key (frame_build).
static const uint8_t close_frame[] = {0x88, 0x82, 0, 0, 0, 0, 0x03, 0xe8};

static void end_cycle(struct lane *lane, uint64_t now, uint64_t window_ends, int *cycles) {
  connection_drop(&lane->connection, NULL, NULL);
  lane->closing_until_ns = 0;
  lane->next_start_ns = now;
  if (now <= window_ends) *cycles += 1;
}

int run_handshakes(int epoll_fd, const struct target *target, int concurrency, long duration_ms, struct figures *figures, struct tally *tally) {
  struct lane *lanes = calloc((size_t)concurrency, sizeof *lanes);
  if (!lanes) return 0;
  histogram_reset(&figures->latency);
  uint64_t started = now_ns();
  uint64_t window_ends = started + (uint64_t)duration_ms * MS;
  int cycles = 0;
  static struct epoll_event events[1024];
  for (int busy = 1; busy;) {
    uint64_t now = now_ns();
    busy = 0;
    for (int index = 0; index < concurrency; index += 1) {
      struct lane *lane = &lanes[index];
      enum connection_state state = lane->connection.state;
      if (lane->closing_until_ns && now >= lane->closing_until_ns) end_cycle(lane, now, window_ends, &cycles);
      else if (now > window_ends + (uint64_t)HANDSHAKE_TIMEOUT_MS * MS && (state == CONNECTION_CONNECTING || state == CONNECTION_HANDSHAKING))
        connection_drop(&lane->connection, tally, "Opening handshake has timed out");
      else if ((state == CONNECTION_UNUSED || state == CONNECTION_CLOSED) && now < window_ends && now >= lane->next_start_ns) {
        lane->started_ns = now;
        connection_start(epoll_fd, &lane->connection, index, target, tally);
        if (lane->connection.state == CONNECTION_CLOSED) lane->next_start_ns = now + RETRY_PAUSE_MS * MS;
      }
      state = lane->connection.state;
      busy |= now < window_ends || state == CONNECTION_CONNECTING || state == CONNECTION_HANDSHAKING || lane->closing_until_ns;
    }
    int ready = epoll_wait(epoll_fd, events, 1024, 5);
    now = now_ns();
    for (int index = 0; index < ready; index += 1) {
      struct lane *lane = events[index].data.ptr;
      struct connection *connection = &lane->connection;
      if (lane->closing_until_ns) {
        // After our close: read until the server ends TCP, which is where a client's close completes.
        static uint8_t discard[4096];
        ssize_t received;
        while ((received = recv(connection->fd, discard, sizeof discard, 0)) > 0) continue;
        if (received == 0 || errno != EAGAIN) end_cycle(lane, now, window_ends, &cycles);
        continue;
      }
      connection_advance(epoll_fd, connection, events[index].events, tally);
      if (connection->state == CONNECTION_CLOSED) lane->next_start_ns = now + RETRY_PAUSE_MS * MS;
      if (connection->state != CONNECTION_OPEN) continue;
      histogram_record(&figures->latency, (now - lane->started_ns + 500) / 1000);
      lane->closing_until_ns = now + (uint64_t)CLOSE_WAIT_MS * MS;
      if (send(connection->fd, close_frame, sizeof close_frame, MSG_NOSIGNAL) != (ssize_t)sizeof close_frame) end_cycle(lane, now, window_ends, &cycles);
    }
  }
  figures->count = (uint64_t)cycles;
  figures->wall_ns = (uint64_t)duration_ms * MS;
  free(lanes);
  return cycles;
}

void hold_idle(int epoll_fd, struct connection *connections, int count, long hold_ms, struct tally *tally) {
  for (int index = 0; index < count; index += 1) {
    if (connections[index].state == CONNECTION_OPEN) connection_watch(epoll_fd, &connections[index], EPOLL_CTL_ADD, EPOLLIN | EPOLLRDHUP);
  }
  // stdin is the runner's pipe; a NULL event pointer marks it.
  struct epoll_event input = {.events = EPOLLIN, .data.ptr = NULL};
  epoll_ctl(epoll_fd, EPOLL_CTL_ADD, STDIN_FILENO, &input);
  uint64_t ends = now_ns() + (uint64_t)hold_ms * MS;
  static struct epoll_event events[1024];
  for (;;) {
    uint64_t now = now_ns();
    if (now >= ends) return;
    int ready = epoll_wait(epoll_fd, events, 1024, (int)((ends - now) / MS) + 1);
    for (int index = 0; index < ready; index += 1) {
      struct connection *connection = events[index].data.ptr;
      char bytes[4096];
      if (!connection) {
        ssize_t got = read(STDIN_FILENO, bytes, sizeof bytes - 1);
        if (got <= 0) return;
        bytes[got] = '\0';
        if (strstr(bytes, "release")) return;
        continue;
      }
      // Pings go unanswered: a hold ends long before a heartbeat gives up on a silent peer.
      ssize_t received = recv(connection->fd, bytes, sizeof bytes, 0);
      if (received == 0 || (received < 0 && errno != EAGAIN)) connection_drop(connection, tally, "sockets closed while idle");
    }
  }
}
