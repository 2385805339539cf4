/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* recours eligibility kit|import|recompute: the controller's list (issue 14,
 * docs/eligibility.md). DATABASE_URL and RECOURS_SECRETS_DIR from the environment. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/args.h"
#include "cli/db_open.h"
#include "cli/eligibility_kit.h"
#include "core/arena.h"
#include "crypto/sha256.h"
#include "db/pool.h"
#include "domain/vocab.h"
#include "service/eligibility.h"
#include "service/incidents.h"

static const char usage[] =
    "usage: recours eligibility kit --incident SLUG --out DIR\n"
    "       recours eligibility import --incident SLUG [--max-malformed-share S]\n"
    "                                  [--batch N] FILE\n"
    "       recours eligibility recompute --incident SLUG [--batch N]\n"
    "  kit        writes to DIR what the controller needs to hash its list as recours does:\n"
    "             the incident's matching key (0600), the normalisation, test vectors\n"
    "  import     loads the controller's hashed list from FILE, then re-evaluates every claim\n"
    "             of the incident against it\n"
    "  recompute  re-evaluates every claim of the incident (to finish a cut import)\n"
    "  S is a fraction (default 0.001, i.e. 0.1%); N claims per recompute transaction\n"
    "  (default 5000); FILE '-' reads standard input (docs/eligibility.md)\n" CLI_USAGE_ENV;

struct args {
    const char *incident;
    const char *out;
    const char *file;
    double max_share;
    int batch;
};

/* The options of argv[1..]; argv[0] is the subcommand. False after one line on stderr. */
static bool
read_args(int argc, char **argv, struct args *a)
{
    const char *share = NULL, *batch = NULL;
    const char *operands[1] = {NULL};
    const struct cli_option opts[] = {
        {"--incident", &a->incident, NULL},
        {"--out", &a->out, NULL},
        {"--max-malformed-share", &share, NULL},
        {"--batch", &batch, NULL},
        {NULL, NULL, NULL},
    };
    static const char *const required[] = {"--incident", NULL};
    char *end = NULL;

    a->max_share = 0.001;
    a->batch = 5000;
    /* FILE: one operand, "-" for standard input */
    if (!cli_read_options("eligibility", argc - 1, argv + 1, opts, operands, 1) ||
        !cli_require("eligibility", opts, required))
        return false;
    a->file = operands[0];
    if (share != NULL) {
        errno = 0;
        a->max_share = strtod(share, &end);
        if (end == share || *end != '\0' || errno != 0 || !(a->max_share >= 0.0) ||
            a->max_share > 1.0) {
            fprintf(stderr, "eligibility: --max-malformed-share must be a fraction from 0 to 1, "
                            "such as 0.001\n");
            return false;
        }
    }
    if (batch != NULL) {
        errno = 0;
        long n = strtol(batch, &end, 10);
        if (end == batch || *end != '\0' || errno != 0 || n < 1 || n > 1000000) {
            fprintf(stderr, "eligibility: --batch must be an integer from 1 to 1000000\n");
            return false;
        }
        a->batch = (int)n;
    }
    if (!incident_slug_is_valid(a->incident)) {
        fprintf(stderr, "eligibility: --incident must be an incident's slug (3 to 64 of a-z, "
                        "0-9 and inner hyphens)\n");
        return false;
    }
    return true;
}

/* The secrets' HMAC key and the incident, or a message and false. */
static bool
load(const struct config *cfg, PGconn *c, const char *slug, struct arena *ar,
     struct incident *inc, struct secrets *sec)
{
    if (svc_incidents_get(c, slug, ar, inc) != OUTCOME_OK) {
        fprintf(stderr, "eligibility: no incident %s (or the database cannot be read)\n", slug);
        return false;
    }
    if (sec != NULL && !secrets_load(cfg->secrets_dir, sec)) {
        fprintf(stderr, "eligibility: could not read the secrets in %s (RECOURS_SECRETS_DIR)\n",
                cfg->secrets_dir);
        return false;
    }
    return true;
}

static FILE *
create_in(const char *dir, const char *name, mode_t mode)
{
    char path[4096];

    /* cut short, the path would name another file: the key written where no one looks */
    int len = snprintf(path, sizeof path, "%s/%s", dir, name);
    if (len < 0 || (size_t)len >= sizeof path) {
        fprintf(stderr, "eligibility: cannot write %s/%s: path too long\n", dir, name);
        return NULL;
    }
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (f == NULL) {
        fprintf(stderr, "eligibility: cannot write %s: %s\n", path, strerror(errno));
        if (fd >= 0)
            close(fd);
    }
    return f;
}

static bool
finish(FILE *f)
{
    bool ok = f != NULL && !ferror(f);
    if (f != NULL && fclose(f) != 0)
        ok = false;
    return ok;
}

static int
kit(const struct config *cfg, PGconn *c, const struct args *a, struct arena *ar)
{
    struct incident inc;
    struct secrets sec;
    uint8_t key[KEYED_HASH_KEY_LEN];
    char hex[2 * KEYED_HASH_KEY_LEN + 1];
    int rc = 1;

    if (!cli_audit_key_load(cfg, "eligibility") || !load(cfg, c, a->incident, ar, &inc, &sec))
        return 1;
    bool derived = matching_key_derive(sec.hmac_key, inc.id, key);
    secrets_wipe(&sec);
    if (!derived) {
        fprintf(stderr, "eligibility: could not derive the matching key\n");
        return 1;
    }
    /* recorded before the key leaves the database's keeping: a kit written is a key given */
    if (eligibility_kit_audit(c, inc.slug, a->out) != OUTCOME_OK) {
        fprintf(stderr, "eligibility: could not record the kit in the audit chain; not written\n");
        goto cleanup;
    }
    if (mkdir(a->out, 0700) != 0 && errno != EEXIST) {
        fprintf(stderr, "eligibility: cannot make %s: %s\n", a->out, strerror(errno));
        goto cleanup;
    }
    hex_encode(key, sizeof key, hex);
    FILE *f = create_in(a->out, "matching-key.hex", 0600);
    if (f != NULL)
        fprintf(f, "%s\n", hex);
    bool ok = finish(f);
    f = ok ? create_in(a->out, "NORMALISATION.md", 0644) : NULL;
    if (f != NULL)
        eligibility_kit_normalisation(f, inc.slug);
    ok = ok && finish(f);
    f = ok ? create_in(a->out, "test-vectors.csv", 0644) : NULL;
    bool vectors = f != NULL && eligibility_kit_vectors(f, key);
    ok = finish(f) && ok && vectors;
    if (ok) {
        printf("eligibility: kit for %s written in %s\n", inc.slug, a->out);
        rc = 0;
    } else {
        fprintf(stderr, "eligibility: the kit could not be written completely\n");
    }
cleanup:
    explicit_bzero(key, sizeof key);
    explicit_bzero(hex, sizeof hex);
    return rc;
}

static int
recompute(PGconn *c, int64_t incident_id, int batch)
{
    int64_t counts[3];
    int64_t n = eligibility_recompute(c, incident_id, batch, stderr);

    if (n < 0) {
        fprintf(stderr, "eligibility: the recompute failed (status %lld); run "
                        "'recours eligibility recompute' again\n", (long long)n);
        return 1;
    }
    if (eligibility_counts(c, incident_id, counts) != 0)
        return 1;
    printf("eligibility: %lld claim%s evaluated again; matched %lld, unmatched %lld, "
           "unknown %lld\n",
           (long long)n, n == 1 ? "" : "s", (long long)counts[0], (long long)counts[1],
           (long long)counts[2]);
    return 0;
}

static int
import(const struct config *cfg, PGconn *c, const struct args *a, struct arena *ar)
{
    struct incident inc;
    struct eligibility_import_result r;

    if (!cli_audit_key_load(cfg, "eligibility") || !load(cfg, c, a->incident, ar, &inc, NULL))
        return 1;
    FILE *in = strcmp(a->file, "-") == 0 ? stdin : fopen(a->file, "r");
    if (in == NULL) {
        fprintf(stderr, "eligibility: cannot read %s: %s\n", a->file, strerror(errno));
        return 1;
    }
    int rc = eligibility_import(c, inc.id, inc.slug, in, a->max_share, stderr, &r);
    if (in != stdin)
        fclose(in);
    if (rc != 0) {
        fprintf(stderr, "eligibility: the import failed (%s); nothing changed\n",
                rc == -100 ? "read error" : "database error");
        return 1;
    }
    if (r.malformed > 0) {
        fprintf(stderr, "eligibility: %lld malformed lines of %lld; first at lines",
                (long long)r.malformed, (long long)r.lines);
        for (int64_t i = 0; i < r.malformed && i < ELIGIBILITY_REPORT_LINES; i++)
            fprintf(stderr, " %lld", (long long)r.bad_lines[i]);
        fputc('\n', stderr);
    }
    if (r.refused) {
        fprintf(stderr, "eligibility: refused: %lld malformed lines of %lld exceed the share "
                        "allowed (%g); nothing changed\n",
                (long long)r.malformed, (long long)r.lines, a->max_share);
        return 1;
    }
    if (r.unchanged)
        printf("eligibility: unchanged: this file is version %d already\n", r.version);
    else
        printf("eligibility: version %d in force: %lld hash%s from %lld line%s\n", r.version,
               (long long)r.entries, r.entries == 1 ? "" : "es", (long long)r.lines,
               r.lines == 1 ? "" : "s");
    /* also after an unchanged file: it finishes a recompute an earlier run left halfway */
    return recompute(c, inc.id, a->batch);
}

int
cli_eligibility(const struct config *cfg, int argc, char **argv)
{
    struct args a = {0};
    struct arena *ar = arena_new();
    int rc = 2;
    PGconn *c = NULL;

    if (cli_asks_help(argc, argv, usage)) {
        rc = 0;
        goto cleanup;
    }
    if (argc < 1) {
        cli_usage_error("eligibility", usage, "which subcommand?");
        goto cleanup;
    }
    bool is_kit = strcmp(argv[0], "kit") == 0;
    bool is_import = strcmp(argv[0], "import") == 0;
    bool is_recompute = strcmp(argv[0], "recompute") == 0;
    if (!is_kit && !is_import && !is_recompute) {
        cli_usage_error("eligibility", usage, "unknown subcommand '%s'", argv[0]);
        goto cleanup;
    }
    if (!read_args(argc, argv, &a))
        goto cleanup;
    /* what each subcommand needs, before the database: a usage error exits 2 */
    if (is_kit && (a.out == NULL || a.file != NULL)) {
        fprintf(stderr, a.out == NULL ? "eligibility: kit needs --out DIR\n"
                                      : "eligibility: kit takes no FILE\n");
        goto cleanup;
    }
    if (is_import && a.file == NULL) {
        fprintf(stderr, "eligibility: import needs the FILE to read ('-': standard input)\n");
        goto cleanup;
    }
    if (is_recompute && a.file != NULL) {
        fprintf(stderr, "eligibility: recompute takes no FILE\n");
        goto cleanup;
    }
    if (!cli_db_url_given(cfg, "eligibility"))
        goto cleanup;
    rc = 1;
    c = cli_db_open(cfg, "eligibility", 0); /* a list of millions takes minutes */
    if (c == NULL)
        goto cleanup;
    if (is_kit) {
        rc = kit(cfg, c, &a, ar);
    } else if (is_import) {
        rc = import(cfg, c, &a, ar);
    } else {
        struct incident inc;
        rc = load(cfg, c, a.incident, ar, &inc, NULL) ? recompute(c, inc.id, a.batch) : 1;
    }
cleanup:
    PQfinish(c);
    arena_free(ar);
    return rc;
}
