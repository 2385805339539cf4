/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Accept parsing (accept.h): each member "type/subtype;params;q=x" scanned by hand. */
#include "http/accept.h"

#include <stddef.h>
#include <string.h>
#include <strings.h>

/* Quality in thousandths of one member's parameters (";q=0.8"); 1000 when absent. */
static int
member_quality(const char *params, size_t n)
{
    for (size_t i = 0; i + 2 < n; i++) {
        if (params[i] != ';')
            continue;
        size_t j = i + 1;
        while (j < n && (params[j] == ' ' || params[j] == '\t'))
            j++;
        if (j + 1 < n && (params[j] == 'q' || params[j] == 'Q') && params[j + 1] == '=') {
            const char *q = params + j + 2;
            size_t left = n - j - 2;
            if (left == 0 || q[0] != '0')
                return left > 0 && q[0] == '1' ? 1000 : 0;
            int v = 0, scale = 100;
            for (size_t k = 2; left > 1 && q[1] == '.' && k < left && q[k] >= '0' &&
                               q[k] <= '9' && scale > 0;
                 k++, scale /= 10)
                v += (q[k] - '0') * scale;
            return v;
        }
    }
    return 1000;
}

/* Quality of type/subtype: that of the most specific matching range (exact 3, "type/any" 2,
 * "any/any" 1), 0 when none matches. */
static int
quality_of(const char *accept, const char *type)
{
    size_t slash = strcspn(type, "/");
    int best_rank = 0, q = 0;

    for (const char *p = accept; *p != '\0';) {
        p += strspn(p, " \t,");
        size_t member = strcspn(p, ",");
        size_t range = strcspn(p, ";, \t");
        int rank = 0;
        if (range == strlen(type) && strncasecmp(p, type, range) == 0)
            rank = 3;
        else if (range == slash + 2 && strncasecmp(p, type, slash + 1) == 0 && p[slash + 1] == '*')
            rank = 2;
        else if (range == 3 && strncmp(p, "*/*", 3) == 0)
            rank = 1;
        if (rank > best_rank) {
            best_rank = rank;
            q = member_quality(p + range, member - range);
        }
        p += member;
    }
    return q;
}

bool
accept_prefers_html(const char *accept)
{
    if (accept == NULL || accept[0] == '\0')
        return false;
    int html = quality_of(accept, "text/html");
    int json = quality_of(accept, "application/json");
    int problem = quality_of(accept, "application/problem+json");
    return html > json && html > problem;
}
