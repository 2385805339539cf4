#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""The claim form's phone check (web/static/phone.js, on the table generated from
api/domain/countries.c by scripts/gen/phone_plans.py) accepts exactly what the server accepts,
and reads it as the same E.164 number: each case is sent to the API as a correction of one
claim (200 and the stored number, or 422 at claimant.phone) and given to the page's function
under Node.js. Also checks that web/static/phone-plans.js is what the generator writes from
today's table."""

import unittest

import claims_fixtures as cf
import harness
import page_scripts
from harness import Client

CASES = [
    ("06 12 34 56 78", "FR"), ("6 12 34 56 78", "FR"), ("12", "FR"), ("+33 (0)6 12 34 56 78", "FR"),
    ("0033 6 12 34 56 78", "FR"), ("+33 6 12", "FR"), ("06-12-34-56-78", "FR"), ("06 12 34 56 7a", "FR"),
    ("(202) 555-0143", "US"), ("1 202 555 0143", "US"), ("011 33 6 12 34 56 78", "US"),
    ("202 155 0143", "US"), ("8 812 123 45 67", "RU"), ("812 123 45 67", "RU"),
    ("06 1234 5678", "IT"), ("+39 06 1234 5678", "FR"), ("010-1234-5678", "KR"),
    ("+82 10 1234 5678", "BE"), ("0470 12 34 56", "BE"), ("+800 1234 5678", "FR"),
    ("+999 123 456", "FR"), ("00 44 20 7946 0958", "DE"), ("020 7946 0958", "GB"),
    ("+44 20 7946 0958", "GB"), ("+1 1 202 555 0143", "FR"), ("0612345678901234567890123", "FR"),
    ("   06 12 34 56 78  ", "FR"), ("+", "FR"), ("", "FR"), ("06 12 34 56 78", "AQ"),
]


class PhoneParity(unittest.TestCase):
    def test_generated_table_is_current(self):
        page_scripts.assert_generated(self, "phone_plans.py", "countries.c", "phone-plans.js")

    def test_page_and_server_agree(self):
        page = page_scripts.call(self, "phone.js", "normalizePhone", CASES)

        server = cf.start_server(self)
        slug = cf.make_incident(server)
        with Client(server) as c:
            claim = cf.submit_ok(self, c, slug, cf.claim_body(claimant={"phone": cf.DROP}))
            for (number, country), expected in zip(CASES, page):
                # the address moves to the country with a postal code of its form
                address = {"country": country,
                           "postal_code": cf.POSTAL_CODE_OF.get(country, "75001")}
                body = {"claimant": {"phone": number or None, "address": address}}
                r = cf.claim_request(c, "PATCH", claim["reference"], claim["token"], body)
                if r.status == 200:
                    got = r.json()["claimant"]["phone"]
                else:
                    self.assertEqual(r.status, 422, (number, country, r))
                    fields = {e["field"] for e in r.json()["errors"]}
                    self.assertEqual(fields, {"claimant.phone"}, (number, country, r))
                    got = None
                if number == "":
                    continue  # the form leaves an empty control out: no phone, nothing checked
                self.assertEqual(got, expected, f"{number!r} in {country}: server {got}, page "
                                                f"{expected}")


if __name__ == "__main__":
    harness.main()
