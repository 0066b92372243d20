// Opens many connections with a bounded number of handshakes in flight, so a server's accept queue
// is not flooded (which would measure SYN retries, not the server).
#ifndef ECHO_LOAD_OPEN_CONNECTIONS_H
#define ECHO_LOAD_OPEN_CONNECTIONS_H

#include <netinet/in.h>
#include <stdint.h>

#include "connection.h"
#include "tally.h"

struct target {
  struct sockaddr_in address;
  const char *host;
  uint16_t port;
  const char *path;
};

/* Tries `count` connections into `connections` until `deadline_ns`; returns how many are open. */
int open_connections(int epoll_fd, struct connection *connections, int count, const struct target *target, int concurrency, uint64_t deadline_ns, struct tally *tally);

#endif
