/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Text cut to a byte bound (a fixed buffer, a log line) must not end inside a UTF-8 character:
 * it goes into JSON strings and pages, where half a character is invalid (a problem could not
 * be built, a log line would not parse). */
#ifndef RECOURS_CORE_UTF8_CUT_H
#define RECOURS_CORE_UTF8_CUT_H

#include <stddef.h>

/* Drops an incomplete last character of s (len bytes, s[len] == '\0') by ending s before it.
 * Only the end is looked at: the text is otherwise UTF-8 (from JSON, or the program's own). */
void utf8_cut_incomplete(char *s, size_t len);

#endif
