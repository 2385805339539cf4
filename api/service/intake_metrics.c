/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* See service/intake_metrics.h. Fixed buckets: fine below 20 ms, where the intake's target
 * lies, coarse above. */
#include "service/intake_metrics.h"

#include <stdatomic.h>
#include <stddef.h>

static const char *const phase_name[INTAKE_PHASE_COUNT] = {
    [INTAKE_PHASE_HANDLER] = "handler",
    [INTAKE_PHASE_PREPARE] = "prepare",
    [INTAKE_PHASE_QUEUE] = "queue",
    [INTAKE_PHASE_BATCH] = "batch",
    /* not "begin" and "commit": a string of those words reads as SQL to check_transactions */
    [INTAKE_STEP_BEGIN] = "tx_begin",
    [INTAKE_STEP_CLAIMS] = "claims",
    [INTAKE_STEP_MATCHES] = "matches",
    [INTAKE_STEP_DUPLICATES] = "duplicates",
    [INTAKE_STEP_ELIGIBILITY] = "eligibility",
    [INTAKE_STEP_RISK] = "risk",
    [INTAKE_STEP_MAIL] = "mail",
    [INTAKE_STEP_ANSWERS] = "answers",
    [INTAKE_STEP_COMMIT] = "tx_commit",
    [INTAKE_STEP_DELIVER] = "deliver",
};

/* upper bounds in microseconds; one more bucket for +Inf */
static const int64_t bound_us[] = {50,   100,  250,   500,   1000,  2000,  3000,   5000,
                                   7500, 10000, 15000, 20000, 30000, 50000, 100000, 250000};
#define N_BOUNDS (sizeof bound_us / sizeof bound_us[0])

struct histogram {
    _Atomic uint64_t bucket[N_BOUNDS + 1];
    _Atomic uint64_t sum_us;
};

static struct histogram phases[INTAKE_PHASE_COUNT];

/* batch sizes: upper bounds; one more bucket for +Inf */
static const int size_bound[] = {1, 2, 4, 8, 16, 32, 64, 128, 256};
#define N_SIZES (sizeof size_bound / sizeof size_bound[0])
static _Atomic uint64_t size_bucket[N_SIZES + 1];
static _Atomic uint64_t size_sum;

void
intake_metrics_observe(enum intake_phase p, int64_t ns)
{
    int64_t us = ns > 0 ? ns / 1000 : 0;
    size_t b = 0;

    if ((int)p < 0 || p >= INTAKE_PHASE_COUNT)
        return;
    while (b < N_BOUNDS && us > bound_us[b])
        b++;
    atomic_fetch_add_explicit(&phases[p].bucket[b], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&phases[p].sum_us, (uint64_t)us, memory_order_relaxed);
}

void
intake_metrics_batch(int n)
{
    size_t b = 0;

    while (b < N_SIZES && n > size_bound[b])
        b++;
    atomic_fetch_add_explicit(&size_bucket[b], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&size_sum, (uint64_t)(n > 0 ? n : 0), memory_order_relaxed);
}

/* "0.000050" from 50 microseconds */
static void
put_seconds(struct strbuf *sb, uint64_t us)
{
    strbuf_printf(sb, "%llu.%06llu", (unsigned long long)(us / 1000000),
                  (unsigned long long)(us % 1000000));
}

static void
render_phase(struct strbuf *sb, int p)
{
    uint64_t cumulative = 0;

    for (size_t b = 0; b <= N_BOUNDS; b++) {
        cumulative += atomic_load_explicit(&phases[p].bucket[b], memory_order_relaxed);
        strbuf_printf(sb, "recours_intake_phase_seconds_bucket{phase=\"%s\",le=\"",
                      phase_name[p]);
        if (b < N_BOUNDS)
            put_seconds(sb, (uint64_t)bound_us[b]);
        else
            strbuf_puts(sb, "+Inf");
        strbuf_printf(sb, "\"} %llu\n", (unsigned long long)cumulative);
    }
    strbuf_printf(sb, "recours_intake_phase_seconds_sum{phase=\"%s\"} ", phase_name[p]);
    put_seconds(sb, atomic_load_explicit(&phases[p].sum_us, memory_order_relaxed));
    strbuf_printf(sb, "\nrecours_intake_phase_seconds_count{phase=\"%s\"} %llu\n",
                  phase_name[p], (unsigned long long)cumulative);
}

void
intake_metrics_render(struct strbuf *sb)
{
    uint64_t cumulative = 0;

    strbuf_puts(sb, "# HELP recours_intake_phase_seconds Claim intake: time per phase of a "
                    "submission and per statement of a writer's batch.\n"
                    "# TYPE recours_intake_phase_seconds histogram\n");
    for (int p = 0; p < INTAKE_PHASE_COUNT; p++)
        render_phase(sb, p);
    strbuf_puts(sb, "# HELP recours_intake_batch_claims Submissions per batch taken by an "
                    "intake writer.\n# TYPE recours_intake_batch_claims histogram\n");
    for (size_t b = 0; b <= N_SIZES; b++) {
        cumulative += atomic_load_explicit(&size_bucket[b], memory_order_relaxed);
        if (b < N_SIZES)
            strbuf_printf(sb, "recours_intake_batch_claims_bucket{le=\"%d\"} %llu\n",
                          size_bound[b], (unsigned long long)cumulative);
        else
            strbuf_printf(sb, "recours_intake_batch_claims_bucket{le=\"+Inf\"} %llu\n",
                          (unsigned long long)cumulative);
    }
    strbuf_printf(sb, "recours_intake_batch_claims_sum %llu\nrecours_intake_batch_claims_count "
                      "%llu\n",
                  (unsigned long long)atomic_load_explicit(&size_sum, memory_order_relaxed),
                  (unsigned long long)cumulative);
}
