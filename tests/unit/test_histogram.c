/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* core/histogram: a value lands in the first bucket whose bound it does not exceed (a negative
 * one in the first, counted as 0), and the rendering is the Prometheus text /metrics wrote
 * before the two histograms of http/metrics.c and service/intake_metrics.c were folded into
 * this one: cumulative buckets, seconds with six decimals for microseconds, labels before le. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/histogram.h"
#include "core/strbuf.h"

static const int64_t bound_us[] = {500, 2500000};
static const int64_t bound_n[] = {1, 4};

static char *
rendered(const struct histogram *h, const char *name, const char *labels)
{
    struct strbuf sb = {0};

    histogram_render(&sb, h, name, labels);
    return strbuf_take(&sb);
}

static void
test_microseconds_with_labels(void **state)
{
    struct histogram h = HISTOGRAM_OF(bound_us, HISTOGRAM_MICROSECONDS);

    (void)state;
    histogram_observe(&h, -7);      /* counted as 0, first bucket */
    histogram_observe(&h, 500);     /* on the bound: that bucket */
    histogram_observe(&h, 501);     /* above it: the next */
    histogram_observe(&h, 3000000); /* above every bound: +Inf */
    char *text = rendered(&h, "x_seconds", "phase=\"queue\"");
    assert_string_equal(text, "x_seconds_bucket{phase=\"queue\",le=\"0.000500\"} 2\n"
                              "x_seconds_bucket{phase=\"queue\",le=\"2.500000\"} 3\n"
                              "x_seconds_bucket{phase=\"queue\",le=\"+Inf\"} 4\n"
                              "x_seconds_sum{phase=\"queue\"} 3.001001\n"
                              "x_seconds_count{phase=\"queue\"} 4\n");
    free(text);
}

static void
test_plain_without_labels(void **state)
{
    struct histogram h = HISTOGRAM_OF(bound_n, HISTOGRAM_PLAIN);

    (void)state;
    histogram_observe(&h, 3);
    histogram_observe(&h, 9);
    char *text = rendered(&h, "n", NULL);
    assert_string_equal(text, "n_bucket{le=\"1\"} 0\n"
                              "n_bucket{le=\"4\"} 1\n"
                              "n_bucket{le=\"+Inf\"} 2\n"
                              "n_sum 12\n"
                              "n_count 2\n");
    free(text);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_microseconds_with_labels),
        cmocka_unit_test(test_plain_without_labels),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
