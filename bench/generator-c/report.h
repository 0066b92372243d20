// The one JSON line a run prints: the shape of bench/plan.ts's LoadResult, so the runner reads this
// generator's result exactly as it reads the Node one's.
#ifndef ECHO_LOAD_REPORT_H
#define ECHO_LOAD_REPORT_H

#include "tally.h"

struct echo_figures;

void print_result(const struct echo_figures *figures, int opened, const struct tally *tally);

/* Says the measured window opens ("start") or closes ("end"), so the runner can read the server's CPU time over the same window. */
void print_window(const char *phase);

#endif
