/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The summary document of API.md §9 (full and public views). */
#ifndef RECOURS_HANDLERS_SUMMARY_JSON_H
#define RECOURS_HANDLERS_SUMMARY_JSON_H

#include <jansson.h>
#include <stdbool.h>

#include "domain/scheme.h"
#include "service/compensation.h"

struct summary_head {
    const char *incident;
    const char *action_id;      /* NULL for an incident */
    bool full;                  /* full view (credential) or public */
    bool simulated;
    bool verified_only;
    int scheme_version;         /* 0: null */
    const char *currency;
    int64_t affected_count;
};

json_t *summary_json(const struct summary_head *h, const struct scheme *s,
                     const struct summary_view *v);

#endif
