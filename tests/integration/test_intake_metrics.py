#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""The intake's own timings in /metrics (api/service/intake_metrics.c, issue 15): where a
claim's time goes, per phase of a submission and per statement of a writer's batch, with the
batch sizes. What an operator reading /metrics must be able to rely on:

- every submission that reached the queue is counted once in each of its phases (handler,
  prepare, queue, batch), and in the batch sizes;
- every batch transaction counts its statements (begin, claims, the per-claim writes,
  commit) and the delivery of its outcomes, a refused duplicate the statement that found it;
- each histogram is well formed: cumulative buckets ending in +Inf, _count = the +Inf bucket.
"""

import re
import unittest

import claims_fixtures as cf
import harness

SUBMISSION_PHASES = ("handler", "prepare", "queue", "batch")
BATCH_STEPS = ("tx_begin", "claims", "eligibility", "risk", "mail", "hooks", "tx_commit",
               "deliver")


def histograms(text):
    """{phase: (buckets [(le, count)], count, sum)} of recours_intake_phase_seconds."""
    out = {}
    for phase, le, v in re.findall(
            r'^recours_intake_phase_seconds_bucket\{phase="([a-z_]+)",le="([^"]+)"\} (\d+)$',
            text, re.M):
        out.setdefault(phase, [[], 0, 0.0])[0].append((le, int(v)))
    for phase, v in re.findall(r'^recours_intake_phase_seconds_count\{phase="([a-z_]+)"\} (\d+)$',
                               text, re.M):
        out[phase][1] = int(v)
    for phase, v in re.findall(
            r'^recours_intake_phase_seconds_sum\{phase="([a-z_]+)"\} ([0-9.]+)$', text, re.M):
        out[phase][2] = float(v)
    return out


def batch_sizes(text):
    count = re.search(r"^recours_intake_batch_claims_count (\d+)$", text, re.M)
    total = re.search(r"^recours_intake_batch_claims_sum (\d+)$", text, re.M)
    return int(count.group(1)), int(total.group(1))


class IntakeMetricsTest(unittest.TestCase):
    def scrape(self):
        r = self.c.request("GET", "/metrics")
        self.assertEqual(r.status, 200)
        return r.body.decode("utf-8")

    def test_every_submission_counted_in_each_phase(self):
        server = cf.start_server(self)
        self.c = harness.Client(server)
        self.addCleanup(self.c.close)
        self.slug = cf.make_incident(server)
        before = self.scrape()
        h0 = histograms(before)
        for phase in SUBMISSION_PHASES + BATCH_STEPS + ("matches",):
            self.assertIn(phase, h0, f"no histogram for phase {phase}")
        batches0, claims0 = batch_sizes(before)

        first = cf.claim_body()
        cf.submit_ok(self, self.c, self.slug, first)
        cf.submit_ok(self, self.c, self.slug)
        dup = cf.submit(self.c, self.slug, cf.claim_body(claimant={"email": first["claimant"]["email"]}))
        self.assertEqual(dup.status, 409, repr(dup))

        def counted():
            text = self.scrape()
            h = histograms(text)
            return (text, h) if h["batch"][1] - h0["batch"][1] >= 3 else None

        text, h1 = harness.poll(counted, 10, what="the three submissions in /metrics")
        for phase in SUBMISSION_PHASES:
            self.assertEqual(h1[phase][1] - h0[phase][1], 3, f"phase {phase}")
        for step in BATCH_STEPS:
            self.assertGreaterEqual(h1[step][1] - h0[step][1], 1, f"step {step}")
        # the duplicate went into no claim row: the statement that found its match ran
        self.assertGreaterEqual(h1["matches"][1] - h0["matches"][1], 1)
        batches1, claims1 = batch_sizes(text)
        self.assertEqual(claims1 - claims0, 3)
        self.assertGreaterEqual(batches1 - batches0, 1)
        self.assertLessEqual(batches1 - batches0, 3)

        for phase, (buckets, count, total) in h1.items():
            self.assertEqual(buckets[-1][0], "+Inf", phase)
            counts = [v for _, v in buckets]
            self.assertEqual(counts, sorted(counts), f"{phase}: buckets are cumulative")
            self.assertEqual(count, counts[-1], phase)
            self.assertGreaterEqual(total, 0.0, phase)
        # a claim's time in the server is at least its time in the queue and in its batch
        spent = {p: h1[p][2] - h0[p][2] for p in SUBMISSION_PHASES}
        self.assertGreater(spent["batch"], 0.0)


if __name__ == "__main__":
    harness.main()
