/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Public-record members of an action (action_record.h). */
#include "handlers/action_record.h"

#include <string.h>


const char *const action_record_members[] = {"next_date",    "next_date_note",
                                             "funding_sources", "fees_charged",
                                             "mandate_text_en", "history_add", NULL};

/* Kinds an association may add; "opened" and status changes are recorded by the server. */
static const char *const event_kinds[] = {"filed",      "hearing", "judgment",
                                          "settlement", "closed",  NULL};
static const char *const event_members[] = {"kind", "date", "court_reference", "note", NULL};

/* Present in the object, null included (null clears). */
static bool
given(const struct json_fields *jf, const char *key)
{
    return json_object_get(jf->obj, key) != NULL;
}

bool
action_record_read(const struct json_fields *jf, struct action_record_patch *p)
{
    struct json_fields ev;

    if ((p->has_next_date = given(jf, "next_date")))
        p->next_date = jf_date(jf, "next_date", false);
    if ((p->has_next_date_note = given(jf, "next_date_note")))
        p->next_date_note = jf_text(jf, "next_date_note", false, 300);
    if ((p->has_funding_sources = given(jf, "funding_sources")))
        p->funding_sources = jf_long_text(jf, "funding_sources", false, 2000);
    if ((p->has_fees_charged = given(jf, "fees_charged")))
        p->fees_charged = jf_long_text(jf, "fees_charged", false, 2000);
    if ((p->has_mandate_text_en = given(jf, "mandate_text_en")))
        p->mandate_text_en = jf_long_text(jf, "mandate_text_en", false, 20000);
    if (jf_object(jf, "history_add", false, &ev)) {
        jf_refuse_unknown(&ev, event_members);
        p->has_event = true;
        p->event_kind = jf_enum(&ev, "kind", true, event_kinds);
        p->event_date = jf_date(&ev, "date", true);
        p->event_court_reference = jf_text(&ev, "court_reference", false, 200);
        p->event_note = jf_text(&ev, "note", false, 500);
    }
    return p->has_next_date || p->has_next_date_note || p->has_funding_sources ||
           p->has_fees_charged || p->has_mandate_text_en || p->has_event;
}

bool
action_record_merge(json_t *obj, const char *record)
{
    json_t *r = record != NULL ? json_loads(record, 0, NULL) : NULL;
    bool ok = r != NULL && json_object_update(obj, r) == 0;

    json_decref(r);
    return ok;
}
