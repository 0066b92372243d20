// One client connection: its socket, where it is in the handshake, and its echo state; and the
// bounded opening of many (a flood of handshakes would measure SYN retries, not the server).
#ifndef LOAD_CONNECTION_H
#define LOAD_CONNECTION_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#include "frame.h"
#include "report.h"

enum connection_state { CONNECTION_UNUSED, CONNECTION_CONNECTING, CONNECTION_HANDSHAKING, CONNECTION_OPEN, CONNECTION_CLOSED };

#define RESPONSE_MAX 4096

struct target {
  struct sockaddr_in address;
  const char *host;
  uint16_t port;
  const char *path;
};

struct connection {
  int fd;
  enum connection_state state;
  /* The epoll events registered for fd, so a change costs a system call only when it is one. */
  int watched;
  uint32_t events;

  char request[512];
  size_t request_length;
  size_t request_sent;
  /* NUL-terminated, so header lookups can use the string functions. */
  char response[RESPONSE_MAX + 1];
  size_t response_length;
  /* Frames the server sent right behind its 101 headers start here in `response`. */
  size_t frames_start;

  struct frame_reader reader;
  /* Closed loop: one message in flight, sent at sent_at_ns. */
  int in_flight;
  uint64_t sent_at_ns;
  /* The shared data frame is being written (data_sent bytes so far). */
  int data_pending;
  size_t data_sent;
  /* A pong (or close) to write, after any data frame already started. */
  uint8_t control[FRAME_HEADER_MAX + CONTROL_PAYLOAD_MAX];
  size_t control_length;
  size_t control_sent;
};

/* Registers or changes fd's epoll interest (the connection is the event's data). */
int connection_watch(int epoll_fd, struct connection *connection, uint32_t events);

/* Starts a connect and handshake; `index` picks the source address. On failure the state is CLOSED. */
void connection_start(int epoll_fd, struct connection *connection, int index, const struct target *target, struct tally *tally);

/* Moves a connecting or handshaking connection on after an epoll event: to OPEN, or CLOSED with the reason tallied. */
void connection_advance(int epoll_fd, struct connection *connection, uint32_t events, struct tally *tally);

/* Closes the socket; `why`, if given, is tallied as an error. */
void connection_drop(struct connection *connection, struct tally *tally, const char *why);

/* Tries `count` connections, `concurrency` at a time, until `deadline_ns`; returns how many are open (unwatched). */
int open_connections(int epoll_fd, struct connection *connections, int count, const struct target *target, int concurrency, uint64_t deadline_ns, struct tally *tally);

#endif
