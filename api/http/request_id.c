/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* A request's id (request_id.h). */
#include "http/request_id.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "core/clock.h"
#include "crypto/random.h"

static bool
is_request_id_char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
}

/* Request ids must be unique, not secret: a random 6-byte prefix drawn once per thread and a
 * per-thread counter, 16 base64url characters, with no CSPRNG call per request. */
static void
make_request_id(char *out)
{
    static _Thread_local uint8_t prefix[6];
    static _Thread_local bool seeded;
    static _Thread_local uint64_t counter;
    uint8_t raw[12];

    if (!seeded) {
        if (!random_bytes(prefix, sizeof prefix)) {
            uint64_t t = (uint64_t)clock_monotonic_ns();
            memcpy(prefix, &t, sizeof prefix);
        }
        seeded = true;
    }
    counter++;
    memcpy(raw, prefix, sizeof prefix);
    for (int i = 0; i < 6; i++)
        raw[6 + i] = (uint8_t)(counter >> (8 * (5 - i)));
    base64url_encode(raw, sizeof raw, out);
}

void
request_id_assign(struct request *rq)
{
    const char *given = request_header(rq, "X-Request-Id");
    size_t len = given != NULL ? strlen(given) : 0;
    bool ok = len >= 1 && len <= REQUEST_ID_MAX;

    for (size_t i = 0; ok && i < len; i++)
        ok = is_request_id_char(given[i]);
    if (ok) {
        memcpy(rq->id, given, len + 1);
        return;
    }
    make_request_id(rq->id);
}
