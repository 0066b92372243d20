// The two modes that only open and close connections: the handshake rate, and idle connections for
// the memory figure.
#ifndef LOAD_IDLE_AND_HANDSHAKE_H
#define LOAD_IDLE_AND_HANDSHAKE_H

#include "connection.h"
#include "report.h"

/*
 * `concurrency` loops, each opening a connection, closing it cleanly (close 1000, then the server's
 * FIN) and starting over, for `duration_ms`. Only cycles that end inside the window count, so a tail
 * does not flatter the rate; `figures` holds time-to-open. Returns the cycles.
 */
int run_handshakes(int epoll_fd, const struct target *target, int concurrency, long duration_ms, struct figures *figures, struct tally *tally);

/* Holds the open connections silent until stdin says "release" (or ends), or `hold_ms` passes; a connection the server closes meanwhile is an error. */
void hold_idle(int epoll_fd, struct connection *connections, int count, long hold_ms, struct tally *tally);

#endif
