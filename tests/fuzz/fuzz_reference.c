/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Fuzz target: public claim references (domain/reference). Invariants of reference_parse on
 * any string: it accepts only 12 characters, and then writes the canonical form, which is the
 * input in upper case, "RC-XXXX-XXXX" over the alphabet, with a valid check symbol, and parses
 * to itself, while any one symbol changed is refused; on refusal out is "". reference_symbol_value
 * stays in -1..31 for every byte. */
#include <stdbool.h>
#include <string.h>

#include "domain/reference.h"

#include "fuzz_input.h"

static void
check_canonical(const char *in, const char *out)
{
    int values[8];
    int n = 0;
    char again[REFERENCE_LEN + 1];
    char changed[REFERENCE_LEN + 1];

    FUZZ_CHECK(strlen(in) == REFERENCE_LEN && strlen(out) == REFERENCE_LEN);
    FUZZ_CHECK(strncmp(out, "RC-", 3) == 0 && out[7] == '-');
    for (size_t i = 0; i < REFERENCE_LEN; i++) {
        char up = in[i] >= 'a' && in[i] <= 'z' ? (char)(in[i] - 'a' + 'A') : in[i];
        FUZZ_CHECK(out[i] == up);
        if (i < 3 || i == 7)
            continue;
        int v = reference_symbol_value(out[i]);
        FUZZ_CHECK(v >= 0 && v < 32);
        values[n++] = v;
    }
    FUZZ_CHECK(n == 8);
    /* the last symbol is the check value of the first seven */
    FUZZ_CHECK(reference_check_value(values, 7) == values[7]);
    FUZZ_CHECK(reference_parse(out, again) && strcmp(again, out) == 0);
    /* Luhn mod 32 catches every single-symbol substitution */
    for (size_t i = 3; i < REFERENCE_LEN; i++) {
        if (i == 7)
            continue;
        memcpy(again, out, sizeof again);
        int v = reference_symbol_value(out[i]);
        again[i] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"[(v + 1 + (int)i) % 32];
        FUZZ_CHECK(!reference_parse(again, changed) && changed[0] == '\0');
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *in = fuzz_strndup(data, size);
    char out[REFERENCE_LEN + 1];

    for (size_t i = 0; i < size; i++) {
        int v = reference_symbol_value((char)data[i]);
        FUZZ_CHECK(v >= -1 && v < 32);
    }
    if (reference_parse(in, out))
        check_canonical(in, out);
    else
        FUZZ_CHECK(out[0] == '\0');
    free(in);
    return 0;
}
