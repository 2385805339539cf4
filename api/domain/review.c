/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "domain/review.h"

#include <string.h>

const char *const review_decisions[] = {"verified", "rejected", NULL};
const char *const reject_reasons[] = {"not_affected", "incomplete", "duplicate",
                                      "outside_period", "other", NULL};
const char *const removal_reasons[] = {"not_affected",     "incomplete", "duplicate",
                                       "outside_period",   "claimant_request", "other", NULL};

bool
review_moves(const char *from, const char *to)
{
    if (strcmp(from, to) == 0)
        return false;
    return strcmp(from, "received") == 0 || strcmp(from, "verified") == 0 ||
           strcmp(from, "rejected") == 0;
}
