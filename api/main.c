/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* recours: one binary for the server and the operator's CLI. Dispatches subcommands. */
#include <jansson.h>
/* glibc's allocator only: AddressSanitizer replaces it, and refuses mallopt */
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define RECOURS_SANITIZER_MALLOC 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define RECOURS_SANITIZER_MALLOC 1
#endif
#if defined(__GLIBC__) && !defined(RECOURS_SANITIZER_MALLOC)
#define RECOURS_GLIBC_MALLOC 1
#include <malloc.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "core/config.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "routes.h"

#ifndef RECOURS_VERSION
#define RECOURS_VERSION "dev"
#endif

static void
usage(FILE *out)
{
    fprintf(out, "usage: recours <command> [flags]\n\n"
                 "commands:\n"
                 "  serve          serve the API over HTTPS (or --plain-http)\n"
                 "  migrate        apply pending database migrations\n"
                 "  secrets init   create missing secrets (prints the operator key once)\n"
                 "  rotate-data-key  new data key; re-encrypts every sealed row (live)\n"
                 "  erase-withdrawn  erase personal data of claims withdrawn past retention\n"
                 "  incident add|close|open   register, close or reopen an incident\n"
                 "                 (DATABASE_URL, secrets)\n"
                 "  association add|approve|suspend   register associations\n"
                 "                 (DATABASE_URL, secrets)\n"
                 "  key issue|revoke   API keys, secret shown once (DATABASE_URL, secrets)\n"
                 "  audit head|verify   print the head to keep; walk the chain [--head S:H]\n"
                 "                 (DATABASE_URL, secrets)\n"
                 "  eligibility kit|import|recompute   the controller's list of notified\n"
                 "                 people (DATABASE_URL, secrets)\n"
                 "  routes         list the routes (method, path, role)\n"
                 "  version        print the version\n"
                 "  help           this text and the settings table\n"
                 "  help <command>   the command's own usage, as `recours <command> --help`\n\n");
}

/* Runs an operator command on DATABASE_URL: settings from the environment only, argv is the
 * command's own. The command asks for DATABASE_URL itself (cli_db_url_given), once its
 * arguments are checked: a usage error needs no database. */
static int
with_database(int (*fn)(const struct config *, int, char **), const char *name, int argc,
              char **argv)
{
    struct config cfg;
    int rc = 2;

    if (config_load(&cfg, name, 0, NULL))
        rc = fn(&cfg, argc, argv);
    config_free(&cfg);
    return rc;
}

/* Runs a command that takes settings: flags after the command word(s); name is the command as
 * typed ("secrets init": `recours secrets init --help` is its usage). */
static int
with_config(int (*fn)(const struct config *), const char *name, int argc, char **argv)
{
    struct config cfg;
    int rc = 2;

    if (cli_help_asked(argc, argv)) {
        usage(stdout);
        config_print_help();
        return 0;
    }
    if (config_load(&cfg, name, argc, argv))
        rc = fn(&cfg);
    config_free(&cfg);
    return rc;
}

/* glibc's malloc, before any thread exists (docs/decisions.md "Export at 1,000,000 members"):
 * its default raises the mmap threshold to the size of any large block freed (an export's
 * page buffers, a few hundred KiB) and the trim threshold to twice that, after which every
 * worker thread's own arena kept that much resident once it had served an export — the
 * server's RSS rose in steps over the first ~70 exports. A fixed threshold returns large
 * blocks to the kernel when freed, and two arenas instead of eight per core bound what the
 * worker threads keep. */
static void
malloc_policy(void)
{
#ifdef RECOURS_GLIBC_MALLOC
    if (mallopt(M_MMAP_THRESHOLD, 128 * 1024) != 1 || mallopt(M_ARENA_MAX, 2) != 1)
        log_warn("mallopt refused: the RSS may grow in steps over the first exports");
#endif
}

/* argv[1] is the command. */
static int
dispatch(int argc, char **argv)
{
    const char *cmd = argv[1];
    if (strcmp(cmd, "serve") == 0)
        return with_config(cli_serve, "serve", argc - 2, argv + 2);
    if (strcmp(cmd, "migrate") == 0)
        return with_config(cli_migrate, "migrate", argc - 2, argv + 2);
    if (strcmp(cmd, "secrets") == 0) {
        /* its own usage, not the settings table: it reads one setting */
        if (cli_asks_help(argc - 2, argv + 2, cli_secrets_usage))
            return 0;
        if (argc >= 3 && strcmp(argv[2], "init") == 0)
            return with_config(cli_secrets_init, "secrets init", argc - 3, argv + 3);
        if (argc < 3)
            cli_usage_error("secrets", cli_secrets_usage,
                            "which subcommand? (its one: recours secrets init)");
        else
            cli_usage_error("secrets", cli_secrets_usage,
                            "unknown subcommand '%s' (its one: recours secrets init)", argv[2]);
        return 2;
    }
    if (strcmp(cmd, "rotate-data-key") == 0)
        return with_config(cli_rotate_data_key, "rotate-data-key", argc - 2, argv + 2);
    if (strcmp(cmd, "erase-withdrawn") == 0)
        return with_config(cli_erase_withdrawn, "erase-withdrawn", argc - 2, argv + 2);
    if (strcmp(cmd, "incident") == 0)
        return with_database(cli_incident, "incident", argc - 2, argv + 2);
    if (strcmp(cmd, "association") == 0)
        return with_database(cli_association, "association", argc - 2, argv + 2);
    if (strcmp(cmd, "key") == 0)
        return with_database(cli_key, "key", argc - 2, argv + 2);
    if (strcmp(cmd, "audit") == 0)
        return with_database(cli_audit, "audit", argc - 2, argv + 2);
    if (strcmp(cmd, "eligibility") == 0)
        return with_database(cli_eligibility, "eligibility", argc - 2, argv + 2);
    if (strcmp(cmd, "routes") == 0 || strcmp(cmd, "version") == 0) {
        if (cli_help_asked(argc - 2, argv + 2)) {
            printf("usage: recours %s\n", cmd);
            return 0;
        }
        if (argc > 2) {
            fprintf(stderr, "recours: %s takes no argument (got '%s')\n", cmd, argv[2]);
            return 2;
        }
        if (strcmp(cmd, "routes") == 0)
            routes_print();
        else
            printf("recours %s\n", RECOURS_VERSION);
        return 0;
    }
    if (strcmp(cmd, "help") == 0 && argc == 3 && strcmp(argv[2], "help") != 0) {
        /* recours help <command>: as recours <command> --help */
        static char help_flag[] = "--help";
        char *as_help[] = {argv[0], argv[2], help_flag, NULL};
        return dispatch(3, as_help);
    }
    if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
        usage(stdout);
        config_print_help();
        return 0;
    }
    fprintf(stderr, "recours: unknown command '%s'\n", cmd);
    usage(stderr);
    return 2;
}

int
main(int argc, char **argv)
{
    malloc_policy();
    /* docs/architecture.md §9, jansson: seed before any thread exists; our allocator aborts on
     * exhaustion */
    json_object_seed(0);
    json_set_alloc_funcs(xmalloc, xfree_wiped);

    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    return dispatch(argc, argv);
}
