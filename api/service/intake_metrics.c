/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* See service/intake_metrics.h. Fixed buckets: fine below 20 ms, where the intake's target
 * lies, coarse above. */
#include "service/intake_metrics.h"

#include <stdio.h>

#include "core/histogram.h"

/* upper bounds in microseconds; one more bucket for +Inf */
static const int64_t bound_us[] = {50,   100,  250,   500,   1000,  2000,  3000,   5000,
                                   7500, 10000, 15000, 20000, 30000, 50000, 100000, 250000};
#define PHASE(name) {name, HISTOGRAM_OF(bound_us, HISTOGRAM_MICROSECONDS)}

static struct {
    const char *name;
    struct histogram h;
} phases[INTAKE_PHASE_COUNT] = {
    [INTAKE_PHASE_HANDLER] = PHASE("handler"),
    [INTAKE_PHASE_PREPARE] = PHASE("prepare"),
    [INTAKE_PHASE_QUEUE] = PHASE("queue"),
    [INTAKE_PHASE_BATCH] = PHASE("batch"),
    /* not "begin" and "commit": a string of those words reads as SQL to check_transactions */
    [INTAKE_STEP_BEGIN] = PHASE("tx_begin"),
    [INTAKE_STEP_CLAIMS] = PHASE("claims"),
    [INTAKE_STEP_MATCHES] = PHASE("matches"),
    [INTAKE_STEP_DUPLICATES] = PHASE("duplicates"),
    [INTAKE_STEP_ELIGIBILITY] = PHASE("eligibility"),
    [INTAKE_STEP_RISK] = PHASE("risk"),
    [INTAKE_STEP_MAIL] = PHASE("mail"),
    [INTAKE_STEP_HOOKS] = PHASE("hooks"),
    [INTAKE_STEP_ANSWERS] = PHASE("answers"),
    [INTAKE_STEP_COMMIT] = PHASE("tx_commit"),
    [INTAKE_STEP_DELIVER] = PHASE("deliver"),
};

/* batch sizes: upper bounds; one more bucket for +Inf */
static const int64_t size_bound[] = {1, 2, 4, 8, 16, 32, 64, 128, 256};
static struct histogram sizes = HISTOGRAM_OF(size_bound, HISTOGRAM_PLAIN);

void
intake_metrics_observe(enum intake_phase p, int64_t ns)
{
    if ((int)p < 0 || p >= INTAKE_PHASE_COUNT)
        return;
    histogram_observe(&phases[p].h, ns > 0 ? ns / 1000 : 0);
}

void
intake_metrics_batch(int n)
{
    histogram_observe(&sizes, n);
}

void
intake_metrics_render(struct strbuf *sb)
{
    char labels[48];

    strbuf_puts(sb, "# HELP recours_intake_phase_seconds Claim intake: time per phase of a "
                    "submission and per statement of a writer's batch.\n"
                    "# TYPE recours_intake_phase_seconds histogram\n");
    for (int p = 0; p < INTAKE_PHASE_COUNT; p++) {
        snprintf(labels, sizeof labels, "phase=\"%s\"", phases[p].name);
        histogram_render(sb, &phases[p].h, "recours_intake_phase_seconds", labels);
    }
    strbuf_puts(sb, "# HELP recours_intake_batch_claims Submissions per batch taken by an "
                    "intake writer.\n# TYPE recours_intake_batch_claims histogram\n");
    histogram_render(sb, &sizes, "recours_intake_batch_claims", NULL);
}
