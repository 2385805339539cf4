/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* JSON-lines logger. Each line is built in memory and written with one write(2) so lines
 * from different threads never interleave. */
#include "core/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <sys/time.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/strbuf.h"
#include "core/utf8_cut.h"

/* A line starts with the time and the level; the line's buffer is reserved once for a usual
 * line (a request's is about 170 bytes), so it is not grown several times on every request. */
static void
begin(struct strbuf *sb, const char *level)
{
    struct timeval tv;
    char ts[32]; /* clock_format_rfc3339's size; the fast one writes 28 */

    gettimeofday(&tv, NULL);
    if (!clock_format_rfc3339_us((int64_t)tv.tv_sec * 1000000 + tv.tv_usec, ts))
        clock_format_rfc3339(tv.tv_sec, (int)tv.tv_usec, ts, sizeof ts);
    strbuf_reserve(sb, 256);
    strbuf_puts(sb, "{\"ts\":\"");
    strbuf_puts(sb, ts);
    strbuf_puts(sb, "\",\"level\":\"");
    strbuf_puts(sb, level);
    strbuf_append(sb, "\"", 1);
}

static void
finish(struct strbuf *sb)
{
    strbuf_append(sb, "}\n", 2);
    ssize_t off = 0;
    while ((size_t)off < sb->len) {
        ssize_t w = write(STDERR_FILENO, sb->data + off, sb->len - (size_t)off);
        if (w <= 0)
            break;
        off += w;
    }
    strbuf_free(sb);
}

/* format(printf, 2, 0): fmt is checked at the log_* call sites, not here */
__attribute__((format(printf, 2, 0))) static void
vlog(const char *level, const char *fmt, va_list ap)
{
    struct strbuf sb = {0};
    char msg[1024];

    if (vsnprintf(msg, sizeof msg, fmt, ap) >= (int)sizeof msg)
        utf8_cut_incomplete(msg, sizeof msg - 1); /* the line stays valid JSON (UTF-8) */
    begin(&sb, level);
    strbuf_puts(&sb, ",\"msg\":");
    strbuf_json_string(&sb, msg);
    finish(&sb);
}

#define DEFINE_LOG(fn, level)                                                                  \
    void fn(const char *fmt, ...)                                                              \
    {                                                                                          \
        va_list ap;                                                                            \
        va_start(ap, fmt);                                                                     \
        vlog(level, fmt, ap);                                                                  \
        va_end(ap);                                                                            \
    }

DEFINE_LOG(log_debug, "debug")
DEFINE_LOG(log_info, "info")
DEFINE_LOG(log_warn, "warn")
DEFINE_LOG(log_error, "error")
DEFINE_LOG(log_bug, "bug")

void
log_request(const char *request_id, const char *method, const char *route, int status,
            int64_t duration_us)
{
    struct strbuf sb = {0};

    begin(&sb, "info");
    strbuf_puts(&sb, ",\"msg\":\"request\",\"request_id\":");
    strbuf_json_string(&sb, request_id);
    strbuf_puts(&sb, ",\"method\":");
    strbuf_json_string(&sb, method);
    strbuf_puts(&sb, ",\"route\":");
    strbuf_json_string(&sb, route);
    strbuf_puts(&sb, ",\"status\":");
    strbuf_int(&sb, status);
    strbuf_puts(&sb, ",\"duration_us\":");
    strbuf_int(&sb, duration_us);
    finish(&sb);
}
