/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The notice vocabulary and the digest input (see notice.h). */
#include "domain/notice.h"

#include <string.h>

const char *const notice_kinds[] = {"information", "rejection", "deadline", "payment", NULL};
const char *const notice_langs[] = {"fr", "en", NULL};

bool
notice_kind_essential(const char *kind)
{
    /* the list; db-migrations/0016 computes notices.essential the same way */
    return kind != NULL && (strcmp(kind, "rejection") == 0 || strcmp(kind, "deadline") == 0 ||
                            strcmp(kind, "payment") == 0);
}

void
notice_texts_digest_input(const struct notice_texts *t, struct strbuf *out)
{
    for (int i = 0; i < NOTICE_N_LANGS; i++) {
        strbuf_append(out, notice_langs[i], strlen(notice_langs[i]) + 1);
        strbuf_append(out, t->subject[i], strlen(t->subject[i]) + 1);
        strbuf_append(out, t->body[i], strlen(t->body[i]) + 1);
    }
}
