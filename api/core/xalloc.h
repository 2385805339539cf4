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
/* free() after zeroing the whole block: for blocks a library fills and frees on its own
 * (jansson's parsed bodies and built documents, the replies MHD frees once sent), which may
 * hold personal data that would otherwise stay readable in the heap (docs/decisions.md,
 * "Personal data in freed memory"). NULL is ignored, as free() does. */
void xfree_wiped(void *p);

#endif
