/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Evidence files (docs/evidence.md): the claimant's uploads, lists and removals; the mandated
 * association's lists and audited downloads. Entry points named svc_rq_* take the calling
 * thread's connection (service/conn.h); handlers call nothing else. Bytes are sealed with
 * the claims' data keys (crypto/pii_box.h, rotated by `recours rotate-data-key`) in chunks of
 * EVIDENCE_CHUNK bytes: an upload or a download holds one chunk, never a file. */
#ifndef RECOURS_SERVICE_EVIDENCE_H
#define RECOURS_SERVICE_EVIDENCE_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "core/outcome.h"
#include "crypto/secrets.h"
#include "service/audit.h"

struct arena;

#define EVIDENCE_CHUNK (256 * 1024) /* plaintext bytes per sealed row */
#define EVIDENCE_NAME_MAX 200      /* bytes of a file name kept (UTF-8, cut at a character) */
#define EVIDENCE_STALE_UPLOAD_S 3600 /* an upload older than this was abandoned */

struct evidence_limits {
    int max_files;     /* per claim, uploads in progress included */
    int64_t max_bytes; /* per file */
};

/* A stored file as lists show it. */
struct evidence_file {
    const char *id;         /* the file's public id (uuid) */
    const char *name;       /* as the claimant named it, cleaned (no path, no control) */
    const char *media_type; /* application/pdf, image/jpeg, image/png: from the content */
    int64_t size;
    char sha256[65];        /* of the plaintext */
    const char *stored_at;
};

struct evidence_list {
    struct evidence_file *files;
    int n;
    bool can_change; /* the claimant may still add or remove (received, loss or theft declared) */
    bool can_add;    /* and a slot is free */
};

/* An upload in progress (the body of one request). */
struct evidence_upload;

/* Begins an upload of a file named name (the claimant's; NULL or "" for none) to the claim of
 * reference, for the holder of its token: the claim must be received (not reviewed:
 * CLAIM_REVIEWED, not withdrawn: CLAIM_WITHDRAWN), declare a documented loss or an identity
 * theft (EVIDENCE_NOT_APPLICABLE) and have a free slot (EVIDENCE_LIMIT); a wrong reference or
 * token is NOT_FOUND. On OK the upload holds a slot until svc_rq_evidence_end. */
enum outcome svc_rq_evidence_begin(const struct secrets *s, const struct evidence_limits *lim,
                                   const char *reference, const char *token, const char *name,
                                   struct evidence_upload **out);

/* The next bytes of the file. A refusal found on the way (a type that is not PDF, JPEG or
 * PNG as soon as the head is in, a file over the limit, the database) is kept for
 * svc_rq_evidence_finish and the bytes after it are dropped. */
void svc_rq_evidence_write(struct evidence_upload *u, const char *data, size_t n);

/* The file is complete: checks its content's structure and stores it (the claim still
 * received), *out describing it (arena strings). The refusal kept, if any. */
enum outcome svc_rq_evidence_finish(struct evidence_upload *u, struct arena *a,
                                    struct evidence_file *out);

/* The request is over: an upload not finished is deleted with its chunks; frees u. Accepts
 * NULL. */
void svc_rq_evidence_end(struct evidence_upload *u);

/* The claim's stored files, for the holder of its token; NOT_FOUND otherwise. */
enum outcome svc_rq_evidence_list_own(const struct secrets *s, const struct evidence_limits *lim,
                                      const char *reference, const char *token, struct arena *a,
                                      struct evidence_list *out);

/* Removes one stored file of the claim, for the holder of its token, while the claim is
 * received (CLAIM_REVIEWED, CLAIM_WITHDRAWN otherwise); NOT_FOUND for no such file. */
enum outcome svc_rq_evidence_remove(const struct secrets *s, const char *reference,
                                    const char *token, const char *file_id);

/* The files of a member of the association's action; NOT_FOUND for another association's
 * action, a claim that is not its member, or a malformed id. */
enum outcome svc_rq_evidence_member_list(const struct secrets *s, const char *association_id,
                                         const char *action_id, const char *reference,
                                         struct arena *a, struct evidence_list *out);

/* A download being sent. */
struct evidence_download;

/* Opens one file of a member for download (same reach as svc_rq_evidence_member_list) and
 * records the download in the audit chain (evidence.download, the file's id, a digest of the
 * reference), committed before any byte is sent. *meta describes it. */
enum outcome svc_rq_evidence_download_open(const struct secrets *s, const struct audit_note *note,
                                           const char *association_id, const char *action_id,
                                           const char *reference, const char *file_id,
                                           struct arena *a, struct evidence_file *meta,
                                           struct evidence_download **out);

/* The next plaintext bytes into buf[0..max): their count, 0 at the end, -1 when a chunk is
 * missing, damaged or cannot be read (the stream is then cut: the client sees an incomplete
 * body, never wrong bytes). One chunk is read and opened at a time. */
ssize_t svc_rq_evidence_download_next(struct evidence_download *d, char *buf, size_t max);

/* Frees d; accepts NULL. */
void svc_rq_evidence_download_end(struct evidence_download *d);

/* Deletes uploads begun more than max_age_s ago and never finished (a server stopped in the
 * middle of one), in batches (the erasure job). */
enum outcome svc_evidence_sweep(PGconn *c, int max_age_s, int64_t *deleted_out);

#endif
