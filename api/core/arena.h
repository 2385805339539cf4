/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Per-request memory: a bump allocator over chunks plus a list of deferred releases.
 * Everything is wiped (it may hold decrypted personal data) and freed at once by arena_free.
 * An arena belongs to one request, hence to one thread at a time: no locking. */
#ifndef RECOURS_CORE_ARENA_H
#define RECOURS_CORE_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct arena;

struct arena *arena_new(void);

/* n bytes aligned for any type, zeroed; never NULL (aborts on exhaustion). */
void *arena_alloc(struct arena *a, size_t n);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Runs fn(ptr) when the arena is freed, latest registered first (for library objects). */
void arena_defer(struct arena *a, void (*fn)(void *), void *ptr);

/* Runs the deferred releases, wipes and frees every chunk; accepts NULL. */
void arena_free(struct arena *a);

#endif
