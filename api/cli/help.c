/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "cli/help.h"

#include <stdio.h>
#include <string.h>

bool
cli_asks_help(int argc, char **argv, const char *usage)
{
    if (argc < 1 || (strcmp(argv[0], "--help") != 0 && strcmp(argv[0], "-h") != 0))
        return false;
    fputs(usage, stdout);
    return true;
}
