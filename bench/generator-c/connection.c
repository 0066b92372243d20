#include "load.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <stdio.h>

// Source addresses rotate over 127.0.0.1..8: each has its own ephemeral ports, so the TIME_WAITs of
// earlier runs against the same server leave room for new sockets.
#define SOURCE_ADDRESSES 8

void connection_drop(struct connection *connection, struct tally *tally, const char *why) {
  if (tally && why) tally_error(tally, "%s", why);
  if (connection->fd >= 0) close(connection->fd);
  connection->fd = -1;
  connection->state = CONNECTION_CLOSED;
}

int connection_watch(int epoll_fd, struct connection *connection, int operation, uint32_t events) {
  struct epoll_event event = {.events = events, .data.ptr = connection};
  return epoll_ctl(epoll_fd, operation, connection->fd, &event);
}

void connection_start(int epoll_fd, struct connection *connection, int index, const struct target *target, struct tally *tally) {
  connection->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  connection->state = CONNECTION_CONNECTING;
  if (connection->fd < 0) {
    connection_drop(connection, tally, strerror(errno));
    return;
  }
  int one = 1;
  // Small frames go out at once, as every WebSocket library does (ws sets noDelay too).
  setsockopt(connection->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if ((ntohl(target->address.sin_addr.s_addr) >> 24) == 127) {
    // The port is picked at connect time, per destination, rather than at bind time for any.
    setsockopt(connection->fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
    struct sockaddr_in source = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(0x7f000001u + (uint32_t)(index % SOURCE_ADDRESSES))};
    if (bind(connection->fd, (struct sockaddr *)&source, sizeof source) != 0) {
      connection_drop(connection, tally, strerror(errno));
      return;
    }
  }
  if (connect(connection->fd, (const struct sockaddr *)&target->address, sizeof target->address) != 0 && errno != EINPROGRESS) {
    connection_drop(connection, tally, strerror(errno));
    return;
  }
  connection->target = target;
  connection->response_length = 0;
  if (connection_watch(epoll_fd, connection, EPOLL_CTL_ADD, EPOLLOUT) != 0) connection_drop(connection, tally, strerror(errno));
}

/* The request is far smaller than a new socket's send buffer: it goes in one write or not at all. */
static void send_request(int epoll_fd, struct connection *connection, struct tally *tally) {
  const struct target *target = connection->target;
  ssize_t sent = send(connection->fd, target->request, target->request_length, MSG_NOSIGNAL);
  if (sent != (ssize_t)target->request_length) connection_drop(connection, tally, sent < 0 ? strerror(errno) : "short write of the request");
  else if (connection_watch(epoll_fd, connection, EPOLL_CTL_MOD, EPOLLIN) != 0) connection_drop(connection, tally, strerror(errno));
}

static void read_response(struct connection *connection, struct tally *tally) {
  for (;;) {
    size_t room = RESPONSE_MAX - connection->response_length;
    if (room == 0) {
      connection_drop(connection, tally, "handshake response headers too long");
      return;
    }
    ssize_t received = recv(connection->fd, connection->response + connection->response_length, room, 0);
    if (received == 0) {
      connection_drop(connection, tally, "socket hang up");
      return;
    }
    if (received < 0) {
      if (errno == EINTR) continue;
      if (errno != EAGAIN) connection_drop(connection, tally, strerror(errno));
      return;
    }
    connection->response_length += (size_t)received;
    connection->response[connection->response_length] = '\0';
    char error[200];
    size_t header_end = 0;
    switch (handshake_response(connection->response, connection->response_length, &header_end, error, sizeof error)) {
      case HANDSHAKE_INCOMPLETE: continue;
      case HANDSHAKE_REFUSED: connection_drop(connection, tally, error); return;
      case HANDSHAKE_ACCEPTED:
        connection->frames_start = header_end;
        connection->state = CONNECTION_OPEN;
        return;
    }
  }
}

void connection_advance(int epoll_fd, struct connection *connection, uint32_t events, struct tally *tally) {
  if (connection->state != CONNECTION_CONNECTING && connection->state != CONNECTION_HANDSHAKING) return;
  if (connection->state == CONNECTION_CONNECTING) {
    int failure = 0;
    socklen_t size = sizeof failure;
    if (getsockopt(connection->fd, SOL_SOCKET, SO_ERROR, &failure, &size) != 0) failure = errno;
    if (failure != 0) {
      connection_drop(connection, tally, strerror(failure));
      return;
    }
    connection->state = CONNECTION_HANDSHAKING;
    send_request(epoll_fd, connection, tally);
    return;
  }
  if (events & (EPOLLIN | EPOLLHUP | EPOLLERR)) read_response(connection, tally);
}

int open_connections(int epoll_fd, struct connection *connections, int count, const struct target *target, int concurrency, uint64_t deadline_ns, struct tally *tally) {
  int started = 0, opened = 0, pending = 0;
  struct epoll_event events[256];
  while (started < count || pending > 0) {
    while (started < count && pending < concurrency) {
      connection_start(epoll_fd, &connections[started], started, target, tally);
      started += 1;
      if (connections[started - 1].state != CONNECTION_CLOSED) pending += 1;
    }
    uint64_t now = now_ns();
    if (now >= deadline_ns) break;
    int timeout_ms = (int)((deadline_ns - now + 999999) / 1000000);
    int ready = epoll_wait(epoll_fd, events, 256, timeout_ms);
    if (ready < 0 && errno != EINTR) break;
    for (int index = 0; index < ready; index += 1) {
      struct connection *connection = events[index].data.ptr;
      connection_advance(epoll_fd, connection, events[index].events, tally);
      if (connection->state == CONNECTION_OPEN) {
        // Quiet until every connection is open and the next phase watches it again.
        epoll_ctl(epoll_fd, EPOLL_CTL_DEL, connection->fd, NULL);
        opened += 1;
      }
      if (connection->state == CONNECTION_OPEN || connection->state == CONNECTION_CLOSED) pending -= 1;
    }
  }
  // Out of time: what is still connecting counts as failed, as a handshake timeout would.
  for (int index = 0; index < started; index += 1) {
    enum connection_state state = connections[index].state;
    if (state == CONNECTION_CONNECTING || state == CONNECTION_HANDSHAKING) connection_drop(&connections[index], tally, "Opening handshake has timed out");
  }
  return opened;
}

// Every connection sends the RFC's own example key (§1.3) and checks its accept value: the check still
// proves the server read the key, and a random key guards against caches that loopback does not have.
static const char key[] = "dGhlIHNhbXBsZSBub25jZQ==";
static const char accept_value[] = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

size_t handshake_request(char *out, size_t size, const char *host, uint16_t port, const char *path) {
  int length = snprintf(out, size,
                        "GET %s HTTP/1.1\r\nHost: %s:%u\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n",
                        path, host, port, key);
  return length > 0 && (size_t)length < size ? (size_t)length : 0;
}

enum handshake_state handshake_response(const char *response, size_t length, size_t *header_end, char *error, size_t error_size) {
  const char *end = memmem(response, length, "\r\n\r\n", 4);
  if (!end) return HANDSHAKE_INCOMPLETE;
  *header_end = (size_t)(end - response) + 4;
  const char *status_end = memmem(response, length, "\r\n", 2);
  if (strncmp(response, "HTTP/1.1 101", 12) != 0) {
    snprintf(error, error_size, "Unexpected server response: %.*s", (int)(status_end - response), response);
    return HANDSHAKE_REFUSED;
  }
  // The header, by name in any case, then optional spaces and exactly the value before the line ends.
  static const char name[] = "\r\nsec-websocket-accept:";
  const char *value = strcasestr(response, name);
  if (value && value < end) value += sizeof name - 1 + strspn(value + sizeof name - 1, " \t");
  if (!value || value > end || strncmp(value, accept_value, strlen(accept_value)) != 0 || !strchr(" \t\r", value[strlen(accept_value)])) {
    snprintf(error, error_size, "Invalid Sec-WebSocket-Accept header");
    return HANDSHAKE_REFUSED;
  }
  return HANDSHAKE_ACCEPTED;
}
