/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Whole reads and writes on a file descriptor: read(2) and write(2) may move fewer bytes than
 * asked and may be interrupted by a signal (EINTR); these loop until done. */
#ifndef RECOURS_CORE_FD_IO_H
#define RECOURS_CORE_FD_IO_H

#include <stdbool.h>
#include <stddef.h>

/* Writes the len bytes of data; false with errno set on an error (a write of 0 bytes is EIO). */
bool fd_write_all(int fd, const void *data, size_t len);

/* Reads until end of file or until cap bytes are in buf, their count in *len_out; false with
 * errno set on an error. */
bool fd_read_all(int fd, void *buf, size_t cap, size_t *len_out);

#endif
