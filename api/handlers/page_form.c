/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* What every page's form post shares (declared in page_claim.h, docs/web-forms.md): the
 * form's Idempotency-Key, the checks a post passes before its fields are read (same site,
 * urlencoded, well formed) and the language it asks for. */
#include <string.h>
#include <strings.h>

#include "core/urlencoded.h"
#include "crypto/random.h"
#include "crypto/sha256.h"
#include "handlers/form_origin.h"
#include "handlers/page_claim.h"
#include "handlers/page_claim_form.h"
#include "handlers/page_common.h"

#define FORM_MAX_PAIRS 64

bool
page_form_key(char out[CLAIM_FORM_KEY_LEN + 1])
{
    uint8_t bytes[CLAIM_FORM_KEY_LEN / 2];

    if (!random_bytes(bytes, sizeof bytes))
        return false;
    hex_encode(bytes, sizeof bytes, out);
    out[CLAIM_FORM_KEY_LEN] = '\0';
    return true;
}

static bool
is_urlencoded(const char *ct)
{
    static const char want[] = "application/x-www-form-urlencoded";

    if (ct == NULL || strncasecmp(ct, want, sizeof want - 1) != 0)
        return false;
    return ct[sizeof want - 1] == '\0' || ct[sizeof want - 1] == ';';
}

bool
page_form_read(struct request *rq, struct form *out, struct reply *deny)
{
    if (!form_origin_is_same_site(request_header(rq, "Sec-Fetch-Site"),
                                  request_header(rq, "Origin"), request_header(rq, "Host"))) {
        *deny = page_error(rq, 403);
        return false;
    }
    if (!is_urlencoded(request_header(rq, "Content-Type"))) {
        *deny = page_error(rq, 415);
        return false;
    }
    if (!urlencoded_parse(rq->body.data != NULL ? rq->body.data : "", rq->body.len, FORM_MAX_PAIRS,
                          rq->arena, out)) {
        *deny = page_error(rq, 400);
        return false;
    }
    return true;
}

bool
page_form_lang(const struct form *f, enum web_lang *lang, bool *switched)
{
    const char *switch_to = form_get(f, "switch_lang", NULL);
    const char *field = form_get(f, "lang", NULL);

    *switched = switch_to != NULL;
    if (switch_to != NULL)
        return web_lang_parse(switch_to, lang);
    if (field != NULL)
        web_lang_parse(field, lang); /* an unknown one: the negotiated language stays */
    return true;
}
