/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The action status graph as a table of allowed edges. */
#include "domain/action_rules.h"

#include <string.h>

static const char *const edges[][2] = {
    {"open", "filed"},   {"filed", "settled"}, {"settled", "closed"},
    {"open", "closed"},  {"filed", "closed"},
};

bool
action_transition_ok(const char *from, const char *to)
{
    if (strcmp(from, to) == 0)
        return true;
    for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++)
        if (strcmp(edges[i][0], from) == 0 && strcmp(edges[i][1], to) == 0)
            return true;
    return false;
}
