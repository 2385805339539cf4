/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The type of an evidence file, told from its content (docs/evidence.md §1): the magic bytes
 * of its head and a minimal structural check of its head and tail. Never from a name or a
 * Content-Type, which the sender chooses. A file is read once, as a stream: the caller keeps
 * the first FILE_TYPE_HEAD bytes and the last FILE_TYPE_TAIL bytes (file_type_tail).
 * Invariants: a type is accepted only when both its head and its tail are its own; the
 * checks are cheap and bounded (no parser of PDF, JPEG or PNG runs on untrusted bytes). */
#ifndef RECOURS_DOMAIN_FILE_TYPE_H
#define RECOURS_DOMAIN_FILE_TYPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FILE_TYPE_HEAD 32   /* bytes of the head the checks read */
#define FILE_TYPE_TAIL 1024 /* bytes of the tail: where a PDF's %%EOF must be (ISO 32000) */

enum file_type { FILE_TYPE_NONE = 0, FILE_TYPE_PDF, FILE_TYPE_JPEG, FILE_TYPE_PNG };

/* The type announced by the head (its first min(n, FILE_TYPE_HEAD) bytes; a shorter file
 * gives all it has), FILE_TYPE_NONE for anything else. */
enum file_type file_type_sniff(const uint8_t *head, size_t n);

/* Whether a file of type t, whose head and last tail_n bytes (at most FILE_TYPE_TAIL) are
 * given, has the minimal structure of its type:
 *   PDF   "%PDF-d.d" head; "startxref" then "%%EOF" in the tail, only whitespace after it;
 *   PNG   signature, then an IHDR chunk of 13 bytes with a non-zero width and height; the
 *         last 12 bytes are the IEND chunk;
 *   JPEG  SOI and a marker; the tail ends with EOI (FF D9), NUL padding allowed after it. */
bool file_type_check(enum file_type t, const uint8_t *head, size_t head_n, const uint8_t *tail,
                     size_t tail_n);

/* The media type of t ("application/pdf", "image/jpeg", "image/png"), NULL for NONE. */
const char *file_type_media(enum file_type t);

/* The file name extension of t ("pdf", "jpg", "png"), NULL for NONE. */
const char *file_type_extension(enum file_type t);

/* The type of a media type written by file_type_media, FILE_TYPE_NONE otherwise. */
enum file_type file_type_of_media(const char *media);

/* A rolling window of the last FILE_TYPE_TAIL bytes of a stream. */
struct file_type_tail {
    uint8_t buf[FILE_TYPE_TAIL];
    size_t len;
};

/* Appends data[0..n) to the window, keeping only its last FILE_TYPE_TAIL bytes. */
void file_type_tail_add(struct file_type_tail *w, const uint8_t *data, size_t n);

#endif
