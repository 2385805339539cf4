/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The options of the operator commands (incident, association, key, eligibility), read and
 * checked alike: every refusal is one line on stderr, "<cmd>: <what is wrong>", and the command
 * then exits 2. */
#ifndef RECOURS_CLI_ARGS_H
#define RECOURS_CLI_ARGS_H

#include <stdbool.h>
#include <stddef.h>

/* The last lines of the operator commands' usage: what they read besides their options. */
#define CLI_USAGE_DATABASE                                                  \
    "needs DATABASE_URL (after ./scripts/run: export DATABASE_URL=\"$(cat " \
    "var/secrets/database-url)\")\n"
#define CLI_USAGE_ENV  \
    CLI_USAGE_DATABASE \
    "and the secrets of RECOURS_SECRETS_DIR (default var/secrets): each change is audited\n"

/* One option of a subcommand: "--name value", or a bare flag when value_out is NULL. */
struct cli_option {
    const char *name;
    const char **value_out;
    bool *flag_out;
};

/* Reads argv against opts (NULL-terminated by name); false, with a message, on an unknown or
 * repeated option, or one without its value (the end of argv, or another option of opts where
 * its value should be: `--title --disclosed-on 2025-01-01`). When operands is not NULL, words
 * that are not options go there, at most max_operands of them. */
bool cli_read_options(const char *cmd, int argc, char **argv, const struct cli_option *opts,
                      const char **operands, int max_operands);

/* False, naming the first missing one, when an option of names (NULL-terminated) was not
 * given. */
bool cli_require(const char *cmd, const struct cli_option *opts, const char *const names[]);

/* *v trimmed of JSON's white space (in place: *v points into argv), then 1..max code points of
 * valid UTF-8, no control characters (C0, DEL, C1): the API's text members, which it trims
 * alike. */
bool cli_text_ok(const char *cmd, const char *flag, const char **v, size_t max);

/* A UUID (any case). */
bool cli_id_ok(const char *cmd, const char *what, const char *v);

/* "<cmd>: <message>" and the usage, on stderr: a wrong subcommand or operand count. */
void cli_usage_error(const char *cmd, const char *usage, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Whether argv (a command's words after its name) asks for its usage: "help" in the
 * subcommand's place, or "--help" or "-h" anywhere. */
bool cli_help_asked(int argc, char **argv);

/* When cli_help_asked: usage printed on stdout (asked for, not an error: the command then exits
 * 0) and true; else nothing printed and false. */
bool cli_asks_help(int argc, char **argv, const char *usage);

#endif
