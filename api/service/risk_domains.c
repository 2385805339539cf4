/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* See service/risk_domains.h. The set is the file's text in one buffer with a sorted array of
 * pointers into it: about 8,000 domains, a binary search per parent of the looked-up domain. */
#include "service/risk_domains.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/log.h"
#include "core/xalloc.h"

/* A list this large is not a list of domains: refused rather than held. */
#define FILE_MAX_BYTES (16 * 1024 * 1024)

struct domain_set {
    char *text;
    char **domains;
    size_t n;
};

/* current and source_seen are read and written under lock: two threads reload (cli/serve.c on
 * SIGHUP, the risk job at each pass) while the request threads look up. source_path is set by
 * risk_domains_load before those threads start and freed after they stop. */
static pthread_rwlock_t lock = PTHREAD_RWLOCK_INITIALIZER;
static struct domain_set current;
static char *source_path;
static struct stat source_seen;

/* The number of domains in force. */
static size_t
current_count(void)
{
    pthread_rwlock_rdlock(&lock);
    size_t n = current.n;
    pthread_rwlock_unlock(&lock);
    return n;
}

/* Whether st describes the file as it was when the set in force was read from it. */
static bool
is_seen(const struct stat *st)
{
    pthread_rwlock_rdlock(&lock);
    bool same = st->st_ino == source_seen.st_ino && st->st_size == source_seen.st_size &&
                st->st_mtim.tv_sec == source_seen.st_mtim.tv_sec &&
                st->st_mtim.tv_nsec == source_seen.st_mtim.tv_nsec;
    pthread_rwlock_unlock(&lock);
    return same;
}

static int
compare(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
set_free(struct domain_set *s)
{
    free(s->text);
    free(s->domains);
    memset(s, 0, sizeof *s);
}

/* The file's domains into s (lines trimmed and lower-cased, comments and blanks skipped). */
static bool
read_set(const char *path, struct stat *st, struct domain_set *s)
{
    FILE *f = fopen(path, "r");
    bool ok = false;

    memset(s, 0, sizeof *s);
    if (f == NULL || fstat(fileno(f), st) != 0 || st->st_size > FILE_MAX_BYTES)
        goto cleanup;
    s->text = xmalloc((size_t)st->st_size + 1);
    size_t len = fread(s->text, 1, (size_t)st->st_size, f);
    if (ferror(f))
        goto cleanup;
    s->text[len] = '\0';
    s->domains = xmalloc((len / 2 + 1) * sizeof *s->domains);
    for (char *line = s->text, *next; line != NULL && *line != '\0'; line = next) {
        next = strchr(line, '\n');
        if (next != NULL)
            *next++ = '\0';
        line[strcspn(line, "# \t\r")] = '\0';
        for (char *p = line; *p != '\0'; p++)
            if (*p >= 'A' && *p <= 'Z')
                *p = (char)(*p - 'A' + 'a');
        if (line[0] != '\0')
            s->domains[s->n++] = line;
    }
    qsort(s->domains, s->n, sizeof *s->domains, compare);
    ok = true;
cleanup:
    if (f != NULL)
        fclose(f);
    if (!ok)
        set_free(s);
    return ok;
}

static bool
install(const char *path)
{
    struct domain_set next;
    struct stat st;

    if (!read_set(path, &st, &next)) {
        log_error("risk: could not read the disposable domains from %s; keeping %zu", path,
                  current_count());
        return false;
    }
    pthread_rwlock_wrlock(&lock);
    struct domain_set old = current;
    current = next;
    source_seen = st;
    pthread_rwlock_unlock(&lock);
    set_free(&old);
    log_info("risk: %zu disposable email domains from %s", next.n, path);
    return true;
}

bool
risk_domains_load(const char *path)
{
    free(source_path);
    source_path = xstrdup(path);
    return install(path);
}

bool
risk_domains_reload(bool force)
{
    struct stat st;

    if (source_path == NULL)
        return false;
    if (!force && stat(source_path, &st) == 0 && is_seen(&st))
        return false;
    return install(source_path);
}

bool
risk_domains_is_disposable(const char *domain)
{
    bool found = false;

    pthread_rwlock_rdlock(&lock);
    /* the domain, then each parent that still has a dot: a.b.example.com, b.example.com,
     * example.com (never the top-level domain alone) */
    for (const char *d = domain; d != NULL && strchr(d, '.') != NULL && !found;) {
        found = current.n > 0 &&
                bsearch(&d, current.domains, current.n, sizeof *current.domains, compare) != NULL;
        d = strchr(d, '.') + 1;
    }
    pthread_rwlock_unlock(&lock);
    return found;
}

void
risk_domains_free(void)
{
    pthread_rwlock_wrlock(&lock);
    set_free(&current);
    pthread_rwlock_unlock(&lock);
    free(source_path);
    source_path = NULL;
}
