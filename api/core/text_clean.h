/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The rule of the API's text members (docs/api.md): no C0 or C1 control character, DEL
 * included, except those a member allows (a description's line breaks and tabs). Shared by the
 * JSON fields (http/json_fields.c) and the operator's CLI (cli/args.c). */
#ifndef RECOURS_CORE_TEXT_CLEAN_H
#define RECOURS_CORE_TEXT_CLEAN_H

#include <stdbool.h>
#include <stddef.h>

/* Whether s (valid UTF-8: the caller checked) has no C0/C1 control characters except those
 * listed in allowed_ctrl (e.g. "\n\t", or NULL: none); *chars_out gets the number of code
 * points. */
bool text_is_clean(const char *s, const char *allowed_ctrl, size_t *chars_out);

/* s[0..len) with every CR LF, and every CR alone, made one LF, in place; returns the new length
 * (s[len'] is set to '\0'). A browser posts a textarea's line breaks as CR LF, whatever the
 * visitor's system (HTML's form submission), and so do clients on Windows: for a member whose
 * line breaks are kept they are line breaks, stored as LF. */
size_t text_unify_line_breaks(char *s, size_t len);

#endif
