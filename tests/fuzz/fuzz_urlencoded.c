/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* core/urlencoded on any bytes: no crash, no leak, and whatever it accepts holds its promises
 * (non-empty names, valid UTF-8, no pair more than asked, names and values free of NUL). */
#include "fuzz_input.h"

#include "core/arena.h"
#include "core/urlencoded.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena *a = arena_new();
    struct form f;

    if (urlencoded_parse((const char *)data, size, 32, a, &f)) {
        FUZZ_CHECK(f.n <= 32);
        FUZZ_CHECK(size != 0 || f.n == 0);
        for (size_t i = 0; i < f.n; i++) {
            FUZZ_CHECK(f.pairs[i].name[0] != '\0');
            FUZZ_CHECK(utf8_is_valid(f.pairs[i].name, strlen(f.pairs[i].name)));
            FUZZ_CHECK(utf8_is_valid(f.pairs[i].value, strlen(f.pairs[i].value)));
            FUZZ_CHECK(form_count(&f, f.pairs[i].name) >= 1);
        }
    } else {
        FUZZ_CHECK(f.n == 0);
    }
    arena_free(a);
    return 0;
}
