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

static void
begin(struct strbuf *sb, const char *level)
{
    struct timeval tv;
    char ts[40];

    gettimeofday(&tv, NULL);
    clock_format_rfc3339(tv.tv_sec, (int)tv.tv_usec, ts, sizeof ts);
    strbuf_printf(sb, "{\"ts\":\"%s\",\"level\":\"%s\"", ts, level);
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

    vsnprintf(msg, sizeof msg, fmt, ap);
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
    strbuf_printf(&sb, ",\"status\":%d,\"duration_us\":%lld", status, (long long)duration_us);
    finish(&sb);
}
