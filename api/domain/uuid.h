/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* UUID text form, as ids of associations, keys, actions and exports travel in paths. */
#ifndef RECOURS_DOMAIN_UUID_H
#define RECOURS_DOMAIN_UUID_H

#include <stdbool.h>

/* 8-4-4-4-12 hexadecimal digits (any case). A malformed id in a path answers 404. */
bool uuid_is_valid(const char *s);

#endif
