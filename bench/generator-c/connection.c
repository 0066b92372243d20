#include "connection.h"

#include <sys/epoll.h>

int connection_watch(int epoll_fd, struct connection *connection, uint32_t events) {
  if (connection->watched && connection->events == events) return 0;
  struct epoll_event event = {.events = events, .data.ptr = connection};
  int operation = connection->watched ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
  connection->watched = 1;
  connection->events = events;
  return epoll_ctl(epoll_fd, operation, connection->fd, &event);
}

void connection_unwatch(int epoll_fd, struct connection *connection) {
  if (!connection->watched) return;
  epoll_ctl(epoll_fd, EPOLL_CTL_DEL, connection->fd, NULL);
  connection->watched = 0;
  connection->events = 0;
}
