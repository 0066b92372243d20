#include "tally.h"

#include <stdarg.h>
#include <stdio.h>

void tally_error(struct tally *tally, const char *format, ...) {
  tally->errors += 1;
  if (tally->errors > 1) return;
  va_list arguments;
  va_start(arguments, format);
  vsnprintf(tally->first_error, sizeof tally->first_error, format, arguments);
  va_end(arguments);
}
