/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Aborting allocation wrappers (see xalloc.h for why aborting is the right failure). */
#include "core/xalloc.h"

#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
out_of_memory(size_t n)
{
    fprintf(stderr, "{\"level\":\"fatal\",\"msg\":\"out of memory\",\"bytes\":%zu}\n", n);
    abort();
}

void *
xmalloc(size_t n)
{
    void *p = malloc(n == 0 ? 1 : n);

    if (p == NULL)
        out_of_memory(n);
    return p;
}

void *
xcalloc(size_t count, size_t size)
{
    void *p = calloc(count == 0 ? 1 : count, size == 0 ? 1 : size);

    if (p == NULL)
        out_of_memory(count * size);
    return p;
}

void *
xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n == 0 ? 1 : n);

    if (q == NULL)
        out_of_memory(n);
    return q;
}

char *
xstrdup(const char *s)
{
    return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
    char *p = xmalloc(n + 1);

    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

void
xfree_wiped(void *p)
{
    if (p == NULL)
        return;
    /* the usable size, not the size asked for: the caller (a library) does not tell it, and
     * what lies past the asked size is the block's own slack, never another block */
    explicit_bzero(p, malloc_usable_size(p));
    free(p);
}
