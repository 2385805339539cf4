/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* A whole small file of web/ (the catalogue, a privacy notice) read at start. */
#ifndef RECOURS_WEB_TEXT_FILE_H
#define RECOURS_WEB_TEXT_FILE_H

#include <stddef.h>

/* The file into a NUL-terminated heap buffer (free it), its length in *len when len is not
 * NULL; NULL with errno set when it cannot be read, EFBIG above max bytes. */
char *web_read_text_file(const char *path, size_t max, size_t *len);

#endif
