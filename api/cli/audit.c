/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* recours audit head | verify [--head <seq>:<hex>], and the audit key every command that
 * writes audited changes loads first (the hmac-key of RECOURS_SECRETS_DIR: each process that
 * appends to one chain must use the same secrets). */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/args.h"
#include "cli/db_open.h"
#include "crypto/secrets.h"
#include "db/pool.h"
#include "service/audit.h"

static const char usage[] =
    "usage: recours audit head\n"
    "       recours audit verify [--head <seq>:<64 hex>]\n"
    "  head    prints the chain's last event as <seq>:<hash>, to keep outside the database\n"
    "  verify  walks the chain; with --head, also checks it still holds that kept head\n"
    "          (exit 1 when broken, saying at which seq and why)\n" CLI_USAGE_DATABASE
    "and, for verify, the secrets of RECOURS_SECRETS_DIR (default var/secrets)\n";

bool
cli_audit_key_load(const struct config *cfg, const char *cmd)
{
    struct secrets s;

    if (!secrets_load(cfg->secrets_dir, &s)) {
        fprintf(stderr, "%s: could not read the secrets in %s (RECOURS_SECRETS_DIR): the audit "
                        "chain needs its key\n", cmd, cfg->secrets_dir);
        return false;
    }
    bool ok = svc_audit_key_install(&s);
    secrets_wipe(&s);
    if (!ok)
        fprintf(stderr, "%s: could not derive the audit key\n", cmd);
    return ok;
}

static int
print_head(PGconn *c)
{
    struct audit_head h;

    if (svc_audit_head(c, &h) != OUTCOME_OK) {
        fprintf(stderr, "audit: could not read the head (database error)\n");
        return 1;
    }
    if (h.seq == 0) {
        fprintf(stderr, "audit: the chain is empty\n");
        return 1;
    }
    printf("%lld:%s\n", (long long)h.seq, h.hash);
    return 0;
}

static int
verify(PGconn *c, const struct audit_head *kept, const char *secrets_dir)
{
    struct audit_result v;

    if (svc_audit_verify(c, kept, &v) != OUTCOME_OK) {
        fprintf(stderr, "audit: could not walk the chain (database error)\n");
        return 1;
    }
    if (!v.ok) {
        printf("broken at seq %lld: %s (%lld events verified before it)\n", v.broken_seq,
               v.reason, v.events);
        /* every link under another key fails from the first: far more often the wrong
         * secrets directory (a restore, a copy) than a chain rewritten from its start */
        if (v.broken_seq == 1 && v.events == 0)
            printf("the first event already: is %s/hmac-key the one that wrote this chain? "
                   "(a restore with other secrets: docs/operating.md)\n",
                   secrets_dir);
        return 1;
    }
    printf("ok: %lld events, head %lld:%s\n", v.events, v.events, v.head);
    return 0;
}

int
cli_audit(const struct config *cfg, int argc, char **argv)
{
    struct audit_head kept;
    bool head = argc == 1 && strcmp(argv[0], "head") == 0;
    bool check = argc >= 1 && strcmp(argv[0], "verify") == 0;
    bool with_kept = check && argc == 3 && strcmp(argv[1], "--head") == 0;
    PGconn *c = NULL;
    int rc = 2;

    if (cli_asks_help(argc, argv, usage))
        return 0;
    if (!head && !(check && (argc == 1 || with_kept))) {
        if (argc < 1)
            cli_usage_error("audit", usage, "which subcommand?");
        else if (strcmp(argv[0], "head") == 0)
            cli_usage_error("audit", usage, "head takes no argument");
        else if (check && argc == 2 && strcmp(argv[1], "--head") == 0)
            cli_usage_error("audit", usage, "--head needs a value, <seq>:<hash>");
        else if (check)
            cli_usage_error("audit", usage, "verify takes only --head <seq>:<hash>");
        else
            cli_usage_error("audit", usage, "unknown subcommand '%s'", argv[0]);
        return 2;
    }
    if (with_kept && !svc_audit_head_parse(argv[2], &kept)) {
        fprintf(stderr, "audit: --head must be <seq>:<64 lower-case hex>, as `recours audit "
                        "head` prints it\n");
        return 2;
    }
    if (!cli_db_url_given(cfg, "audit"))
        return 2;
    rc = 1;
    if (check && !cli_audit_key_load(cfg, "audit"))
        return 1;
    c = cli_db_open(cfg, "audit", cfg->db_statement_timeout_ms);
    if (c == NULL)
        goto cleanup;
    rc = head ? print_head(c) : verify(c, with_kept ? &kept : NULL, cfg->secrets_dir);
cleanup:
    PQfinish(c);
    return rc;
}
