/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Representative action lifecycle (docs/api.md §8.7): open → filed → settled → closed, plus
 * open → closed and filed → closed; nothing else. */
#ifndef RECOURS_DOMAIN_ACTION_RULES_H
#define RECOURS_DOMAIN_ACTION_RULES_H

#include <stdbool.h>

/* Whether status may go from `from` to `to` (staying put is allowed). */
bool action_transition_ok(const char *from, const char *to);

#endif
