/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The origin rule of form posts (see form_origin.h). */
#include "handlers/form_origin.h"

#include <string.h>
#include <strings.h>

bool
form_origin_is_same_site(const char *sec_fetch_site, const char *origin, const char *host)
{
    if (sec_fetch_site != NULL)
        return strcmp(sec_fetch_site, "same-origin") == 0 || strcmp(sec_fetch_site, "none") == 0;
    if (origin == NULL)
        return true;
    const char *sep = strstr(origin, "://");
    if (host == NULL || sep == NULL)
        return false;
    const char *origin_host = sep + 3;
    /* an origin is scheme://host[:port] with no path: compare the rest with Host whole */
    return strchr(origin_host, '/') == NULL && strcasecmp(origin_host, host) == 0;
}
