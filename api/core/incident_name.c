/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* An incident's name (incident_name.h). */
#include "core/incident_name.h"

void
incident_name(struct strbuf *out, const char *controller, const char *title)
{
    if (controller != NULL && controller[0] != '\0') {
        strbuf_puts(out, controller);
        strbuf_puts(out, INCIDENT_NAME_SEP);
    }
    strbuf_puts(out, title != NULL ? title : "");
}
