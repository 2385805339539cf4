/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* recours incident add|close|open: the operator's register of incidents without curl. Goes
 * through the same service functions as the API. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/args.h"
#include "cli/db_open.h"
#include "core/arena.h"
#include "core/strbuf.h"
#include "db/pool.h"
#include "domain/currency.h"
#include "domain/dates.h"
#include "domain/vocab.h"
#include "service/incidents.h"

static const char usage[] =
    "usage: recours incident add --slug S --controller C --title T --disclosed-on YYYY-MM-DD\n"
    "                            --affected N --categories email,phone,... --currency EUR\n"
    "                            [--authority-reference R]\n"
    "       recours incident close SLUG | recours incident open SLUG\n"
    "  add    registers an incident, open to claims (as POST /v1/incidents)\n"
    "  close  stops taking claims for it (they answer 409 incident-closed); open takes them\n"
    "         again\n"
    "  --affected    the number of people affected, as the controller declared it\n"
    "  --currency    ISO 4217, in capitals: the currency of the incident's scheme\n"
    "  --categories  the exposed data, comma-separated (the list: recours incident "
    "--help)\n" CLI_USAGE_ENV;

/* The data categories an incident may list, comma-separated, after prefix. */
static void
print_categories(FILE *out, const char *prefix)
{
    fputs(prefix, out);
    for (int i = 0; data_categories[i] != NULL; i++)
        fprintf(out, "%s%s", i > 0 ? "," : "", data_categories[i]);
    fputc('\n', out);
}

struct add_args {
    struct incident in;
    const char *categories;
    const char *affected;
};

static bool
read_add_args(int argc, char **argv, struct add_args *a)
{
    const struct cli_option opts[] = {
        {"--slug", &a->in.slug, NULL},
        {"--controller", &a->in.controller, NULL},
        {"--title", &a->in.title, NULL},
        {"--disclosed-on", &a->in.disclosed_on, NULL},
        {"--affected", &a->affected, NULL},
        {"--categories", &a->categories, NULL},
        {"--currency", &a->in.currency, NULL},
        {"--authority-reference", &a->in.authority_reference, NULL},
        {NULL, NULL, NULL},
    };
    static const char *const required[] = {"--slug", "--controller", "--title",
                                           "--disclosed-on", "--affected", "--categories",
                                           "--currency", NULL};

    return cli_read_options("incident", argc, argv, opts, NULL, 0) &&
           cli_require("incident", opts, required);
}

/* The checks of docs/api.md §10.1 that the database does not make itself. */
static bool
check_add(struct add_args *a)
{
    struct civil_date d;
    char *end = NULL;

    /* the API's bound: strtoll alone would take "99999999999999999999" as LLONG_MAX */
    errno = 0;
    a->in.affected_count = strtoll(a->affected, &end, 10);
    if (end == a->affected || *end != '\0' || errno == ERANGE || a->in.affected_count < 0 ||
        a->in.affected_count > INCIDENT_AFFECTED_MAX) {
        fprintf(stderr, "incident: --affected must be an integer from 0 to %lld\n",
                (long long)INCIDENT_AFFECTED_MAX);
        return false;
    }
    if (!incident_slug_is_valid(a->in.slug)) {
        fprintf(stderr, "incident: --slug must be 3 to 64 of a-z, 0-9 and inner hyphens, such "
                        "as coupang-2025\n");
        return false;
    }
    /* the lengths of IncidentInput (api/openapi.json) */
    if (!cli_text_ok("incident", "--controller", &a->in.controller, 200) ||
        !cli_text_ok("incident", "--title", &a->in.title, 300) ||
        (a->in.authority_reference != NULL &&
         !cli_text_ok("incident", "--authority-reference", &a->in.authority_reference, 200)))
        return false;
    struct civil_date today = civil_date_of(time(NULL));
    if (!civil_date_parse(a->in.disclosed_on, &d)) {
        fprintf(stderr, "incident: --disclosed-on must be a real date YYYY-MM-DD\n");
        return false;
    }
    if (civil_date_compare(&d, &today) > 0) {
        fprintf(stderr, "incident: --disclosed-on must not be in the future\n");
        return false;
    }
    if (currency_exponent(a->in.currency) < 0) {
        fprintf(stderr, "incident: --currency must be an ISO 4217 code in capitals, such as EUR "
                        "or KRW\n");
        return false;
    }
    a->in.data_categories = categories_from_csv(a->categories);
    char canonical[256];
    categories_to_csv(a->in.data_categories, canonical, sizeof canonical);
    if (a->in.data_categories == 0 ||
        strlen(canonical) != strlen(a->categories)) {
        print_categories(stderr, "incident: --categories must list distinct categories, "
                                 "comma-separated, of: ");
        return false;
    }
    a->in.status = "open";
    return true;
}

static int
report(enum outcome o, const char *slug, const char *what)
{
    switch (o) {
    case OUTCOME_OK:
        printf("incident %s %s\n", slug, what);
        return 0;
    case OUTCOME_ALREADY_EXISTS:
        fprintf(stderr, "incident: %s already exists\n", slug);
        return 1;
    case OUTCOME_NOT_FOUND:
        fprintf(stderr, "incident: no incident %s\n", slug);
        return 1;
    default:
        fprintf(stderr, "incident: could not write (see the database log)\n");
        return 1;
    }
}

int
cli_incident(const struct config *cfg, int argc, char **argv)
{
    struct arena *a = arena_new();
    struct add_args args = {0};
    struct incident out;
    struct strbuf line = {0};
    struct audit_note note = {.actor = "operator"};
    int rc = 2;
    PGconn *c = NULL;

    if (cli_asks_help(argc, argv, usage)) {
        print_categories(stdout, "categories: ");
        rc = 0;
        goto cleanup;
    }
    if (argc < 1) {
        cli_usage_error("incident", usage, "which subcommand?");
        goto cleanup;
    }
    bool add = strcmp(argv[0], "add") == 0;
    bool set_status = strcmp(argv[0], "close") == 0 || strcmp(argv[0], "open") == 0;
    if (!add && !set_status) {
        cli_usage_error("incident", usage, "unknown subcommand '%s'", argv[0]);
        goto cleanup;
    }
    if (set_status && argc != 2) {
        cli_usage_error("incident", usage, "%s takes one argument, the incident's slug", argv[0]);
        goto cleanup;
    }
    if (set_status && !incident_slug_is_valid(argv[1])) {
        fprintf(stderr, "incident: '%s' is not an incident's slug (3 to 64 of a-z, 0-9 and inner "
                        "hyphens)\n", argv[1]);
        goto cleanup;
    }
    if (add && !(read_add_args(argc - 1, argv + 1, &args) && check_add(&args)))
        goto cleanup;
    /* the audit digest covers the whole command line of the change */
    for (int i = 0; i < argc; i++)
        strbuf_printf(&line, "%s%s", i > 0 ? " " : "", argv[i]);
    note.change = line.data;
    note.change_len = line.len;
    if (!cli_db_url_given(cfg, "incident"))
        goto cleanup;
    rc = 1;
    if (!cli_audit_key_load(cfg, "incident"))
        goto cleanup;
    c = cli_db_open(cfg, "incident", cfg->db_statement_timeout_ms);
    if (c == NULL)
        goto cleanup;
    if (add) {
        rc = report(svc_incidents_create(c, &note, &args.in, a, &out), args.in.slug, "added");
    } else {
        struct incident_patch p = {.has_status = true};
        p.value.status = strcmp(argv[0], "close") == 0 ? "closed" : "open";
        rc = report(svc_incidents_update(c, &note, argv[1], &p, a, &out), argv[1],
                    strcmp(argv[0], "close") == 0 ? "closed" : "reopened");
    }
cleanup:
    PQfinish(c);
    strbuf_free(&line);
    arena_free(a);
    return rc;
}
