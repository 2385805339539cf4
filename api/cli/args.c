/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "cli/args.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/text_clean.h"
#include "core/text_trim.h"
#include "core/urlencoded.h"
#include "domain/uuid.h"

static const struct cli_option *
find(const struct cli_option *opts, const char *name)
{
    while (opts->name != NULL && strcmp(opts->name, name) != 0)
        opts++;
    return opts->name != NULL ? opts : NULL;
}

bool
cli_read_options(const char *cmd, int argc, char **argv, const struct cli_option *opts,
                 const char **operands, int max_operands)
{
    int n_operands = 0;

    for (int i = 0; i < argc; i++) {
        const struct cli_option *o = find(opts, argv[i]);
        if (o == NULL && operands != NULL && strncmp(argv[i], "--", 2) != 0) {
            if (n_operands >= max_operands) {
                fprintf(stderr, "%s: unexpected argument '%s' (see recours %s --help)\n", cmd,
                        argv[i], cmd);
                return false;
            }
            operands[n_operands++] = argv[i];
            continue;
        }
        if (o == NULL) {
            fprintf(stderr, "%s: unknown option %s (see recours %s --help)\n", cmd, argv[i],
                    cmd);
            return false;
        }
        if (o->flag_out != NULL) {
            *o->flag_out = true;
            continue;
        }
        /* a value that is one of our options is an option whose value was forgotten */
        if (i + 1 >= argc || find(opts, argv[i + 1]) != NULL) {
            fprintf(stderr, "%s: %s needs a value\n", cmd, o->name);
            return false;
        }
        if (*o->value_out != NULL) {
            fprintf(stderr, "%s: %s is given twice\n", cmd, o->name);
            return false;
        }
        *o->value_out = argv[++i];
    }
    return true;
}

bool
cli_require(const char *cmd, const struct cli_option *opts, const char *const names[])
{
    for (size_t i = 0; names[i] != NULL; i++) {
        const struct cli_option *o = find(opts, names[i]);
        if (o != NULL && o->value_out != NULL && *o->value_out == NULL) {
            fprintf(stderr, "%s: %s is required (see recours %s --help)\n", cmd, names[i], cmd);
            return false;
        }
    }
    return true;
}

bool
cli_text_ok(const char *cmd, const char *flag, const char **v, size_t max)
{
    size_t points = 0;

    /* the API trims its text members before checking them (http/json_fields.c): so does the
     * command line, or "--title ' T '" would store what the API would store as "T". The value
     * lives in argv, the program's own to change (C17 5.1.2.2.1): cut in place. */
    char *s = (char *)*v;
    const char *start = s;
    size_t len = text_trim(&start, strlen(s), " \t\n\r"); /* JSON's white space, as the API */
    s += start - *v;
    s[len] = '\0';
    *v = s;
    /* the database refuses invalid UTF-8 only after the audit key and connection are made */
    if (!utf8_is_valid(s, len)) {
        fprintf(stderr, "%s: %s is not valid UTF-8 text\n", cmd, flag);
        return false;
    }
    if (!text_is_clean(s, NULL, &points)) { /* the API's rule for its text members */
        fprintf(stderr, "%s: %s must not contain control characters\n", cmd, flag);
        return false;
    }
    if (len == 0 || points > max) {
        fprintf(stderr, "%s: %s must have 1 to %zu characters\n", cmd, flag, max);
        return false;
    }
    return true;
}

bool
cli_id_ok(const char *cmd, const char *what, const char *v)
{
    if (uuid_is_valid(v))
        return true;
    fprintf(stderr, "%s: %s must be a UUID such as 0b6d3c1e-5f7a-4c2e-9d1b-3a8f6e2c4b10\n", cmd,
            what);
    return false;
}

bool
cli_help_asked(int argc, char **argv)
{
    if (argc > 0 && strcmp(argv[0], "help") == 0)
        return true;
    for (int i = 0; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return true;
    return false;
}

bool
cli_asks_help(int argc, char **argv, const char *usage)
{
    if (!cli_help_asked(argc, argv))
        return false;
    fputs(usage, stdout);
    return true;
}

void
cli_usage_error(const char *cmd, const char *usage, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "%s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    fputs(usage, stderr);
}
