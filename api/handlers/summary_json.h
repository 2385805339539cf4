/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The summary document of docs/api.md §11.4–11.5 (full and public views). */
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
    bool matched_only;          /* basis matched: claims matched on the controller's list */
    int scheme_version;         /* 0: null */
    const char *currency;
    int64_t affected_count;
};

/* A money figure on the wire: a JSON integer up to 2^53 − 1 in magnitude (every JSON reader
 * keeps it exactly), beyond that the decimal string of its exact digits (RFC 7493 §2.2), as
 * "10000000000000000000000" for base_amount 10^12 × affected_count 10^10. docs/decisions.md
 * "Figures beyond 64 bits". */
json_t *money_json(money_wide v);

/* The name of a basis: all, verified, matched or matched_verified. */
const char *summary_basis_name(bool verified_only, bool matched_only);

json_t *summary_json(const struct summary_head *h, const struct scheme *s,
                     const struct summary_view *v);

#endif
