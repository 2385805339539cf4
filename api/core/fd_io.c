/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* See fd_io.h. */
#include "core/fd_io.h"

#include <errno.h>
#include <unistd.h>

bool
fd_write_all(int fd, const void *data, size_t len)
{
    const char *p = data;

    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            if (n == 0)
                errno = EIO;
            return false;
        }
        p += n;
        len -= (size_t)n;
    }
    return true;
}

bool
fd_read_all(int fd, void *buf, size_t cap, size_t *len_out)
{
    char *p = buf;
    size_t len = 0;

    while (len < cap) {
        ssize_t n = read(fd, p + len, cap - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return false;
        if (n == 0)
            break;
        len += (size_t)n;
    }
    *len_out = len;
    return true;
}
