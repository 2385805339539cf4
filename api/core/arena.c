/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Arena: chunks of at least 4 KiB, large requests get a chunk of their own. */
#include "core/arena.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

#define CHUNK_MIN 4096

struct chunk {
    struct chunk *next;
    size_t used;
    size_t cap;
    alignas(max_align_t) unsigned char data[];
};

struct deferred {
    struct deferred *next;
    void (*fn)(void *);
    void *ptr;
};

struct arena {
    struct chunk *chunks;
    struct deferred *deferred;
};

struct arena *
arena_new(void)
{
    return xcalloc(1, sizeof(struct arena));
}

static struct chunk *
chunk_new(size_t cap)
{
    struct chunk *c = xmalloc(sizeof *c + cap);

    c->next = NULL;
    c->used = 0;
    c->cap = cap;
    return c;
}

void *
arena_alloc(struct arena *a, size_t n)
{
    const size_t align = alignof(max_align_t);
    size_t need = (n + align - 1) & ~(align - 1);
    struct chunk *c = a->chunks;

    if (need < n || need > SIZE_MAX - sizeof(struct chunk))
        abort(); /* size overflow: a bug, never client-driven past our limits */
    if (c == NULL || c->cap - c->used < need) {
        c = chunk_new(need > CHUNK_MIN ? need : CHUNK_MIN);
        c->next = a->chunks;
        a->chunks = c;
    }
    void *p = c->data + c->used;
    c->used += need;
    memset(p, 0, n);
    return p;
}

char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
    char *p = arena_alloc(a, n + 1);

    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *
arena_strdup(struct arena *a, const char *s)
{
    return arena_strndup(a, s, strlen(s));
}

char *
arena_printf(struct arena *a, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return arena_strdup(a, "");
    char *p = arena_alloc(a, (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

void
arena_defer(struct arena *a, void (*fn)(void *), void *ptr)
{
    struct deferred *d = arena_alloc(a, sizeof *d);

    d->fn = fn;
    d->ptr = ptr;
    d->next = a->deferred;
    a->deferred = d;
}

void
arena_free(struct arena *a)
{
    if (a == NULL)
        return;
    for (struct deferred *d = a->deferred; d != NULL; d = d->next)
        d->fn(d->ptr);
    struct chunk *c = a->chunks;
    while (c != NULL) {
        struct chunk *next = c->next;
        explicit_bzero(c->data, c->used);
        free(c);
        c = next;
    }
    free(a);
}
