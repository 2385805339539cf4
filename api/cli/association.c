/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* recours association add|approve|suspend and recours key issue|revoke: the operator's register
 * of associations and API keys without curl. Goes through the same service functions as the
 * API, audited as "operator" with the command line as the digested change. A key's secret is
 * printed once and never stored (only its keyed hash). */
#include <openssl/crypto.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/args.h"
#include "cli/db_open.h"
#include "core/arena.h"
#include "core/strbuf.h"
#include "crypto/secrets.h"
#include "db/pool.h"
#include "domain/countries.h"
#include "domain/dates.h"
#include "domain/normalize.h"
#include "domain/uuid.h"
#include "service/associations.h"

static const char association_usage[] =
    "usage: recours association add --name N --approval-reference R --approved-from YYYY-MM-DD\n"
    "                               [--approved-until YYYY-MM-DD] --country FR\n"
    "                               [--contact-email E]\n"
    "       recours association approve ID | recours association suspend ID\n"
    "  add      registers an association, pending: its keys read but may not write, and the\n"
    "           public list does not show it; prints its ID\n"
    "  approve  lets it write and shows it publicly (until --approved-until, if given);\n"
    "           suspend undoes that\n"
    "  --approval-reference  the reference of its approval (agrément) by the authority\n"
    "  ID  the association's id, as `association add` printed it (GET /v1/associations with\n"
    "      the operator key lists them)\n" CLI_USAGE_ENV;

static const char key_usage[] =
    "usage: recours key issue --association ID [--label L]\n"
    "       recours key issue --operator [--label L]\n"
    "       recours key revoke KEY_ID\n"
    "  issue   makes an API key and prints its id and its secret, once: only a keyed hash\n"
    "          of the secret is kept\n"
    "  revoke  the key is refused from then on (repeatable)\n"
    "  --operator  an operator API key, revocable, besides the one in the secrets' operator-key\n"
    "  KEY_ID  the key's id, as `key issue` printed it (\"key <KEY_ID> issued\"), not its "
    "secret\n" CLI_USAGE_ENV;

static bool
date_ok(const char *flag, const char *v, struct civil_date *out)
{
    if (civil_date_parse(v, out))
        return true;
    fprintf(stderr, "association: %s must be a real date YYYY-MM-DD\n", flag);
    return false;
}

/* Why argv is not a subcommand: none, an unknown one, or one of those taking one ID (id_a,
 * id_b) given none or more. */
static void
subcommand_error(const char *cmd, const char *usage, int argc, char **argv, const char *id_a,
                 const char *id_b)
{
    if (argc < 1)
        cli_usage_error(cmd, usage, "which subcommand?");
    else if (strcmp(argv[0], id_a) == 0 || (id_b != NULL && strcmp(argv[0], id_b) == 0))
        cli_usage_error(cmd, usage, "%s takes one argument, the ID", argv[0]);
    else
        cli_usage_error(cmd, usage, "unknown subcommand '%s'", argv[0]);
}

/* The checks of AssociationInput (api/openapi.json, docs/api.md §10.2) on a new association;
 * in->country becomes upper case. */
static bool
check_add(struct association *in, char country[3])
{
    struct civil_date from, until;
    char email[256];

    if (!cli_text_ok("association", "--name", &in->name, 200) ||
        !cli_text_ok("association", "--approval-reference", &in->approval_reference, 200) ||
        !date_ok("--approved-from", in->approved_from, &from) ||
        (in->approved_until != NULL && !date_ok("--approved-until", in->approved_until, &until)))
        return false;
    if (in->approved_until != NULL && civil_date_compare(&until, &from) < 0) {
        fprintf(stderr, "association: --approved-until must not precede --approved-from\n");
        return false;
    }
    if (!country_normalize(in->country, country)) {
        fprintf(stderr, "association: --country must be an ISO 3166-1 alpha-2 code such as FR\n");
        return false;
    }
    in->country = country;
    if (in->contact_email != NULL &&
        (strlen(in->contact_email) > 254 ||
         !normalize_email(in->contact_email, email, sizeof email))) {
        fprintf(stderr, "association: --contact-email must be an address name@example.org\n");
        return false;
    }
    return true;
}

/* Exit status of a service outcome, with its message. */
static int
report(const char *cmd, enum outcome o, const char *what)
{
    switch (o) {
    case OUTCOME_OK:
        return 0;
    case OUTCOME_NOT_FOUND:
        fprintf(stderr, "%s: no %s with this id (the id `recours %s %s` printed)\n", cmd, what,
                what, strcmp(what, "key") == 0 ? "issue" : "add");
        return 1;
    case OUTCOME_UNAVAILABLE:
        fprintf(stderr, "%s: could not reach the database\n", cmd);
        return 1;
    default:
        fprintf(stderr, "%s: could not write (see the database log)\n", cmd);
        return 1;
    }
}

/* The audit digest covers the whole command line of the change. */
static void
note_of(const char *cmd, int argc, char **argv, struct strbuf *line, struct audit_note *note)
{
    strbuf_puts(line, cmd);
    for (int i = 0; i < argc; i++)
        strbuf_printf(line, " %s", argv[i]);
    note->actor = "operator";
    note->change = line->data;
    note->change_len = line->len;
}

static PGconn *
connect_db(const struct config *cfg, const char *cmd)
{
    if (!cli_audit_key_load(cfg, cmd))
        return NULL;
    return cli_db_open(cfg, cmd, cfg->db_statement_timeout_ms);
}

/* What a command runs once its arguments are checked; its exit status. */
typedef int (*change_fn)(const struct config *cfg, PGconn *c, const struct audit_note *note,
                         struct arena *a, void *args);

/* The frame of every change made from the command line: the audit note of the command line,
 * one connection, run, everything released; 2 without DATABASE_URL, 1 when the database cannot
 * be used. */
static int
run_change(const struct config *cfg, const char *cmd, int argc, char **argv, change_fn run,
           void *args)
{
    struct strbuf line = {0};
    struct audit_note note;
    struct arena *a;
    int rc = 1;

    if (!cli_db_url_given(cfg, cmd))
        return 2;
    a = arena_new();
    note_of(cmd, argc, argv, &line, &note);
    PGconn *c = connect_db(cfg, cmd);
    if (c != NULL)
        rc = run(cfg, c, &note, a, args);
    PQfinish(c);
    strbuf_free(&line);
    arena_free(a);
    return rc;
}

static int
association_add(PGconn *c, const struct audit_note *note, struct association *in,
                struct arena *a)
{
    struct association out;
    int rc = report("association", svc_associations_create(c, note, in, a, &out),
                    "association");

    if (rc == 0)
        printf("association %s added (%s)\n", out.id, out.status);
    return rc;
}

static int
association_set_status(PGconn *c, const struct audit_note *note, const char *id,
                       const char *status, struct arena *a)
{
    struct association_patch p = {.has_status = true};
    struct association out;
    const char *bad = NULL;

    p.value.status = status;
    int rc = report("association", svc_associations_update(c, note, id, &p, a, &out, &bad),
                    "association");
    if (rc != 0)
        return rc;
    printf("association %s %s\n", out.id, status);
    if (strcmp(out.status, "lapsed") == 0)
        printf("note: today is outside its approval period: it reads as lapsed and may not "
               "write\n");
    return 0;
}

/* The checked arguments of `recours association`. */
struct association_args {
    struct association in;
    char country[3];
    bool add;
    bool approve;
    const char *id; /* approve, suspend */
};

static int
association_run(const struct config *cfg, PGconn *c, const struct audit_note *note,
                struct arena *a, void *args)
{
    struct association_args *x = args;

    (void)cfg;
    return x->add ? association_add(c, note, &x->in, a)
                  : association_set_status(c, note, x->id,
                                           x->approve ? "approved" : "suspended", a);
}

int
cli_association(const struct config *cfg, int argc, char **argv)
{
    struct association_args x = {0};
    const struct cli_option add_opts[] = {
        {"--name", &x.in.name, NULL},
        {"--approval-reference", &x.in.approval_reference, NULL},
        {"--approved-from", &x.in.approved_from, NULL},
        {"--approved-until", &x.in.approved_until, NULL},
        {"--country", &x.in.country, NULL},
        {"--contact-email", &x.in.contact_email, NULL},
        {NULL, NULL, NULL},
    };

    if (cli_asks_help(argc, argv, association_usage))
        return 0;
    x.add = argc >= 1 && strcmp(argv[0], "add") == 0;
    x.approve = argc == 2 && strcmp(argv[0], "approve") == 0;
    bool suspend = argc == 2 && strcmp(argv[0], "suspend") == 0;
    static const char *const required[] = {"--name", "--approval-reference", "--approved-from",
                                           "--country", NULL};
    if (!x.add && !x.approve && !suspend) {
        subcommand_error("association", association_usage, argc, argv, "approve", "suspend");
        return 2;
    }
    if (x.add ? !(cli_read_options("association", argc - 1, argv + 1, add_opts, NULL, 0) &&
                  cli_require("association", add_opts, required) && check_add(&x.in, x.country))
              : !cli_id_ok("association", "ID", argv[1]))
        return 2;
    x.id = x.add ? NULL : argv[1];
    return run_change(cfg, "association", argc, argv, association_run, &x);
}

/* The API issues a key to an association whatever its status, and so does the command line;
 * but a key that may not write should not come as a surprise: said on stderr, as a note. */
static void
note_owner_status(PGconn *c, const char *association_id, struct arena *a)
{
    struct association owner;

    if (association_id == NULL ||
        svc_associations_get(c, association_id, a, &owner) != OUTCOME_OK ||
        strcmp(owner.status, "approved") == 0)
        return;
    fprintf(stderr,
            "key: note: association %s is %s: its key reads but may not write until the "
            "association is approved\n",
            association_id, owner.status);
}

static int
key_issue(const struct config *cfg, PGconn *c, const struct audit_note *note,
          const char *association_id, const char *label, struct arena *a)
{
    struct secrets sec;
    struct api_key key;
    char secret[API_KEY_LEN + 1];

    if (!secrets_load(cfg->secrets_dir, &sec)) {
        fprintf(stderr, "key: could not read the secrets in %s (RECOURS_SECRETS_DIR)\n",
                cfg->secrets_dir);
        return 1;
    }
    int rc = report("key", svc_keys_issue(c, &sec, note, association_id, label, a, &key, secret),
                    "association");
    secrets_wipe(&sec);
    if (rc == 0) {
        printf("key %s issued (prefix %s) for %s%s\n", key.id, key.prefix,
               association_id != NULL ? "association " : "the operator",
               association_id != NULL ? association_id : "");
        printf("secret (shown once, store it now):\n%s\n", secret);
        /* only its hash is kept: a secret lost to a closed or full stdout is a key no one
         * holds, and the run must not look like it gave one */
        if (!cli_stdout_flushed("key", "the secret is lost: revoke key %s and issue another",
                                key.id)) {
            rc = 1;
        } else {
            note_owner_status(c, association_id, a);
        }
    }
    OPENSSL_cleanse(secret, sizeof secret);
    return rc;
}

/* The checked arguments of `recours key`. */
struct key_args {
    bool issue;
    const char *association_id; /* issue: NULL for an operator key */
    const char *label;          /* issue, optional */
    const char *key_id;         /* revoke */
};

static int
key_run(const struct config *cfg, PGconn *c, const struct audit_note *note, struct arena *a,
        void *args)
{
    const struct key_args *x = args;
    int rc;

    if (x->issue)
        return key_issue(cfg, c, note, x->association_id, x->label, a);
    if ((rc = report("key", svc_keys_revoke(c, note, x->key_id), "key")) == 0)
        printf("key %s revoked\n", x->key_id);
    return rc;
}

int
cli_key(const struct config *cfg, int argc, char **argv)
{
    struct key_args x = {0};
    bool operator_key = false;
    const struct cli_option issue_opts[] = {
        {"--association", &x.association_id, NULL},
        {"--operator", NULL, &operator_key},
        {"--label", &x.label, NULL},
        {NULL, NULL, NULL},
    };

    if (cli_asks_help(argc, argv, key_usage))
        return 0;
    x.issue = argc >= 1 && strcmp(argv[0], "issue") == 0;
    bool revoke = argc == 2 && strcmp(argv[0], "revoke") == 0;
    if (!x.issue && !revoke) {
        subcommand_error("key", key_usage, argc, argv, "revoke", NULL);
        return 2;
    }
    if (x.issue) {
        if (!cli_read_options("key", argc - 1, argv + 1, issue_opts, NULL, 0))
            return 2;
        if ((x.association_id != NULL) == operator_key) {
            fprintf(stderr, "key: give exactly one of --association ID or --operator\n%s",
                    key_usage);
            return 2;
        }
        if ((x.association_id != NULL && !cli_id_ok("key", "--association", x.association_id)) ||
            (x.label != NULL && !cli_text_ok("key", "--label", &x.label, 200)))
            return 2;
    } else if (strncmp(argv[1], "rk_", 3) == 0 || strncmp(argv[1], "rop_", 4) == 0) {
        fprintf(stderr, "key: KEY_ID is the key's id that `recours key issue` printed (\"key "
                        "<KEY_ID> issued\"), not its secret or prefix\n");
        return 2;
    } else if (!cli_id_ok("key", "KEY_ID", argv[1])) {
        return 2;
    }
    x.key_id = x.issue ? NULL : argv[1];
    return run_change(cfg, "key", argc, argv, key_run, &x);
}
