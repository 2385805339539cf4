/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Allocation that never returns NULL: exhaustion aborts the process, since every input that
 * could make us allocate is bounded by a configured limit. Also handed to jansson. */
#ifndef RECOURS_CORE_XALLOC_H
#define RECOURS_CORE_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

#endif
