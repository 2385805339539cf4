/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The shipped scheme presets (docs/api.md §11.7): real compensation schemes re-expressed in our
 * scheme shape, with where their figures come from. */
#ifndef RECOURS_DOMAIN_PRESETS_H
#define RECOURS_DOMAIN_PRESETS_H

#include <stddef.h>
#include <stdint.h>

#include "domain/scheme.h"

struct preset {
    const char *id;
    const char *name;
    const char *source;
    int64_t affected_count;
    struct scheme scheme;
};

extern const struct preset presets[];
extern const size_t n_presets;

/* The preset of id, or NULL. */
const struct preset *preset_find(const char *id);

#endif
