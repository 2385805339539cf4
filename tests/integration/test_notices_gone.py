#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""A batch of notice messages, read in one statement (api/service/mail_delivery.c,
read_notices), each row settled by its own fate (docs/workspace.md "Progress"):

  - the members still in the action, not opted out, get the notice once each, in their
    language;
  - a claim that is not (or no longer) a member of the notice's action, a member who stopped
    non-essential notices after the queueing, and a row whose claim no longer exists (possible
    since the outbox has no foreign keys, db-migrations/0021) each fail with their own reason;
    the notice's progress counts them; nothing else in the batch is held up.

The rows are queued in SQL in one transaction together with the changes that make them fail,
so that the server sees them only as one: the order of events is fixed, no timing."""

import unittest

import assoc_fixtures as af
import claims_fixtures as cf
import harness
import mail_fixtures as mf
import notice_fixtures as nf


class NoticesGoneTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        nf.start_delivering_server(cls, "notices_gone_", mail_rate=0)

    def test_each_row_of_a_batch_settles_by_its_own_fate(self):
        c = harness.Client(self.server)
        self.addCleanup(c.close)
        slug = cf.make_incident(self.server)
        assoc = af.approved_association(self.server, client=c)
        action = af.open_action(assoc, slug, client=c)
        other = af.open_action(af.approved_association(self.server, client=c), slug, client=c)
        fr = af.mandated_claim(self.server, slug, action, client=c)
        en = af.mandated_claim(self.server, slug, action, client=c, lang="en")
        stops = af.mandated_claim(self.server, slug, action, client=c)
        outsider = af.mandated_claim(self.server, slug, other, client=c)
        tag = " " + cf.letters(8)
        r = assoc.request("POST", f"/v1/actions/{action['id']}/notices", nf.draft_body(tag=tag),
                          client=c)
        self.assertEqual(r.status, 201, repr(r))
        notice = r.json()["id"]
        refs = ", ".join(cf.sql_literal(m["reference"]) for m in (fr, en, stops, outsider))
        missing = int(cf.psql("SELECT max(id) + 1000 FROM claims", url=self.url)[0][0])
        cf.psql(f"""BEGIN;
            UPDATE notices SET sent_by = 'test', sent_at = now(), audience = '{{}}',
                   matching = 5, recipients = 5, skipped_opted_out = 0
             WHERE id = '{notice}';
            INSERT INTO outbox (kind, claim_id, lang, notice_id)
            SELECT 'notice', id, lang, '{notice}'::uuid FROM claims WHERE reference IN ({refs})
            UNION ALL SELECT 'notice', {missing}, 'fr', '{notice}'::uuid;
            UPDATE claims SET notices_opt_out_at = now()
             WHERE reference = {cf.sql_literal(stops['reference'])};
            COMMIT""", url=self.url)

        def settled():
            p = assoc.request("GET", f"/v1/actions/{action['id']}/notices/{notice}",
                              client=c).json()["progress"]
            return p if p["queued"] == 0 else None
        progress = harness.poll(settled, 60, what="every row of the notice settled")
        self.assertEqual((progress["sent"], progress["failed"]), (2, 3), progress)
        reasons = {row[0]: row[1] for row in cf.psql(
            "SELECT coalesce(c.reference, 'none'), o.state || ': ' || coalesce(o.last_error, '')"
            " FROM outbox o LEFT JOIN claims c ON c.id = o.claim_id"
            f" WHERE o.notice_id = '{notice}'", url=self.url)}
        self.assertEqual(reasons, {
            fr["reference"]: "sent: ",
            en["reference"]: "sent: ",
            stops["reference"]: "failed: the member stopped non-essential notices",
            outsider["reference"]: "failed: the claim is no longer a member of the notice's action",
            "none": "failed: the claim no longer exists"})
        for m, lang in ((fr, "fr"), (en, "en")):
            got = [x for x in (mf.parse(r.data) for r in
                               self.relay.messages(m["body"]["claimant"]["email"]))
                   if tag in str(x["Subject"])]
            self.assertEqual(len(got), 1, m["reference"])
            self.assertEqual(got[0]["Content-Language"], lang)
            self.assertIn(m["reference"], mf.text_of(got[0]))
        for m in (stops, outsider):
            self.assertFalse([x for x in (mf.parse(r.data) for r in
                                          self.relay.messages(m["body"]["claimant"]["email"]))
                              if tag in str(x["Subject"])], m["reference"])


if __name__ == "__main__":
    unittest.main()
