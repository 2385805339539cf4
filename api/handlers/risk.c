/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The risk flags on the wire (docs/risk.md). Counts only: never anything of the other claims
 * a count is made of. */
#include "handlers/risk.h"

#include "handlers/handlers.h"
#include "http/json_build.h"
#include "http/outcome.h"
#include "http/reply.h"
#include "service/risk.h"

static json_t *
thresholds_json(void)
{
    const struct risk_settings *s = risk_settings();

    return json_pack("{s:i, s:i, s:i, s:{s:s, s:s}}", "network_max_per_hour", s->network_max,
                     "address_max", s->address_max, "unconfirmed_days", s->unconfirmed_days,
                     "network_prefix", "ipv4", "/24", "ipv6", "/64");
}

/* GET /v1/incidents/{slug}/risk */
struct reply
handle_incident_risk(struct request *rq)
{
    struct risk_overview ov;
    enum outcome o = svc_rq_risk_overview(request_param(rq, 0), rq->arena, &ov);

    if (o != OUTCOME_OK)
        return reply_outcome(o, NULL);
    struct json_build b = {0};
    json_t *days = json_array();
    for (int i = 0; i < ov.n_days; i++) {
        const struct risk_day *d = &ov.days[i];
        json_t *flags = json_object();
        for (enum risk_flag f = 0; f < RISK_FLAG_COUNT; f++)
            jb_set(&b, flags, risk_flag_name(f), json_integer(d->flagged[f]));
        jb_append(&b, days, json_pack("{s:s, s:I, s:I, s:o}", "date", d->date, "claims",
                                      (json_int_t)d->claims, "flagged", (json_int_t)d->any,
                                      "flags", flags));
    }
    days = jb_result(&b, days); /* NULL: json_pack below fails in turn, reply_json_take 503 */
    return reply_json_take(200, json_pack("{s:s, s:o, s:o}", "incident", ov.slug, "thresholds",
                                          thresholds_json(), "days", days));
}

/* The evidence of one flag: what was counted, against which threshold. */
static json_t *
evidence(const struct risk_view *v, enum risk_flag f)
{
    const struct risk_settings *s = risk_settings();

    switch (f) {
    case RISK_NETWORK:
        return json_pack("{s:s?, s:I, s:i, s:s}", "prefix", v->net_kind, "claims_within_hour",
                         (json_int_t)v->net_count, "threshold", s->network_max, "window",
                         "1 hour before or after");
    case RISK_ADDRESS:
        return json_pack("{s:I, s:i}", "claims_at_address", (json_int_t)v->addr_count,
                         "threshold", s->address_max);
    case RISK_EMAIL_UNCONFIRMED:
        return json_pack("{s:i}", "days", s->unconfirmed_days);
    case RISK_DISPOSABLE_EMAIL:
    case RISK_UNMATCHED:
    default:
        return json_object();
    }
}

json_t *
risk_view_json(const struct risk_view *v)
{
    if (!v->present)
        return json_null();
    struct json_build b = {0};
    json_t *flags = json_array();
    for (enum risk_flag f = 0; f < RISK_FLAG_COUNT; f++)
        if (v->flags[f])
            jb_append(&b, flags, json_pack("{s:s, s:o}", "flag", risk_flag_name(f), "evidence",
                                           evidence(v, f)));
    flags = jb_result(&b, flags);
    return json_pack("{s:o, s:{s:s?, s:I, s:I}, s:b, s:s}", "flags", flags, "counts",
                     "network_prefix", v->net_kind, "claims_from_network_within_hour",
                     (json_int_t)v->net_count, "claims_at_address", (json_int_t)v->addr_count,
                     "email_check_pending", v->email_pending, "evaluated_at", v->evaluated_at);
}
