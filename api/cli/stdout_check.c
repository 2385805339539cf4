/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The end of what a command printed on standard output (cli.h cli_stdout_flushed). */
#include <stdarg.h>
#include <stdio.h>

#include "cli/cli.h"

bool
cli_stdout_flushed(const char *cmd, const char *fmt, ...)
{
    /* a full disk or a closed pipe shows at the flush, or earlier as the stream's error */
    if (fflush(stdout) == 0 && !ferror(stdout))
        return true;
    fprintf(stderr, "%s: could not write to standard output", cmd);
    if (fmt != NULL) {
        va_list ap;
        va_start(ap, fmt);
        fputs("; ", stderr);
        vfprintf(stderr, fmt, ap);
        va_end(ap);
    }
    fputc('\n', stderr);
    return false;
}
