/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The notice receiver of every connection (see notice.h). */
#include "db/notice.h"

#include <string.h>

#include "core/log.h"

static void
on_notice(void *arg, const PGresult *res)
{
    (void)arg;
    const char *severity = PQresultErrorField(res, PG_DIAG_SEVERITY_NONLOCALIZED);
    const char *sqlstate = PQresultErrorField(res, PG_DIAG_SQLSTATE);

    if (severity == NULL)
        severity = "NOTICE";
    if (sqlstate == NULL)
        sqlstate = "none";
    if (strcmp(severity, "WARNING") == 0)
        log_warn("postgresql warning (SQLSTATE %.5s)", sqlstate);
    else
        log_info("postgresql %.16s (SQLSTATE %.5s)", severity, sqlstate);
}

void
db_notice_route(PGconn *c)
{
    if (c != NULL)
        PQsetNoticeReceiver(c, on_notice, NULL);
}
