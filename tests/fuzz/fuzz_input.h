/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* What every harness of tests/fuzz shares: libFuzzer's entry point, turning the fuzzer's bytes
 * into the NUL-terminated strings the parsers take, and FUZZ_CHECK, which aborts (libFuzzer
 * reports a crash and keeps the input) when an invariant fails, in every build type. */
#ifndef RECOURS_TESTS_FUZZ_INPUT_H
#define RECOURS_TESTS_FUZZ_INPUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond)                                                                  \
    do {                                                                                  \
        if (!(cond)) {                                                                    \
            fprintf(stderr, "invariant failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__); \
            abort();                                                                      \
        }                                                                                 \
    } while (0)

/* A heap copy of data[0..size) with a NUL after it (inner NULs end the C string early). */
static inline char *
fuzz_strndup(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);

    FUZZ_CHECK(s != NULL);
    if (size > 0)
        memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

/* The input as up to max C strings, split on NUL bytes (which no C string holds) into one
 * heap block: fields[i] point into *block_out, which the caller frees. Fields past max are
 * ignored; missing ones are "". Returns how many fields the input held (≥ 1). */
static inline size_t
fuzz_split(const uint8_t *data, size_t size, const char **fields, size_t max, char **block_out)
{
    char *block = fuzz_strndup(data, size);
    size_t n = 0;
    size_t start = 0;

    for (size_t i = 0; i <= size; i++) {
        if (block[i] != '\0')
            continue;
        if (n < max)
            fields[n] = block + start;
        n++;
        start = i + 1;
    }
    for (size_t i = n; i < max; i++)
        fields[i] = block + size;
    *block_out = block;
    return n;
}

#endif
