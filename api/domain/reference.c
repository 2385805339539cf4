/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Claim references: generation from the CSPRNG, parsing with the Luhn mod N check (N = 32).
 * Invariant: out holds a canonical reference or "" after every call.
 * Luhn mod N detects every single-symbol substitution, since doubling-and-summing-digits
 * (v → 2v / N + 2v % N) is a permutation of 0..N-1 for even N, and every transposition of two
 * adjacent distinct symbols except that of the values 0 and N-1 ("0" and "Z"): swapping a and
 * b shifts the sum by g(a) - g(b), g(v) = v for v < 16 and v + 1 (mod 32) above, which is 0
 * (mod 32) only for {0, 31}. */
#include "domain/reference.h"

#include <stdint.h>
#include <string.h>

#include "crypto/random.h"

#define N 32
#define PAYLOAD 7

static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

int
reference_symbol_value(char c)
{
    const char *p = c == '\0' ? NULL : strchr(alphabet, c);

    return p == NULL ? -1 : (int)(p - alphabet);
}

/* Luhn's digit sum of factor * v in base N. */
static int
addend(int factor, int v)
{
    int a = factor * v;

    return a / N + a % N;
}

int
reference_check_value(const int *values, int n)
{
    int factor = 2; /* the rightmost payload symbol is doubled: the check symbol will follow */
    int sum = 0;

    for (int i = n - 1; i >= 0; i--) {
        sum += addend(factor, values[i]);
        factor = factor == 2 ? 1 : 2;
    }
    return (N - sum % N) % N;
}

/* Luhn mod N validation over payload and check symbol: the check symbol's factor is 1. */
static bool
check_ok(const int values[PAYLOAD + 1])
{
    int factor = 1;
    int sum = 0;

    for (int i = PAYLOAD; i >= 0; i--) {
        sum += addend(factor, values[i]);
        factor = factor == 2 ? 1 : 2;
    }
    return sum % N == 0;
}

/* "RC-" v0..v3 "-" v4..v6 check into out. */
static void
format(const int values[PAYLOAD + 1], char out[REFERENCE_LEN + 1])
{
    size_t o = 0;

    out[o++] = 'R';
    out[o++] = 'C';
    for (int i = 0; i <= PAYLOAD; i++) {
        if (i % 4 == 0)
            out[o++] = '-';
        out[o++] = alphabet[values[i]];
    }
    out[o] = '\0';
}

bool
reference_generate(char out[REFERENCE_LEN + 1])
{
    uint8_t bytes[5];
    uint64_t bits = 0;
    int values[PAYLOAD + 1];

    out[0] = '\0';
    if (!random_bytes(bytes, sizeof bytes))
        return false;
    /* 40 random bits, 7 symbols of 5 bits each: N is a power of two, so every symbol is
     * uniform without rejection. */
    for (size_t i = 0; i < sizeof bytes; i++)
        bits = bits << 8 | bytes[i];
    for (int i = 0; i < PAYLOAD; i++)
        values[i] = (int)(bits >> (5 * i) & (N - 1));
    values[PAYLOAD] = reference_check_value(values, PAYLOAD);
    format(values, out);
    return true;
}

bool
reference_parse(const char *in, char out[REFERENCE_LEN + 1])
{
    static const char shape[] = "RC-####-####";
    int values[PAYLOAD + 1];
    int v = 0;

    out[0] = '\0';
    if (strlen(in) != REFERENCE_LEN)
        return false;
    for (size_t i = 0; i < REFERENCE_LEN; i++) {
        char c = in[i] >= 'a' && in[i] <= 'z' ? (char)(in[i] - 'a' + 'A') : in[i];

        if (shape[i] != '#') {
            if (c != shape[i])
                return false;
            continue;
        }
        values[v] = reference_symbol_value(c);
        if (values[v++] < 0)
            return false;
    }
    if (!check_ok(values))
        return false;
    format(values, out);
    return true;
}
