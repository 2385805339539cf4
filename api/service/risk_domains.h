/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The list of disposable email domains (data/disposable_domains.txt, docs/risk.md), held in
 * memory for the intake's lookups and read again from its file without a build or a restart:
 * at start, on SIGHUP (cli/serve.c) and when the file changed (the risk job looks at each
 * pass). A list that cannot be read keeps the one in force. Thread-safe: lookups share a
 * read lock; a reload builds the new set aside and swaps it in. */
#ifndef RECOURS_SERVICE_RISK_DOMAINS_H
#define RECOURS_SERVICE_RISK_DOMAINS_H

#include <stdbool.h>

/* Reads path into the set in force (and remembers path for the reloads). False, logged,
 * when the file cannot be read: the previous set (or an empty one) stays. Called before the
 * threads that reload or look up start. */
bool risk_domains_load(const char *path);

/* Reads the remembered file again if its size, time or inode changed since it was read (or
 * always, with force). True when a new set is in force. */
bool risk_domains_reload(bool force);

/* Whether domain (lower case) or one of its parent domains is listed. */
bool risk_domains_is_disposable(const char *domain);

/* Frees the set, after the threads that reload have stopped; lookups afterwards answer
 * false. */
void risk_domains_free(void);

#endif
