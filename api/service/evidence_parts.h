/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* What the three phases of the evidence service share (evidence.c: the upload;
 * evidence_lists.c: the lists and the removal; evidence_download.c: the download): the data
 * key a row names, the additional data that binds a sealed chunk or name to its file, the
 * file as lists show it, and the two reach checks. Not for handlers: only service/evidence*.c
 * include it. */
#ifndef RECOURS_SERVICE_EVIDENCE_PARTS_H
#define RECOURS_SERVICE_EVIDENCE_PARTS_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stdint.h>

#include "db/evidence.h"
#include "service/evidence.h"

/* The data key of id in the request's snapshot s, or NULL (retired since the row was sealed). */
const struct data_key *evidence_key_by_id(const struct secrets *s, int id);

/* The additional authenticated data of chunk seq of the file public_id, and of its name: a
 * sealed chunk or name opens only as the part of the file it was sealed for. */
void evidence_chunk_aad(const char *public_id, int seq, char out[80]);
void evidence_name_aad(const char *public_id, char out[64]);

/* Fills *out from the stored row r, its name opened into a (strings borrow r and a); false,
 * logged, when the name cannot be opened (unknown key or damaged). */
bool evidence_file_view(const struct secrets *s, struct arena *a, const struct evidence_row *r,
                        struct evidence_file *out);

/* Why a claim takes no change of its evidence now (CLAIM_WITHDRAWN, CLAIM_REVIEWED), or
 * OUTCOME_OK. */
enum outcome evidence_claim_refusal(const struct evidence_claim *cl);

struct tx;

/* In a transaction body: locks the claim claim_id and decides whether its evidence may change
 * now: 1 with *cl (read in a scratch arena: its status is not kept), the body's answer to a
 * refusal (evidence_claim_refusal; for a new file, new_file its limits, also no declared loss
 * or no free slot), or DB_* (0: no such claim). */
int evidence_claim_lock(PGconn *c, struct tx *t, int64_t claim_id,
                        const struct evidence_limits *new_file, struct evidence_claim *cl);

/* The member claim of reference under action_id, in association_id's reach, into *claim_id:
 * 1, 0 (malformed ids or out of reach: NOT_FOUND) or a DB_* status. */
int evidence_member_claim(PGconn *c, const char *association_id, const char *action_id,
                          const char *reference, int64_t *claim_id);

#endif
