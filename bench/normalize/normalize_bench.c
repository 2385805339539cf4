/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* bench/normalize: CPU time of the text normalization one claim goes through on its request
 * thread (domain/normalize.c): the two names checked for letters, each text field to NFC,
 * the identity key. Two claims of bench/intake/claim.lua's kind: one all ASCII, one with
 * French accents in three of its six fields. Built and run by run.sh. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "domain/normalize.h"

#define ITERATIONS 200000
#define REPEATS 5

static const char *const ascii[] = {
    "Camille", "Martin-bcd", "12 rue de Rivoli",
    "75001",   "Paris",      "Lost time and worry after the phishing messages.",
    NULL};
static const char *const french[] = {"H\xc3\xa9l\xc3\xa8ne",
                                     "Dubois-xyz",
                                     "7 avenue Jean Jaur\xc3\xa8s",
                                     "69002",
                                     "Lyon",
                                     "Du temps perdu et de l'inqui\xc3\xa9tude.",
                                     NULL};

/* µs of CPU per claim over ITERATIONS claims of the fields f (given, family, then the rest) */
static double
per_claim_us(const char *const *f)
{
    struct timespec a, b;
    char key[512];

    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a);
    for (int i = 0; i < ITERATIONS; i++) {
        if (!normalize_name_has_letters(f[0]) || !normalize_name_has_letters(f[1]))
            abort();
        for (int k = 0; f[k] != NULL; k++) {
            char *nfc = normalize_nfc(f[k]);
            if (nfc == NULL)
                abort();
            free(nfc);
        }
        if (!normalize_identity(f[1], f[0], "1980-04-12", key, sizeof key))
            abort();
    }
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &b);
    return ((double)(b.tv_sec - a.tv_sec) * 1e9 + (double)(b.tv_nsec - a.tv_nsec)) / ITERATIONS /
           1000.0;
}

int
main(void)
{
    for (int r = 0; r < REPEATS; r++)
        printf("%.2f %.2f\n", per_claim_us(ascii), per_claim_us(french));
    return 0;
}
