/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Trimming of surrounding white space, where each caller says which bytes are white space
 * (JSON's four for an API member, ASCII's six for an email address being normalised). */
#ifndef RECOURS_CORE_TEXT_TRIM_H
#define RECOURS_CORE_TEXT_TRIM_H

#include <stddef.h>

/* The length of s[0..len) once the bytes of spaces are trimmed from both ends; *s is moved past
 * the leading ones. NUL is never white space. */
size_t text_trim(const char **s, size_t len, const char *spaces);

#endif
