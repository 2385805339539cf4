/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The --help of an operator command (incident, association, key, audit, eligibility). */
#ifndef RECOURS_CLI_HELP_H
#define RECOURS_CLI_HELP_H

#include <stdbool.h>

/* "--help" or "-h" as the first argument: usage printed on stdout (asked for, not an error:
 * the command then exits 0) and true; else nothing printed and false. */
bool cli_asks_help(int argc, char **argv, const char *usage);

#endif
