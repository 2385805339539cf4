/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* See core/histogram.h. */
#include "core/histogram.h"

void
histogram_observe(struct histogram *h, int64_t value)
{
    uint64_t v = value > 0 ? (uint64_t)value : 0;
    size_t b = 0;

    while (b < h->n_bounds && value > h->bound[b])
        b++;
    atomic_fetch_add_explicit(&h->bucket[b], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&h->sum, v, memory_order_relaxed);
}

static void
put_value(struct strbuf *sb, enum histogram_unit unit, uint64_t v)
{
    if (unit == HISTOGRAM_MICROSECONDS)
        strbuf_printf(sb, "%llu.%06llu", (unsigned long long)(v / 1000000),
                      (unsigned long long)(v % 1000000));
    else
        strbuf_printf(sb, "%llu", (unsigned long long)v);
}

void
histogram_render(struct strbuf *sb, const struct histogram *h, const char *name,
                 const char *labels)
{
    uint64_t cumulative = 0;
    const char *sep = labels != NULL ? "," : "";

    if (labels == NULL)
        labels = "";
    for (size_t b = 0; b <= h->n_bounds; b++) {
        cumulative += atomic_load_explicit(&h->bucket[b], memory_order_relaxed);
        strbuf_printf(sb, "%s_bucket{%s%sle=\"", name, labels, sep);
        if (b < h->n_bounds)
            put_value(sb, h->unit, (uint64_t)h->bound[b]);
        else
            strbuf_puts(sb, "+Inf");
        strbuf_printf(sb, "\"} %llu\n", (unsigned long long)cumulative);
    }
    const char *open = labels[0] != '\0' ? "{" : "", *close = labels[0] != '\0' ? "}" : "";
    strbuf_printf(sb, "%s_sum%s%s%s ", name, open, labels, close);
    put_value(sb, h->unit, atomic_load_explicit(&h->sum, memory_order_relaxed));
    strbuf_printf(sb, "\n%s_count%s%s%s %llu\n", name, open, labels, close,
                  (unsigned long long)cumulative);
}
