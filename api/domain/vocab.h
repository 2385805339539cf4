/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The fixed vocabularies of docs/api.md §8.6. Data categories have a canonical order: arrays are
 * stored and returned in it, without repeats. */
#ifndef RECOURS_DOMAIN_VOCAB_H
#define RECOURS_DOMAIN_VOCAB_H

#include <stdbool.h>
#include <stddef.h>

#define DATA_CATEGORY_COUNT 12

/* NULL-terminated, in canonical order. */
extern const char *const data_categories[DATA_CATEGORY_COUNT + 1];

/* Index of name in data_categories, or -1. */
int data_category_index(const char *name);

/* Bit set of categories (bit i = data_categories[i]). */
typedef unsigned int category_set;

/* The set named by a comma-separated list ("email,health"); unknown names are ignored. */
category_set categories_from_csv(const char *csv);

/* The comma-separated list of a set in canonical order into out (≥ 160 bytes). */
void categories_to_csv(category_set set, char *out, size_t n);

/* Whether s matches the slug pattern of docs/api.md §8.4, ^[a-z0-9][a-z0-9-]{1,62}[a-z0-9]$ (also
 * the pattern of every ?incident= parameter); the API and `recours incident add` check it. */
bool incident_slug_is_valid(const char *s);

extern const char *const incident_statuses[];     /* open, closed */
extern const char *const claim_statuses[];        /* received, verified, rejected, withdrawn */
extern const char *const payment_preferences[];   /* voucher, cash */
extern const char *const legal_bases[];

#endif
