#include "load.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

// After the window, the last round trips may finish, so the server is not hit with resets mid-write.
#define DRAIN_MS 2000
#define READ_BUFFER_SIZE (256 * 1024)
#define EVENTS_PER_WAIT 1024

struct echo_run {
  int epoll_fd;
  const struct echo_plan *plan;
  struct figures *figures;
  struct tally *tally;
  int measuring;
  int stopped;
  int in_flight;
};

/* One read buffer for every connection: echoes are checked as they arrive, nothing is kept. */
static uint8_t read_buffer[READ_BUFFER_SIZE];

static void lose(struct echo_run *run, struct connection *connection, const char *why) {
  if (connection->in_flight) run->in_flight -= 1;
  connection->in_flight = 0;
  // Once the window is over, a connection going away is no longer the server's fault.
  connection_drop(connection, run->stopped ? NULL : run->tally, why);
}

/* Writes the rest of the data frame in flight; edge-triggered EPOLLOUT says when the socket takes more. */
static void flush(struct echo_run *run, struct connection *connection) {
  while (connection->data_pending) {
    ssize_t written = send(connection->fd, run->plan->frame + connection->data_sent, run->plan->frame_length - connection->data_sent, MSG_NOSIGNAL);
    if (written < 0) {
      if (errno == EINTR) continue;
      if (errno != EAGAIN) lose(run, connection, strerror(errno));
      return;
    }
    connection->data_sent += (size_t)written;
    connection->data_pending = connection->data_sent < run->plan->frame_length;
  }
}

static void send_message(struct echo_run *run, struct connection *connection) {
  connection->in_flight = 1;
  run->in_flight += 1;
  connection->sent_at_ns = now_ns();
  connection->data_pending = 1;
  connection->data_sent = 0;
  flush(run, connection);
}

static void on_echo(struct echo_run *run, struct connection *connection) {
  const struct frame_reader *reader = &connection->reader;
  if (!connection->in_flight) {
    lose(run, connection, "a message arrived that was not an echo");
    return;
  }
  connection->in_flight = 0;
  run->in_flight -= 1;
  if (!reader->message_matches) {
    tally_error(run->tally, "echo differs: %llu bytes, binary=%s", (unsigned long long)reader->last_message_length, reader->last_message_opcode == OPCODE_BINARY ? "true" : "false");
  }
  if (run->measuring) {
    histogram_record(&run->figures->latency, (now_ns() - connection->sent_at_ns + 500) / 1000);
    run->figures->count += 1;
  }
  if (!run->stopped) send_message(run, connection);
}

/* Feeds received bytes through the frame reader; stops early if the connection is lost. */
static void consume(struct echo_run *run, struct connection *connection, const uint8_t *data, size_t length) {
  while (connection->state == CONNECTION_OPEN) {
    switch (frame_reader_next(&connection->reader, &data, &length, &run->plan->expected)) {
      case FRAME_NEED_MORE: return;
      case FRAME_MESSAGE: on_echo(run, connection); break;
      // Pings go unanswered: a run ends long before a heartbeat gives up on a peer.
      case FRAME_PING: case FRAME_PONG: break;
      case FRAME_CLOSE: {
        const struct frame_reader *reader = &connection->reader;
        int code = reader->control_length >= 2 ? reader->control[0] << 8 | reader->control[1] : 1005;
        char why[64];
        snprintf(why, sizeof why, "server closed a connection with %d", code);
        lose(run, connection, why);
        return;
      }
      case FRAME_PROTOCOL_ERROR: lose(run, connection, connection->reader.error); return;
    }
  }
}

static void on_readable(struct echo_run *run, struct connection *connection) {
  while (connection->state == CONNECTION_OPEN) {
    ssize_t received = recv(connection->fd, read_buffer, sizeof read_buffer, 0);
    if (received > 0) {
      consume(run, connection, read_buffer, (size_t)received);
      // A short read emptied the socket, and whatever arrives later is a new edge for epoll.
      if ((size_t)received < sizeof read_buffer) return;
      continue;
    }
    if (received == 0) {
      lose(run, connection, "server closed the TCP connection without a close frame");
      return;
    }
    if (errno == EINTR) continue;
    if (errno != EAGAIN) lose(run, connection, strerror(errno));
    return;
  }
}

void run_echo(int epoll_fd, struct connection *connections, int count, const struct echo_plan *plan, struct figures *figures, struct tally *tally) {
  struct echo_run run = {.epoll_fd = epoll_fd, .plan = plan, .figures = figures, .tally = tally};

  for (int index = 0; index < count; index += 1) {
    struct connection *connection = &connections[index];
    if (connection->state != CONNECTION_OPEN) continue;
    frame_reader_init(&connection->reader);
    connection->in_flight = 0;
    connection->data_pending = 0;
    // Edge-triggered, and both directions for good: level-triggered epoll polls every ready socket
    // a second time on the next wait, and toggling EPOLLOUT would be a system call per large frame.
    if (connection_watch(epoll_fd, connection, EPOLL_CTL_ADD, EPOLLIN | EPOLLOUT | EPOLLET) != 0) {
      lose(&run, connection, strerror(errno));
      continue;
    }
    consume(&run, connection, (const uint8_t *)connection->response + connection->frames_start, connection->response_length - connection->frames_start);
    if (connection->state == CONNECTION_OPEN) send_message(&run, connection);
  }

  uint64_t started = now_ns();
  uint64_t window_starts = started + (uint64_t)plan->warmup_ms * 1000000u;
  uint64_t window_ends = window_starts + (uint64_t)plan->duration_ms * 1000000u;
  uint64_t drain_ends = window_ends + (uint64_t)DRAIN_MS * 1000000u;
  uint64_t cpu_at_start = 0;
  static struct epoll_event events[EVENTS_PER_WAIT];

  for (;;) {
    uint64_t now = now_ns();
    if (!run.measuring && !run.stopped && now >= window_starts) {
      histogram_reset(&figures->latency);
      figures->count = 0;
      run.measuring = 1;
      print_event("{\"event\":\"window\",\"phase\":\"start\"}");
      window_starts = now_ns();
      cpu_at_start = cpu_ns();
    }
    if (run.measuring && now >= window_ends) {
      run.measuring = 0;
      run.stopped = 1;
      figures->wall_ns = now - window_starts;
      figures->cpu_ns = cpu_ns() - cpu_at_start;
      print_event("{\"event\":\"window\",\"phase\":\"end\"}");
    }
    if (run.stopped && (run.in_flight == 0 || now >= drain_ends)) break;
    uint64_t next = !run.measuring && !run.stopped ? window_starts : run.measuring ? window_ends : drain_ends;
    int timeout_ms = next > now ? (int)((next - now + 999999) / 1000000) : 0;
    int ready = epoll_wait(epoll_fd, events, EVENTS_PER_WAIT, timeout_ms);
    if (ready < 0) {
      if (errno == EINTR) continue;
      tally_error(tally, "epoll_wait: %s", strerror(errno));
      break;
    }
    for (int index = 0; index < ready; index += 1) {
      struct connection *connection = events[index].data.ptr;
      if (connection->state != CONNECTION_OPEN) continue;
      if (events[index].events & EPOLLOUT && connection->data_pending) flush(&run, connection);
      if (connection->state == CONNECTION_OPEN && events[index].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) on_readable(&run, connection);
    }
  }
}
