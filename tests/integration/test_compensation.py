# SPDX-License-Identifier: AGPL-3.0-or-later
"""Compensation (docs/api.md §10.1, §11; docs/product.md §6; docs/decisions.md "Compensation
at scale"): versioned schemes and their validation, the worked example of docs/api.md §11.8 through
API figure by figure, the public view, basis=verified, summaries without a scheme, the Coupang
preset at small scale (and its projection to 33.7 million claimants), presets and simulation,
action summaries under the incident-wide pool, incident totals, and the summary tallies checked
against the claims table after a mixed workload.

Every expected figure comes from an independent model of the award rules written here
(award(), after_cap(), expected_summary()): claim by claim, with references for the
largest-remainder ties, never from groups.

Python 3 standard library only. Each test makes its own incident; one server serves them all.
"""

import concurrent.futures
import json
import math
import threading
import unittest
from fractions import Fraction

import claims_fixtures as cf
import harness

# --- the model -------------------------------------------------------------------------------

CATEGORIES = ["name", "email", "phone", "postal_address", "birth_date", "password",
              "financial", "national_id", "health", "order_history", "location", "biometric"]
STATUSES = ["received", "verified", "rejected", "withdrawn"]

# docs/api.md §11.8: the scheme of the worked example (fund_cap 30000 there).
EXAMPLE_SCHEME = {
    "currency": "EUR", "base_amount": 3000,
    "category_supplements": {"password": 1000, "financial": 5000, "national_id": 5000,
                             "health": 10000},
    "documented_loss": {"reimburse": True, "cap_per_claimant": 500000},
    "time_spent": {"hourly_rate": 2500, "max_hours": 20}, "fund_cap": None,
    "vouchers": [{"name": "Bon achat", "amount": 2000}, {"name": "Bon voyage", "amount": 1000}],
    "cash_alternative_ratio": None,
}

# docs/api.md §11.8, the example summary as printed (computed_at aside).
EXAMPLE_SUMMARY = {
    "action_id": None, "view": "full", "simulated": False,
    "basis": "all", "scheme_version": 2, "currency": "EUR",
    "affected_count": 1000,
    "claims_by_status": {"received": 2, "verified": 1, "rejected": 0, "withdrawn": 1},
    "duplicate_attempts": 5, "eligible": 3,
    "components": {"base": 9000, "supplements": {"password": 1000, "financial": 0,
                                                 "national_id": 0, "health": 10000},
                   "documented_loss": 12000, "time_spent": 7500},
    "total_before_cap": 39500, "fund_cap": 30000, "total_after_cap": 30000,
    "pro_rata_factor": "0.759493",
    "award_stats": {"mean": 10000, "median": 8734, "min": 2279, "max": 18987,
                    "median_exact": True,
                    "deciles": [{"percentile": p, "award": a, "exact": True} for p, a in
                                ((10, 5506), (20, 5506), (30, 5506), (40, 5506), (50, 8734),
                                 (60, 13860), (70, 13860), (80, 13860), (90, 13860))],
                    "histogram": {"bins": [{"from": 2279 + i * 1671,
                                            "to": min(2279 + i * 1671 + 1670, 18987),
                                            "claims": int(i in (0, 3, 9))} for i in range(10)],
                                  "exact": True}},
    "vouchers": [{"name": "Bon achat", "amount": 2000, "count": 2, "total": 4000},
                 {"name": "Bon voyage", "amount": 1000, "count": 2, "total": 2000}],
    "by_payment_preference": {"voucher": 2, "cash": 1}, "take_up_rate": "0.003000",
    "projection_if_all_claimed": {"claimants": 1000, "total_before_cap": 13166666,
                                  "total_after_cap": 30000},
    "by_country": {"BE": 1, "FR": 2}, "by_category": {"email": 3, "health": 1, "password": 1},
}

# docs/api.md §11.5: the members of the public view, and nothing else.
PUBLIC_MEMBERS = {"incident", "action_id", "view", "basis", "scheme_version", "currency",
                  "computed_at", "affected_count", "eligible", "total_before_cap", "fund_cap",
                  "total_after_cap", "pro_rata_factor", "take_up_rate",
                  "projection_if_all_claimed"}

COUPANG_VOUCHERS = [{"name": "Coupang", "amount": 5000}, {"name": "Coupang Eats", "amount": 5000},
                    {"name": "Coupang Travel", "amount": 20000}, {"name": "R.LUX", "amount": 20000}]
COUPANG_AFFECTED = 33_700_000

ADDRESSES = {
    "FR": {"line1": "12 rue de Rivoli", "line2": None, "postal_code": "75001", "city": "Paris",
           "country": "FR"},
    "BE": {"line1": "Rue de la Loi 16", "line2": None, "postal_code": "1000",
           "city": "Bruxelles", "country": "BE"},
    "DE": {"line1": "Unter den Linden 1", "line2": None, "postal_code": "10117",
           "city": "Berlin", "country": "DE"},
    "KR": {"line1": "Sejong-daero 110", "line2": None, "postal_code": "04524", "city": "Seoul",
           "country": "KR"},
}


def ratio(num, den):
    """docs/api.md §8.2: a decimal string with 6 decimals, truncated."""
    scaled = num * 1_000_000 // den
    return f"{scaled // 1_000_000}.{scaled % 1_000_000:06d}"


def award(scheme, claim):
    """The award of one eligible claim before the cap, and its parts (docs/api.md §11.2)."""
    base = scheme["base_amount"]
    if claim["cash"] and scheme["vouchers"] and scheme["cash_alternative_ratio"] is not None:
        whole, _, frac = scheme["cash_alternative_ratio"].partition(".")
        bp = int(whole) * 10000 + int((frac + "0000")[:4])
        base = base * bp // 10000
    sup = {k: (v if k in claim["cats"] else 0)
           for k, v in scheme["category_supplements"].items()}
    loss = min(claim["loss"], scheme["documented_loss"]["cap_per_claimant"]) \
        if scheme["documented_loss"]["reimburse"] else 0
    time = min(claim["hours"], scheme["time_spent"]["max_hours"]) * \
        scheme["time_spent"]["hourly_rate"]
    return base + sum(sup.values()) + loss + time, {"base": base, "sup": sup, "loss": loss,
                                                    "time": time}


def after_cap(scheme, pool):
    """{reference: award after the cap} for the eligible claims of the whole incident: floor
    of a × cap / T, then one unit each to the largest remainders, ties by reference."""
    awards = {c["ref"]: award(scheme, c)[0] for c in pool}
    total = sum(awards.values())
    cap = scheme["fund_cap"]
    if cap is None or total <= cap:
        return dict(awards)
    out, rem = {}, {}
    for ref, a in awards.items():
        out[ref], rem[ref] = divmod(a * cap, total)
    leftover = cap - sum(out.values())
    for ref in sorted(awards, key=lambda r: (-rem[r], r))[:leftover]:
        out[ref] += 1
    assert sum(out.values()) == cap
    return out


def eligible_statuses(basis):
    return {"verified"} if basis == "verified" else {"received", "verified"}


def award_shape(afters):
    """deciles and histogram of the sorted awards, claim by claim (docs/api.md §11.4)."""
    n = len(afters)
    if n == 0:
        return {"deciles": [], "histogram": {"bins": [], "exact": True}}
    deciles = []
    for k in range(1, 10):
        x = Fraction((n - 1) * k, 10)
        lo, hi = math.floor(x), math.ceil(x)
        deciles.append({"percentile": 10 * k, "award": (afters[lo] + afters[hi]) // 2,
                        "exact": True})
    lo, hi = afters[0], afters[-1]
    width = -(-(hi - lo + 1) // 10)   # the smallest w with 10 w ≥ max − min + 1
    bins = [{"from": b, "to": min(b + width - 1, hi),
             "claims": sum(1 for a in afters if b <= a <= b + width - 1)}
            for b in range(lo, hi + 1, width)]
    return {"deciles": deciles, "histogram": {"bins": bins, "exact": True}}


def expected_summary(scheme, claims, affected, *, basis="all", duplicates=0, pool=None,
                     scheme_version=None, simulated=False, action_id=None):
    """The full summary (computed_at and incident aside) of `claims` (the incident's, or an
    action's members) under `scheme` (None: no scheme), the cap shared over `pool` (the
    incident's claims; default claims)."""
    pool = claims if pool is None else pool
    ok = eligible_statuses(basis)
    elig = [c for c in claims if c["status"] in ok]
    out = {
        "action_id": action_id, "view": "full", "simulated": simulated, "basis": basis,
        "scheme_version": scheme_version,
        "affected_count": affected,
        "claims_by_status": {s: sum(1 for c in claims if c["status"] == s) for s in STATUSES},
        "duplicate_attempts": duplicates, "eligible": len(elig),
        "by_payment_preference": {"voucher": sum(1 for c in elig if not c["cash"]),
                                  "cash": sum(1 for c in elig if c["cash"])},
        "take_up_rate": ratio(len(elig), affected) if affected > 0 else None,
        "by_country": {}, "by_category": {},
    }
    for c in elig:
        out["by_country"][c["country"]] = out["by_country"].get(c["country"], 0) + 1
        for k in c["cats"]:
            out["by_category"][k] = out["by_category"].get(k, 0) + 1
    if scheme is None:
        out.update({"components": None, "total_before_cap": None, "fund_cap": None,
                    "total_after_cap": None, "pro_rata_factor": None, "award_stats": None,
                    "vouchers": [],
                    "projection_if_all_claimed": {"claimants": affected,
                                                  "total_before_cap": None,
                                                  "total_after_cap": None}})
        return out
    out["currency"] = scheme["currency"]
    comp = {"base": 0, "supplements": {k: 0 for k in scheme["category_supplements"]},
            "documented_loss": 0, "time_spent": 0}
    before = 0
    for c in elig:
        a, parts = award(scheme, c)
        before += a
        comp["base"] += parts["base"]
        comp["documented_loss"] += parts["loss"]
        comp["time_spent"] += parts["time"]
        for k, v in parts["sup"].items():
            comp["supplements"][k] += v
    pool_elig = [c for c in pool if c["status"] in ok]
    pool_before = sum(award(scheme, c)[0] for c in pool_elig)
    pool_after = after_cap(scheme, pool_elig)
    cap = scheme["fund_cap"]
    capped = cap is not None and pool_before > cap
    afters = sorted(pool_after[c["ref"]] for c in elig)
    total_after = sum(afters)
    n = len(elig)
    if n == 0:
        stats = {"mean": None, "median": None, "min": None, "max": None, "median_exact": True}
    else:
        median = afters[n // 2] if n % 2 else (afters[n // 2 - 1] + afters[n // 2]) // 2
        stats = {"mean": total_after // n, "median": median, "min": afters[0],
                 "max": afters[-1], "median_exact": True}
    stats.update(award_shape(afters))
    voucher_claims = out["by_payment_preference"]["voucher"]
    projection = before * affected // n if n else scheme["base_amount"] * affected
    out.update({
        "components": comp, "total_before_cap": before, "fund_cap": cap,
        "total_after_cap": total_after,
        "pro_rata_factor": ratio(sum(pool_after.values()), pool_before) if capped
        else "1.000000",
        "award_stats": stats,
        "vouchers": [{"name": v["name"], "amount": v["amount"], "count": voucher_claims,
                      "total": voucher_claims * v["amount"]} for v in scheme["vouchers"]],
        "projection_if_all_claimed": {
            "claimants": affected, "total_before_cap": projection,
            "total_after_cap": min(projection, cap) if cap is not None else projection},
    })
    return out


def public_of(full):
    return {k: v for k, v in full.items() if k in PUBLIC_MEMBERS}


# --- helpers over the API --------------------------------------------------------------------

def claim_for(cats, loss=0, hours=0, payment="voucher", country="FR", **overrides):
    """A valid submission (a person of its own) with these award-relevant fields."""
    body = cf.claim_body(data_categories=list(cats), payment_preference=payment,
                         harms={"documented_loss": loss, "hours_spent": hours},
                         claimant={"address": dict(ADDRESSES[country])})
    return cf.deep_merge(body, overrides)


def record(receipt, body):
    """The model's view of a submitted claim."""
    return {"ref": receipt["reference"], "token": receipt["token"], "status": "received",
            "cats": [k for k in CATEGORIES if k in body["data_categories"]],
            "loss": body["harms"]["documented_loss"], "hours": body["harms"]["hours_spent"],
            "cash": body["payment_preference"] == "cash",
            "country": body["claimant"]["address"]["country"], "body": body}


def without_time(tc, doc):
    """The summary without computed_at (checked as an RFC 3339 UTC time) and incident."""
    doc = dict(doc)
    tc.assertRegex(doc.pop("computed_at", ""), cf.TIME_RE)
    doc.pop("incident", None)
    return doc


class Api:
    """Requests on one keep-alive connection per thread."""

    def __init__(self, server):
        self.server = server
        self._local = threading.local()

    @property
    def client(self):
        c = getattr(self._local, "client", None)
        if c is None:
            c = self._local.client = harness.Client(self.server)
        return c

    def close(self):
        c = getattr(self._local, "client", None)
        if c is not None:
            c.close()

    def request(self, method, path, body=None, token=None, headers=None):
        hdrs = dict(headers or {})
        if isinstance(body, (dict, list)):
            hdrs.setdefault("Content-Type", "application/merge-patch+json"
                            if method == "PATCH" else "application/json")
            body = json.dumps(body).encode("utf-8")
        return self.client.request(method, path, body=body, headers=hdrs, token=token)

    def op(self, method, path, body=None):
        return self.request(method, path, body, token=self.server.operator_key)


class CompensationTests(unittest.TestCase):
    server = None
    maxDiff = None

    @classmethod
    def setUpClass(cls):
        cls.server = harness.Server(args=cf.NO_RATE_LIMIT)
        cls.server.start()

    @classmethod
    def tearDownClass(cls):
        if cls.server is not None:
            cls.server.close()

    def setUp(self):
        self.api = Api(self.server)
        self.addCleanup(self.api.close)

    # --- fixtures ----------------------------------------------------------------------------

    def incident(self, currency="EUR", affected=1000, cats=None):
        return cf.make_incident(self.server, currency=currency, affected_count=affected,
                                data_categories=cats or list(CATEGORIES))

    def put_scheme(self, slug, scheme, version=None):
        r = self.api.op("PUT", f"/v1/incidents/{slug}/scheme", scheme)
        self.assertEqual(r.status, 200, r)
        doc = r.json()
        if version is not None:
            self.assertEqual(doc["version"], version, doc)
        return doc

    def submit(self, slug, body, api=None):
        r = (api or self.api).request("POST", f"/v1/incidents/{slug}/claims", body)
        self.assertEqual(r.status, 201, r)
        return record(r.json(), body)

    def submit_all(self, slug, bodies, threads=4):
        """Submits in parallel (several intake batches and writers); returns the records in
        the order of bodies."""
        with concurrent.futures.ThreadPoolExecutor(threads) as pool:
            return list(pool.map(lambda b: self.submit(slug, b), bodies))

    def refused_duplicate(self, slug, body):
        r = self.api.request("POST", f"/v1/incidents/{slug}/claims", body)
        harness.assert_problem(self, r, 409, "duplicate-claim")

    def review(self, claim, status, reason="checked"):
        r = self.api.op("PATCH", f"/v1/claims/{claim['ref']}/status",
                        {"status": status, "reason": reason})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["status"], status)
        claim["status"] = status

    def withdraw(self, claim):
        r = self.api.request("DELETE", f"/v1/claims/{claim['ref']}", token=claim["token"])
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["status"], "withdrawn")
        claim["status"] = "withdrawn"

    def correct(self, claim, patch, expect=200):
        r = self.api.request("PATCH", f"/v1/claims/{claim['ref']}", patch, token=claim["token"])
        self.assertEqual(r.status, expect, r)
        if expect == 200:
            view = r.json()
            claim["cats"] = view["data_categories"]
            claim["loss"] = view["harms"]["documented_loss"]
            claim["hours"] = view["harms"]["hours_spent"]
            claim["cash"] = view["payment_preference"] == "cash"
            claim["country"] = view["claimant"]["address"]["country"]
        return r

    def summary(self, slug, token=None, query="", public=False):
        r = self.api.request("GET", f"/v1/incidents/{slug}/compensation{query}",
                             token=None if public else (token or self.server.operator_key))
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.media_type, "application/json")
        doc = r.json()
        self.assertEqual(doc["incident"], slug)
        return doc

    def simulate(self, body, token=None, expect=200):
        r = self.api.request("POST", "/v1/compensation/simulate", body,
                             token=token or self.server.operator_key)
        self.assertEqual(r.status, expect, r)
        return r

    def association(self):
        """A new approved association; returns (id, key secret)."""
        body = {"name": "Association " + cf.letters(8).capitalize(),
                "approval_reference": "AGR-" + cf.suffix(8).upper(),
                "approved_from": "2025-01-01", "approved_until": None, "country": "FR",
                "contact_email": f"contact.{cf.suffix(8)}@example.org"}
        r = self.api.op("POST", "/v1/associations", body)
        self.assertEqual(r.status, 201, r)
        aid = r.json()["id"]
        r = self.api.op("PATCH", f"/v1/associations/{aid}", {"status": "approved"})
        self.assertEqual(r.status, 200, r)
        r = self.api.op("POST", f"/v1/associations/{aid}/keys", {"label": "compensation tests"})
        self.assertEqual(r.status, 201, r)
        return aid, r.json()["secret"]

    def action(self, key, slug):
        body = {"incident": slug, "title": "Action " + cf.letters(6),
                "legal_basis": "gdpr-art80-1", "opt_in_deadline": "2099-12-31T00:00:00Z",
                "counsel_name": "Maître Dupont", "counsel_email": "counsel@example.org",
                "mandate_text": "Je donne mandat à l'association.",
                "mandate_text_version": "2026-03-a"}
        r = self.api.request("POST", "/v1/actions", body, token=key)
        self.assertEqual(r.status, 201, r)
        return r.json()

    def mandate(self, claim, action):
        """The claimant mandates the action later (PATCH): the claim joins it."""
        r = self.api.request("PATCH", f"/v1/claims/{claim['ref']}",
                             {"action_id": action["id"],
                              "mandate_text_version": action["mandate_text_version"]},
                             token=claim["token"])
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["action_id"], action["id"])

    def example_incident(self):
        """docs/api.md §11.8's worked example through the API: scheme version 2 (fund_cap 30000),
        FR voucher [email]; FR voucher [email, password] 3 h (verified); BE cash [email,
        health] loss 12000; one withdrawn claim; five refused duplicates."""
        slug = self.incident()
        self.put_scheme(slug, EXAMPLE_SCHEME, version=1)
        doc = self.put_scheme(slug, dict(EXAMPLE_SCHEME, fund_cap=30000), version=2)
        self.assertEqual(doc["scheme"], dict(EXAMPLE_SCHEME, fund_cap=30000))
        c1 = self.submit(slug, claim_for(["email"]))
        c2 = self.submit(slug, claim_for(["password", "email"], hours=3))
        c3 = self.submit(slug, claim_for(["email", "health"], loss=12000, payment="cash",
                                         country="BE"))
        gone = self.submit(slug, claim_for(["email", "financial"], loss=99999, hours=20))
        self.withdraw(gone)
        for i in range(5):  # same email as c1, other person otherwise
            self.refused_duplicate(slug, claim_for(["email"], claimant={
                "email": c1["body"]["claimant"]["email"].upper() if i % 2 else
                c1["body"]["claimant"]["email"]}))
        self.review(c2, "verified")
        return slug, [c1, c2, c3, gone]

    # --- PUT scheme --------------------------------------------------------------------------

    def test_put_scheme_versions_and_record(self):
        slug = self.incident()
        r = self.api.op("PUT", f"/v1/incidents/{slug}/scheme", EXAMPLE_SCHEME)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.media_type, "application/json")
        doc = r.json()
        self.assertEqual(set(doc), {"incident", "version", "scheme", "created_at"})
        self.assertEqual(doc["incident"], slug)
        self.assertEqual(doc["version"], 1)
        self.assertEqual(doc["scheme"], EXAMPLE_SCHEME)
        self.assertRegex(doc["created_at"], cf.TIME_RE)
        second = dict(EXAMPLE_SCHEME, fund_cap=30000, cash_alternative_ratio="0.75")
        self.assertEqual(self.put_scheme(slug, second, version=2)["scheme"], second)
        self.put_scheme(slug, EXAMPLE_SCHEME, version=3)  # the same again: still a new version
        inc = self.api.request("GET", f"/v1/incidents/{slug}").json()
        self.assertEqual(inc["scheme_version"], 3)
        self.assertEqual(inc["scheme"], EXAMPLE_SCHEME)
        self.assertEqual(self.summary(slug)["scheme_version"], 3)
        rows = cf.psql("SELECT version FROM schemes WHERE incident_id = "
                       f"{cf.incident_id(slug)} ORDER BY version")
        self.assertEqual([r[0] for r in rows], ["1", "2", "3"])
        # a refused PUT makes no version
        r = self.api.op("PUT", f"/v1/incidents/{slug}/scheme", dict(EXAMPLE_SCHEME, fund_cap=0))
        cf.errors_of(self, r)
        self.put_scheme(slug, EXAMPLE_SCHEME, version=4)

    def test_put_scheme_roles(self):
        slug = self.incident()
        _, key = self.association()
        r = self.api.request("PUT", f"/v1/incidents/{slug}/scheme", EXAMPLE_SCHEME, token=key)
        harness.assert_problem(self, r, 404, "not-found")
        r = self.api.request("PUT", f"/v1/incidents/{slug}/scheme", EXAMPLE_SCHEME)
        harness.assert_problem(self, r, 401, "unauthorized")
        self.assertIn("Bearer", r.headers.get("WWW-Authenticate", ""))
        r = self.api.request("PUT", f"/v1/incidents/{slug}/scheme", EXAMPLE_SCHEME,
                             token="rop_" + "x" * 43)
        harness.assert_problem(self, r, 401, "unauthorized")
        r = self.api.op("PUT", "/v1/incidents/no-such-incident-" + cf.suffix(6) + "/scheme",
                        EXAMPLE_SCHEME)
        harness.assert_problem(self, r, 404, "not-found")
        self.assertIsNone(self.api.request("GET", f"/v1/incidents/{slug}").json()["scheme"])

    def put_errors(self, slug, body):
        return cf.errors_of(self, self.api.op("PUT", f"/v1/incidents/{slug}/scheme", body))

    def test_put_scheme_validation(self):
        slug = self.incident()
        s = EXAMPLE_SCHEME
        cases = [
            (dict(s, vouchers=[{"name": "A", "amount": 2000}, {"name": "B", "amount": 999}]),
             {("vouchers", "sum-mismatch")}),
            (dict(s, currency="USD"), {("currency", "mismatch")}),
            (dict(s, category_supplements={"password": 1000, "shoe_size": 5}),
             {("category_supplements.shoe_size", "invalid-value")}),
            (dict(s, base_amount=-1, vouchers=[]), {("base_amount", "out-of-range")}),
            (dict(s, category_supplements={"health": -10000}),
             {("category_supplements.health", "out-of-range")}),
            (dict(s, documented_loss={"reimburse": True, "cap_per_claimant": -1}),
             {("documented_loss.cap_per_claimant", "out-of-range")}),
            (dict(s, time_spent={"hourly_rate": -2500, "max_hours": 20}),
             {("time_spent.hourly_rate", "out-of-range")}),
            (dict(s, vouchers=[{"name": "A", "amount": 4000}, {"name": "B", "amount": -1000}]),
             {("vouchers[1].amount", "out-of-range")}),
            (dict(s, base_amount=10 ** 12 + 1, vouchers=[]), {("base_amount", "out-of-range")}),
            (dict(s, fund_cap=0), {("fund_cap", "out-of-range")}),
            (dict(s, fund_cap=-5), {("fund_cap", "out-of-range")}),
            (dict(s, cash_alternative_ratio="0.12345"),
             {("cash_alternative_ratio", "invalid-format")}),
            (dict(s, cash_alternative_ratio="abc"),
             {("cash_alternative_ratio", "invalid-format")}),
            (dict(s, cash_alternative_ratio=0.5), {("cash_alternative_ratio", "invalid-type")}),
            (dict(s, base_amount=3000.5), {("base_amount", "invalid-type")}),
            (dict(s, fund_cap=1.5), {("fund_cap", "invalid-type")}),
            (dict(s, base_amount="3000"), {("base_amount", "invalid-type")}),
            (dict(s, vouchers=[{"name": "A", "amount": 2000.0}, {"name": "B", "amount": 1000}]),
             {("vouchers[0].amount", "invalid-type")}),
            (dict(s, vouchers=[{"name": "A", "amount": 2000}, {"name": "A", "amount": 1000}]),
             {("vouchers[1].name", "duplicate-value")}),
            (dict(s, surprise=1), {("surprise", "unknown-field")}),
            # found by tests/fuzz/fuzz_scheme.c: a longer code was cut to its first three
            # letters, and unknown members of the nested objects went unnoticed
            (dict(s, currency=s["currency"] + "O"), {("currency", "mismatch")}),
            (dict(s, documented_loss=dict(s["documented_loss"], extra=1),
                  time_spent=dict(s["time_spent"], extra=2)),
             {("documented_loss.extra", "unknown-field"), ("time_spent.extra", "unknown-field")}),
            (dict(s, vouchers=[dict(v, extra=3) for v in s["vouchers"]]),
             {(f"vouchers[{i}].extra", "unknown-field") for i in range(len(s["vouchers"]))}),
        ]
        for key in EXAMPLE_SCHEME:
            cases.append(({k: v for k, v in s.items() if k != key}, {(key, "required")}))
        cases.append((dict(s, documented_loss={"reimburse": True}, time_spent={"max_hours": 1}),
                      {("documented_loss.cap_per_claimant", "required"),
                       ("time_spent.hourly_rate", "required")}))
        for body, expected in cases:
            with self.subTest(body=body):
                self.assertEqual(self.put_errors(slug, body), expected)
        # several value errors at once
        body = dict(s, currency="USD", fund_cap=0, category_supplements={"health": -1},
                    vouchers=[{"name": "A", "amount": 1}])
        self.assertEqual(self.put_errors(slug, body),
                         {("currency", "mismatch"), ("fund_cap", "out-of-range"),
                          ("category_supplements.health", "out-of-range"),
                          ("vouchers", "sum-mismatch")})
        self.assertIsNone(self.api.request("GET", f"/v1/incidents/{slug}").json()["scheme"])

    def test_put_scheme_ratio_outside_interval_is_out_of_range(self):
        """A well-formed decimal outside (0, 1] is out of range, not badly formatted
        (scheme_validate's own out-of-range branch for the ratio)."""
        slug = self.incident()
        for value in ("1.5", "0", "0.0000", "2"):
            with self.subTest(ratio=value):
                self.assertEqual(self.put_errors(slug, dict(EXAMPLE_SCHEME,
                                                            cash_alternative_ratio=value)),
                                 {("cash_alternative_ratio", "out-of-range")})
        for value in ("1", "0.0001", "0.75", "1.0000"):
            with self.subTest(ratio=value):
                self.put_scheme(slug, dict(EXAMPLE_SCHEME, cash_alternative_ratio=value))

    def test_put_scheme_every_error_at_once(self):
        """docs/api.md §5.2: a 422 lists every error at once; a wrong JSON type in a member must not
        hide a mismatch or a range error in another."""
        slug = self.incident()
        body = dict(EXAMPLE_SCHEME, base_amount=3000.5, currency="USD", fund_cap=0)
        self.assertEqual(self.put_errors(slug, body),
                         {("base_amount", "invalid-type"), ("currency", "mismatch"),
                          ("fund_cap", "out-of-range")})

    # --- the worked example of docs/api.md §11.8 -------------------------------------------

    def test_worked_example_full_summary(self):
        slug, claims = self.example_incident()
        self.assertEqual(cf.count_duplicates_on(slug), 5)
        doc = self.summary(slug)
        self.assertEqual(list(doc), ["incident", "action_id", "view", "simulated", "basis",
                                     "scheme_version", "currency", "computed_at",
                                     "affected_count", "claims_by_status",
                                     "duplicate_attempts", "eligible", "components",
                                     "total_before_cap", "fund_cap", "total_after_cap",
                                     "pro_rata_factor", "award_stats", "vouchers",
                                     "by_payment_preference", "take_up_rate",
                                     "projection_if_all_claimed", "by_country",
                                     "by_category"])
        self.assertEqual(without_time(self, doc), EXAMPLE_SUMMARY)
        # the model agrees with the example, figure by figure
        scheme = dict(EXAMPLE_SCHEME, fund_cap=30000)
        self.assertEqual(expected_summary(scheme, claims, 1000, duplicates=5, scheme_version=2),
                         EXAMPLE_SUMMARY)
        self.assertEqual(after_cap(scheme, claims[:3]),
                         {claims[0]["ref"]: 2279, claims[1]["ref"]: 8734,
                          claims[2]["ref"]: 18987})
        # an association reads the full view too; ?basis=all is the default
        _, key = self.association()
        self.assertEqual(without_time(self, self.summary(slug, token=key)), EXAMPLE_SUMMARY)
        self.assertEqual(without_time(self, self.summary(slug, query="?basis=all")),
                         EXAMPLE_SUMMARY)
        # the incident's totals (docs/api.md §10.1): active claims, eligible, after cap
        inc = self.api.request("GET", f"/v1/incidents/{slug}").json()
        self.assertEqual(inc["totals"], {"claims": 3, "eligible": 3, "total_after_cap": 30000})

    def test_worked_example_public_view(self):
        slug, _ = self.example_incident()
        doc = self.summary(slug, public=True)
        self.assertEqual(set(doc), PUBLIC_MEMBERS)
        self.assertEqual(doc["view"], "public")
        expected = public_of(dict(EXAMPLE_SUMMARY, view="public"))
        self.assertEqual(without_time(self, doc), {k: v for k, v in expected.items()
                                                   if k != "incident"})
        # a bad credential is not the public: 401
        r = self.api.request("GET", f"/v1/incidents/{slug}/compensation", token="rk_bogus")
        harness.assert_problem(self, r, 401, "unauthorized")
        r = self.api.request("GET", f"/v1/incidents/{slug}/compensation?basis=some")
        doc = harness.assert_problem(self, r, 400, "invalid-parameter")
        r = self.api.request("GET", "/v1/incidents/nope-" + cf.suffix(8) + "/compensation")
        harness.assert_problem(self, r, 404, "not-found")

    def test_worked_example_basis_verified(self):
        slug, claims = self.example_incident()
        scheme = dict(EXAMPLE_SCHEME, fund_cap=30000)
        doc = self.summary(slug, query="?basis=verified")
        want = expected_summary(scheme, claims, 1000, basis="verified", duplicates=5,
                                scheme_version=2)
        self.assertEqual(without_time(self, doc), want)
        # one claim of 11500: under the cap
        self.assertEqual((doc["eligible"], doc["total_before_cap"], doc["total_after_cap"],
                          doc["pro_rata_factor"], doc["take_up_rate"]),
                         (1, 11500, 11500, "1.000000", "0.001000"))
        self.assertEqual(doc["claims_by_status"], EXAMPLE_SUMMARY["claims_by_status"])
        self.assertEqual(doc["projection_if_all_claimed"],
                         {"claimants": 1000, "total_before_cap": 11500000,
                          "total_after_cap": 30000})
        pub = self.summary(slug, public=True, query="?basis=verified")
        self.assertEqual(pub["basis"], "verified")
        self.assertEqual(without_time(self, pub),
                         {k: v for k, v in public_of(dict(want, view="public")).items()
                          if k != "incident"})
        # rejecting the verified one leaves nothing eligible on that basis
        self.review(claims[1], "rejected", "no proof")
        doc = self.summary(slug, query="?basis=verified")
        self.assertEqual(without_time(self, doc),
                         expected_summary(scheme, claims, 1000, basis="verified", duplicates=5,
                                          scheme_version=2))
        self.assertEqual(doc["award_stats"], {"mean": None, "median": None, "min": None,
                                              "max": None, "median_exact": True,
                                              **award_shape([])})
        self.assertEqual(doc["projection_if_all_claimed"]["total_before_cap"], 3000 * 1000)
        # and on basis all the two left share the cap
        doc = self.summary(slug)
        self.assertEqual(without_time(self, doc),
                         expected_summary(scheme, claims, 1000, duplicates=5, scheme_version=2))
        self.assertEqual(self.api.request("GET", f"/v1/incidents/{slug}").json()["totals"],
                         {"claims": 3, "eligible": 2, "total_after_cap": 28000})

    def test_no_scheme(self):
        slug = self.incident()
        claims = [self.submit(slug, claim_for(["email", "health"], loss=500, country="BE")),
                  self.submit(slug, claim_for(["email"], payment="cash"))]
        self.refused_duplicate(slug, claim_for(["email"], claimant={
            "email": claims[0]["body"]["claimant"]["email"]}))
        doc = self.summary(slug)
        want = expected_summary(None, claims, 1000, duplicates=1)
        want["currency"] = "EUR"
        self.assertEqual(without_time(self, doc), want)
        for k in ("components", "total_before_cap", "fund_cap", "total_after_cap",
                  "pro_rata_factor", "award_stats"):
            self.assertIsNone(doc[k], k)
        self.assertEqual(doc["vouchers"], [])
        self.assertIsNone(doc["scheme_version"])
        pub = self.summary(slug, public=True)
        self.assertEqual(set(pub), PUBLIC_MEMBERS)
        self.assertEqual((pub["eligible"], pub["total_after_cap"], pub["take_up_rate"]),
                         (2, None, "0.002000"))
        inc = self.api.request("GET", f"/v1/incidents/{slug}").json()
        self.assertIsNone(inc["scheme"])
        self.assertIsNone(inc["scheme_version"])
        self.assert_totals_reach(slug, {"claims": 2, "eligible": 2, "total_after_cap": None})

    def test_take_up_rate_null_without_affected(self):
        slug = self.incident(affected=0)
        self.put_scheme(slug, EXAMPLE_SCHEME)
        c = self.submit(slug, claim_for(["email"]))
        doc = self.summary(slug)
        self.assertIsNone(doc["take_up_rate"])
        self.assertEqual(without_time(self, doc),
                         expected_summary(EXAMPLE_SCHEME, [c], 0, scheme_version=1))

    # --- Coupang at small scale --------------------------------------------------------------

    def presets(self):
        r = self.api.request("GET", "/v1/schemes/presets")
        self.assertEqual(r.status, 200, r)
        doc = r.json()
        return doc, {p["id"]: p for p in doc["data"]}

    def test_presets(self):
        doc, by_id = self.presets()
        self.assertIsNone(doc["next"])
        self.assertLessEqual({"coupang-2025", "equifax-2019"}, set(by_id))
        for p in doc["data"]:
            self.assertEqual(set(p), {"id", "name", "source", "affected_count", "scheme"}, p)
            self.assertTrue(p["name"] and p["source"], p)
            self.assertEqual(set(p["scheme"]), set(EXAMPLE_SCHEME), p)
        coupang = by_id["coupang-2025"]
        self.assertEqual(coupang["affected_count"], COUPANG_AFFECTED)
        self.assertIn("Coupang", coupang["source"])
        self.assertEqual(coupang["scheme"], {
            "currency": "KRW", "base_amount": 50000, "category_supplements": {},
            "documented_loss": {"reimburse": False, "cap_per_claimant": 0},
            "time_spent": {"hourly_rate": 0, "max_hours": 0}, "fund_cap": None,
            "vouchers": COUPANG_VOUCHERS, "cash_alternative_ratio": None})
        equifax = by_id["equifax-2019"]
        self.assertIn("Equifax", equifax["source"])
        e = equifax["scheme"]
        self.assertEqual(e["currency"], "USD")
        self.assertTrue(e["documented_loss"]["reimburse"])
        self.assertEqual(e["time_spent"], {"hourly_rate": 2500, "max_hours": 20})
        self.assertIsInstance(e["fund_cap"], int)
        self.assertGreater(e["fund_cap"], 0)
        # every preset is a valid scheme for an incident in its currency
        for p in doc["data"]:
            with self.subTest(preset=p["id"]):
                slug = self.incident(currency=p["scheme"]["currency"])
                self.assertEqual(self.put_scheme(slug, p["scheme"], version=1)["scheme"],
                                 p["scheme"])
        # public; the list ignores a credential's kind
        r = self.api.op("GET", "/v1/schemes/presets")
        self.assertEqual(r.status, 200, r)

    def test_presets_page_like_every_list(self):
        # limit and cursor as on every list (docs/api.md §7): the list ignored both, so a
        # limit of 0 or 5000 and a forged cursor were answered 200 with every preset
        doc, _ = self.presets()
        walked, cursor = [], None
        for _ in range(len(doc["data"]) + 1):
            r = self.api.request("GET", "/v1/schemes/presets?limit=1"
                                 + (f"&cursor={cursor}" if cursor else ""))
            self.assertEqual(r.status, 200, r)
            page = r.json()
            self.assertEqual(len(page["data"]), 1, page)
            walked += [p["id"] for p in page["data"]]
            cursor = page["next"]
            if cursor is None:
                break
        self.assertEqual(walked, [p["id"] for p in doc["data"]])
        for value in ("0", "1001", "-1", "abc"):
            with self.subTest(limit=value):
                r = self.api.request("GET", f"/v1/schemes/presets?limit={value}")
                problem = harness.assert_problem(self, r, 400, "invalid-parameter")
                self.assertEqual([e["field"] for e in problem["errors"]], ["limit"])
        self.incident()
        self.incident()
        r = self.api.request("GET", "/v1/incidents?limit=1")
        self.assertEqual(r.status, 200, r)
        foreign = r.json()["next"]  # a genuine cursor, of another list
        self.assertIsNotNone(foreign)
        for cursor in ("abc", foreign):
            with self.subTest(cursor=cursor):
                r = self.api.request("GET", f"/v1/schemes/presets?cursor={cursor}")
                harness.assert_problem(self, r, 400, "invalid-cursor")

    def test_coupang_preset_small_scale(self):
        _, by_id = self.presets()
        coupang = by_id["coupang-2025"]["scheme"]
        slug = self.incident(currency="KRW", affected=COUPANG_AFFECTED,
                             cats=["name", "email", "phone", "postal_address", "order_history"])
        n = 40
        bodies = [claim_for(["name", "email"] if i % 4 else ["name", "email", "order_history"],
                            loss=10000 * (i % 3), hours=i % 5, country="KR") for i in range(n)]
        claims = self.submit_all(slug, bodies)
        # before any scheme: the simulation of the preset already answers the figures
        sim = self.simulate({"incident": slug, "preset": "coupang-2025"}).json()
        self.put_scheme(slug, coupang, version=1)
        doc = self.summary(slug)
        want = expected_summary(coupang, claims, COUPANG_AFFECTED, scheme_version=1)
        self.assertEqual(without_time(self, doc), want)
        self.assertEqual((doc["eligible"], doc["total_before_cap"], doc["total_after_cap"],
                          doc["fund_cap"], doc["pro_rata_factor"]),
                         (n, n * 50000, n * 50000, None, "1.000000"))
        self.assertEqual(doc["currency"], "KRW")
        self.assertEqual([(v["name"], v["count"], v["total"]) for v in doc["vouchers"]],
                         [("Coupang", n, n * 5000), ("Coupang Eats", n, n * 5000),
                          ("Coupang Travel", n, n * 20000), ("R.LUX", n, n * 20000)])
        self.assertEqual(doc["award_stats"], {"mean": 50000, "median": 50000, "min": 50000,
                                              "max": 50000, "median_exact": True,
                                              **award_shape([50000] * n)})
        self.assertEqual(doc["components"], {"base": n * 50000, "supplements": {},
                                             "documented_loss": 0, "time_spent": 0})
        # Coupang on 33.7 million: 1,685,000,000,000 KRW
        self.assertEqual(doc["projection_if_all_claimed"],
                         {"claimants": COUPANG_AFFECTED, "total_before_cap": 1_685_000_000_000,
                          "total_after_cap": 1_685_000_000_000})
        # and per voucher, projected the same way: 168.5 bn twice, 674 bn twice
        projected = [v["total"] * doc["affected_count"] // doc["eligible"]
                     for v in doc["vouchers"]]
        self.assertEqual(projected, [168_500_000_000, 168_500_000_000, 674_000_000_000,
                                     674_000_000_000])
        self.assertEqual(sum(projected), doc["projection_if_all_claimed"]["total_before_cap"])
        self.assertEqual(doc["take_up_rate"], ratio(n, COUPANG_AFFECTED))
        # the simulation gives the same, simulated and without a version
        sim_after = self.simulate({"incident": slug, "preset": "coupang-2025"}).json()
        for s in (sim, sim_after):
            self.assertEqual(s["incident"], slug)
            self.assertEqual(without_time(self, s),
                             dict(want, simulated=True, scheme_version=None))
        # a simulation stores nothing
        self.assertEqual(self.summary(slug)["scheme_version"], 1)
        rows = cf.psql(f"SELECT count(*) FROM schemes WHERE incident_id = {cf.incident_id(slug)}")
        self.assertEqual(rows, [["1"]])

    # --- simulate ----------------------------------------------------------------------------

    def sim_errors(self, body, token=None):
        return cf.errors_of(self, self.simulate(body, token=token, expect=422))

    def test_simulate_scheme_and_validation(self):
        slug, claims = self.example_incident()
        _, key = self.association()
        _, other_key = self.association()
        action = self.action(key, slug)
        foreign = self.action(other_key, slug)
        # a proposed scheme over the incident: nothing stored, the scheme in force unchanged
        proposal = dict(EXAMPLE_SCHEME, fund_cap=20000, cash_alternative_ratio="0.5")
        for token in (None, key):
            doc = self.simulate({"incident": slug, "scheme": proposal}, token=token).json()
            self.assertEqual(without_time(self, doc),
                             expected_summary(proposal, claims, 1000, duplicates=5,
                                              simulated=True))
        doc = self.simulate({"incident": slug, "scheme": proposal, "basis": "verified"}).json()
        self.assertEqual(without_time(self, doc),
                         expected_summary(proposal, claims, 1000, basis="verified",
                                          duplicates=5, simulated=True))
        self.assertEqual(without_time(self, self.summary(slug)), EXAMPLE_SUMMARY)
        # exactly one target, exactly one scheme
        errs = self.sim_errors({"incident": slug, "action_id": action["id"], "preset":
                                "coupang-2025"})
        self.assertTrue(errs & {("incident", "required"), ("action_id", "required"),
                                ("incident", "invalid-value"), ("action_id", "invalid-value")},
                        errs)
        errs = self.sim_errors({"preset": "coupang-2025"})
        self.assertTrue({f for f, _ in errs} & {"incident", "action_id"}, errs)
        errs = self.sim_errors({"incident": slug, "preset": "equifax-2019",
                                "scheme": EXAMPLE_SCHEME})
        self.assertTrue({f for f, _ in errs} & {"scheme", "preset"}, errs)
        errs = self.sim_errors({"incident": slug})
        self.assertTrue({f for f, _ in errs} & {"scheme", "preset"}, errs)
        # unknown preset, currency of the preset, unknown incident, foreign or unknown action
        self.assertEqual(self.sim_errors({"incident": slug, "preset": "acme-1999"}),
                         {("preset", "not-found")})
        self.assertEqual(self.sim_errors({"incident": slug, "preset": "coupang-2025"}),
                         {("preset", "mismatch")})
        self.assertEqual(self.sim_errors({"incident": "nope-" + cf.suffix(8),
                                          "preset": "coupang-2025"}),
                         {("incident", "not-found")})
        self.assertEqual(self.sim_errors({"action_id": foreign["id"], "scheme": proposal},
                                         token=key),
                         {("action_id", "not-found")})
        self.assertEqual(self.sim_errors({"action_id": "00000000-0000-4000-8000-000000000000",
                                          "scheme": proposal}, token=key),
                         {("action_id", "not-found")})
        self.assertEqual(self.sim_errors({"action_id": "not-a-uuid", "scheme": proposal},
                                         token=key),
                         {("action_id", "not-found")})
        self.assertEqual(self.sim_errors({"incident": slug, "scheme": proposal, "basis": "x"}),
                         {("basis", "invalid-value")})
        self.assertEqual(self.sim_errors({"incident": slug, "scheme": proposal, "extra": 1}),
                         {("extra", "unknown-field")})
        # the own action is a target
        doc = self.simulate({"action_id": action["id"], "scheme": proposal}, token=key).json()
        self.assertEqual(doc["action_id"], action["id"])
        self.assertEqual(doc["eligible"], 0)
        # roles: no credential 401
        r = self.api.request("POST", "/v1/compensation/simulate",
                             {"incident": slug, "scheme": proposal})
        harness.assert_problem(self, r, 401, "unauthorized")

    def test_simulate_scheme_errors_at_scheme_paths(self):
        """The proposed scheme's errors sit under `scheme.` (docs/api.md §5.2 dotted paths), the
        value errors as well as the type errors."""
        slug = self.incident()
        self.assertEqual(self.sim_errors({"incident": slug,
                                          "scheme": dict(EXAMPLE_SCHEME, base_amount=1.5)}),
                         {("scheme.base_amount", "invalid-type")})
        self.assertEqual(self.sim_errors({"incident": slug, "scheme": dict(
            EXAMPLE_SCHEME, currency="KRW", fund_cap=0,
            vouchers=[{"name": "A", "amount": 1}])}),
            {("scheme.currency", "mismatch"), ("scheme.fund_cap", "out-of-range"),
             ("scheme.vouchers", "sum-mismatch")})

    def test_simulate_equifax_preset(self):
        _, by_id = self.presets()
        eq = by_id["equifax-2019"]["scheme"]
        slug = self.incident(currency="USD", affected=147_000_000)
        claims = self.submit_all(slug, [
            claim_for(["email"], loss=50_000, hours=3),
            claim_for(["email", "financial"], loss=5_000_000, hours=40, payment="cash"),
            claim_for(["name"], country="DE")])
        doc = self.simulate({"incident": slug, "preset": "equifax-2019"}).json()
        self.assertEqual(without_time(self, doc),
                         expected_summary(eq, claims, 147_000_000, simulated=True))
        # the loss is capped at 20,000 USD, time at 20 h
        self.assertEqual(doc["components"]["documented_loss"], 50_000 + 2_000_000)
        self.assertEqual(doc["components"]["time_spent"], (3 + 20) * 2500)

    # --- action summaries --------------------------------------------------------------------

    def test_action_summary_members_and_incident_pool(self):
        """An action's summary covers its members only, under the incident-wide pool: its
        fund_cap and pro_rata_factor are the incident's and each member keeps the award it has
        incident-wide (distinct awards with distinct remainders: no reference tie)."""
        slug = self.incident(affected=500)
        scheme = dict(EXAMPLE_SCHEME, fund_cap=40000, cash_alternative_ratio="0.8")
        self.put_scheme(slug, scheme)
        _, key = self.association()
        _, other_key = self.association()
        action = self.action(key, slug)
        spec = [(["email"], 0, 0, "voucher", "FR"),              # 3000
                (["email", "password"], 0, 3, "voucher", "FR"),  # 11500
                (["email", "health"], 12000, 0, "cash", "BE"),   # 2400 + 10000 + 12000
                (["name", "financial"], 700, 1, "voucher", "DE"),  # 3000+5000+700+2500
                (["national_id"], 0, 25, "cash", "FR"),          # 2400 + 5000 + 50000
                (["email"], 1, 0, "voucher", "BE")]              # 3001
        claims = self.submit_all(slug, [claim_for(c, loss=l, hours=h, payment=p, country=k)
                                        for c, l, h, p, k in spec])
        members = [claims[1], claims[2], claims[4]]
        for c in members:
            self.mandate(c, action)
        self.refused_duplicate(slug, claim_for(["email"], claimant={
            "email": claims[2]["body"]["claimant"]["email"]}))
        self.refused_duplicate(slug, claim_for(["email"], claimant={
            "email": claims[0]["body"]["claimant"]["email"]}))
        self.review(claims[2], "verified")
        self.review(claims[3], "rejected", "no proof")
        pool = after_cap(scheme, [c for c in claims if c["status"] in ("received", "verified")])
        self.assertEqual(len(set(pool.values())), len(pool))  # no two alike: no tie at all
        r = self.api.request("GET", f"/v1/actions/{action['id']}/compensation", token=key)
        self.assertEqual(r.status, 200, r)
        doc = r.json()
        self.assertEqual(doc["incident"], slug)
        want = expected_summary(scheme, members, 500, duplicates=1, pool=claims,
                                scheme_version=1, action_id=action["id"])
        self.assertEqual(without_time(self, doc), want)
        whole = self.summary(slug)
        self.assertEqual(doc["fund_cap"], whole["fund_cap"])
        self.assertEqual(doc["pro_rata_factor"], whole["pro_rata_factor"])
        self.assertNotEqual(whole["pro_rata_factor"], "1.000000")  # the cap binds
        self.assertEqual(doc["total_after_cap"], sum(pool[c["ref"]] for c in members))
        self.assertEqual(doc["claims_by_status"],
                         {"received": 2, "verified": 1, "rejected": 0, "withdrawn": 0})
        # a withdrawn member leaves the action (and its summary)
        self.withdraw(claims[4])
        members = members[:2]
        doc = self.api.request("GET", f"/v1/actions/{action['id']}/compensation",
                               token=key).json()
        self.assertEqual(without_time(self, doc),
                         expected_summary(scheme, members, 500, duplicates=1, pool=claims,
                                          scheme_version=1, action_id=action["id"]))
        # basis verified: the pool is the verified claims of the whole incident
        doc = self.api.request("GET", f"/v1/actions/{action['id']}/compensation"
                               "?basis=verified", token=key).json()
        self.assertEqual(without_time(self, doc),
                         expected_summary(scheme, members, 500, basis="verified", duplicates=1,
                                          pool=claims, scheme_version=1,
                                          action_id=action["id"]))
        # simulate on the action: same members, same pool, the proposed scheme
        proposal = dict(scheme, fund_cap=25000)
        doc = self.simulate({"action_id": action["id"], "scheme": proposal}, token=key).json()
        self.assertEqual(without_time(self, doc),
                         expected_summary(proposal, members, 500, duplicates=1, pool=claims,
                                          simulated=True, action_id=action["id"]))
        # only the owner reads it
        r = self.api.request("GET", f"/v1/actions/{action['id']}/compensation",
                             token=other_key)
        harness.assert_problem(self, r, 404, "not-found")
        r = self.api.request("GET", f"/v1/actions/{action['id']}/compensation")
        harness.assert_problem(self, r, 401, "unauthorized")

    def test_action_summary_boundary_tie_follows_references(self):
        """Three identical awards of 1000 under a cap of 2000: each is 666 with remainder
        2000/3000, and the two leftover units go to the two smallest references (docs/api.md §11.3,
        ties by reference ascending). An action holding only the smallest reference holds an
        award of 667 incident-wide, so its total_after_cap is 667; one holding only the
        largest, 666."""
        slug = self.incident()
        scheme = dict(EXAMPLE_SCHEME, base_amount=1000, vouchers=[], fund_cap=2000)
        self.put_scheme(slug, scheme)
        claims = self.submit_all(slug, [claim_for(["email"]) for _ in range(3)])
        claims.sort(key=lambda c: c["ref"])
        pool = after_cap(scheme, claims)
        self.assertEqual([pool[c["ref"]] for c in claims], [667, 667, 666])
        _, key = self.association()
        first, last = self.action(key, slug), self.action(key, slug)
        self.mandate(claims[0], first)
        self.mandate(claims[2], last)
        whole = self.summary(slug)
        self.assertEqual((whole["total_after_cap"], whole["award_stats"]["min"],
                          whole["award_stats"]["max"]), (2000, 666, 667))
        for action, claim in ((first, claims[0]), (last, claims[2])):
            with self.subTest(member=claim["ref"]):
                doc = self.api.request("GET", f"/v1/actions/{action['id']}/compensation",
                                       token=key).json()
                self.assertEqual(without_time(self, doc),
                                 expected_summary(scheme, [claim], 1000, pool=claims,
                                                  scheme_version=1, action_id=action["id"]))

    def test_boundary_class_of_two_awards_follows_references(self):
        """Two claims, awards 1000 and 3000 (T = 4000) under a cap of 3998: 999.5 and 2998.5,
        both remainder 2000, one leftover unit, which goes to the smaller reference (docs/api.md
        §11.3). Here that is the 3000 claim: awards 999 and 2999, so min 999 and max 2999. Two
        claims always settle the boundary exactly, so median_exact holds (docs/api.md §11.4)."""
        slug = self.incident()
        scheme = dict(EXAMPLE_SCHEME, base_amount=1000, vouchers=[],
                      category_supplements={"health": 2000}, fund_cap=3998)
        self.put_scheme(slug, scheme)
        claims = sorted(self.submit_all(slug, [claim_for(["email"]) for _ in range(2)]),
                        key=lambda c: c["ref"])
        self.correct(claims[0], {"data_categories": ["email", "health"]})
        self.assertEqual(after_cap(scheme, claims), {claims[0]["ref"]: 2999,
                                                     claims[1]["ref"]: 999})
        doc = self.summary(slug)
        self.assertEqual(without_time(self, doc),
                         expected_summary(scheme, claims, 1000, scheme_version=1))
        self.assertEqual(doc["award_stats"], {"mean": 1999, "median": 1999, "min": 999,
                                              "max": 2999, "median_exact": True,
                                              **award_shape([999, 2999])})

    # --- incident totals ---------------------------------------------------------------------

    def assert_totals_reach(self, slug, want):
        """The incident's totals come from a per-process cache up to 5 s old (decisions.md,
        "Hardening: HTTP"): claims written since show within that."""
        def reached():
            got = self.api.request("GET", f"/v1/incidents/{slug}").json()["totals"]
            return got == want or None
        harness.poll(reached, 15, interval=0.2, what=f"the totals of {slug} to be {want}")

    def test_incident_totals(self):
        slug = self.incident()
        inc = self.api.request("GET", f"/v1/incidents/{slug}").json()
        self.assertEqual(inc["totals"], {"claims": 0, "eligible": 0, "total_after_cap": None})
        claims = self.submit_all(slug, [claim_for(["email"], hours=h) for h in range(5)])
        self.review(claims[0], "rejected", "not affected")
        self.review(claims[1], "verified")
        self.withdraw(claims[2])
        self.refused_duplicate(slug, claim_for(["email"], claimant={
            "email": claims[3]["body"]["claimant"]["email"]}))
        self.assert_totals_reach(slug, {"claims": 4, "eligible": 3, "total_after_cap": None})
        self.put_scheme(slug, EXAMPLE_SCHEME)
        # eligible: hours 1, 3, 4 → 3 × 3000 + 8 × 2500
        for path in (f"/v1/incidents/{slug}", "/v1/incidents"):
            r = self.api.request("GET", path + ("?limit=1000" if path == "/v1/incidents"
                                                else ""))
            self.assertEqual(r.status, 200, r)
            doc = r.json()
            items = doc["data"] if "data" in doc else [doc]
            found = [i for i in items if i["slug"] == slug]
            if path == "/v1/incidents" and not found:
                continue  # the list is paged and busy: the item itself is checked above
            self.assertEqual(found[0]["totals"],
                             {"claims": 4, "eligible": 3, "total_after_cap": 29000})
        self.put_scheme(slug, dict(EXAMPLE_SCHEME, fund_cap=25000))
        inc = self.api.request("GET", f"/v1/incidents/{slug}").json()
        self.assertEqual(inc["totals"], {"claims": 4, "eligible": 3, "total_after_cap": 25000})
        self.assertEqual(inc["totals"]["total_after_cap"], self.summary(slug)["total_after_cap"])

    # --- tallies against the claims table -----------------------------------------------------

    def tally_rows(self, incident):
        cols = "status, payment_preference, country, categories, documented_loss, hours_spent"
        scan = cf.psql(f"SELECT {cols}, count(*) FROM claims WHERE incident_id = {incident}"
                       f" GROUP BY {cols} ORDER BY {cols}")
        tallies = cf.psql(f"SELECT {cols}, sum(n) FROM claim_tallies"
                          f" WHERE incident_id = {incident} GROUP BY {cols}"
                          f" HAVING sum(n) <> 0 ORDER BY {cols}")
        negative = cf.psql(f"SELECT {cols}, sum(n) FROM claim_tallies"
                           f" WHERE incident_id = {incident} GROUP BY {cols}"
                           " HAVING sum(n) < 0")
        return scan, tallies, negative

    def test_tallies_match_claims_after_mixed_workload(self):
        slug = self.incident(affected=10_000)
        scheme = dict(EXAMPLE_SCHEME, fund_cap=100_000, cash_alternative_ratio="0.75")
        self.put_scheme(slug, scheme)
        _, key = self.association()
        action = self.action(key, slug)
        countries = ["FR", "BE", "DE", "KR"]
        cat_sets = [["email"], ["email", "password"], ["name", "health"],
                    ["financial", "national_id", "email"], ["email", "phone"]]
        bodies = []
        for i in range(36):
            body = claim_for(cat_sets[i % 5], loss=(i % 4) * 2500, hours=i % 7,
                             payment="cash" if i % 3 == 0 else "voucher",
                             country=countries[i % 4])
            if i % 6 == 0:
                body = cf.deep_merge(body, {"action_id": action["id"],
                                            "mandate_text_version": "2026-03-a"})
            bodies.append(body)
        claims = self.submit_all(slug, bodies, threads=6)
        # an Idempotency-Key replay makes no claim and moves no tally
        keyed_body = claim_for(["email"], country="BE")
        key_hdr = {"Idempotency-Key": "comp-" + cf.suffix(8)}
        r1 = self.api.request("POST", f"/v1/incidents/{slug}/claims", keyed_body,
                              headers=key_hdr)
        self.assertEqual(r1.status, 201, r1)
        claims.append(record(r1.json(), keyed_body))
        r2 = self.api.request("POST", f"/v1/incidents/{slug}/claims", keyed_body,
                              headers=key_hdr)
        self.assertEqual((r2.status, r2.headers.get("Idempotency-Replayed")), (201, "true"), r2)
        self.assertEqual(r2.json(), r1.json())
        r3 = self.api.request("POST", f"/v1/incidents/{slug}/claims", claim_for(["name"]),
                              headers=key_hdr)
        harness.assert_problem(self, r3, 422, "idempotency-key-reuse")
        # duplicates: by email, by phone, by identity, in parallel
        dup_bodies = []
        for i, c in enumerate(claims[:9]):
            who = c["body"]["claimant"]
            if i % 3 == 0:
                over = {"claimant": {"email": who["email"]}}
            elif i % 3 == 1:
                over = {"claimant": {"phone": who["phone"]}}
            else:
                over = {"claimant": {"given_name": who["given_name"],
                                     "family_name": who["family_name"],
                                     "birth_date": who["birth_date"]}}
            dup_bodies.append(claim_for(["email"], **over))
        with concurrent.futures.ThreadPoolExecutor(4) as pool:
            statuses = list(pool.map(
                lambda b: self.api.request("POST", f"/v1/incidents/{slug}/claims", b).status,
                dup_bodies))
        self.assertEqual(statuses, [409] * 9)
        # corrections: categories, loss, hours, payment, country, several at once
        self.correct(claims[1], {"data_categories": ["email", "health", "biometric"]})
        self.correct(claims[2], {"harms": {"documented_loss": 777_777}})
        self.correct(claims[3], {"harms": {"hours_spent": 999}})
        self.correct(claims[4], {"payment_preference": "cash"})
        self.correct(claims[5], {"claimant": {"address": dict(ADDRESSES["DE"])}})
        self.correct(claims[7], {"data_categories": ["name"], "payment_preference": "voucher",
                                 "harms": {"documented_loss": 0, "hours_spent": 0},
                                 "claimant": {"address": dict(ADDRESSES["KR"])}})
        self.correct(claims[8], {"harms": {"description": "no award change"}})
        # a correction refused as a duplicate moves nothing
        self.correct(claims[10], {"claimant": {"email": claims[11]["body"]["claimant"]["email"]},
                                  "data_categories": ["biometric"]}, expect=409)
        # reviews, including back and forth, and a correction of a reviewed claim
        for c in claims[12:16]:
            self.review(c, "verified")
        for c in claims[16:19]:
            self.review(c, "rejected", "not affected")
        self.review(claims[12], "rejected", "changed our mind")
        self.review(claims[16], "verified")
        self.correct(claims[13], {"data_categories": ["password"], "harms": {"hours_spent": 1}})
        # mandates later and revoked
        self.mandate(claims[19], action)
        self.mandate(claims[20], action)
        r = self.api.request("PATCH", f"/v1/claims/{claims[20]['ref']}", {"action_id": None},
                             token=claims[20]["token"])
        self.assertEqual(r.status, 200, r)
        # withdrawals: a plain one, a member, a verified one, a rejected one; then more moves
        for c in (claims[21], claims[0], claims[14], claims[17]):
            self.withdraw(c)
        self.correct(claims[21], {"harms": {"hours_spent": 2}}, expect=409)
        r = self.api.op("PATCH", f"/v1/claims/{claims[21]['ref']}/status",
                        {"status": "verified"})
        harness.assert_problem(self, r, 409, "invalid-transition")
        # a withdrawn person may claim again: a new claim, not a duplicate
        again = self.submit(slug, claim_for(["email"], claimant={
            "email": claims[21]["body"]["claimant"]["email"]}))
        claims.append(again)

        incident = cf.incident_id(slug)
        scan, tallies, negative = self.tally_rows(incident)
        self.assertEqual(tallies, scan)
        self.assertEqual(negative, [])
        # the claims table is what the model says
        model = sorted([c["status"], "cash" if c["cash"] else "voucher", c["country"],
                        str(sum(1 << CATEGORIES.index(k) for k in c["cats"])), str(c["loss"]),
                        str(c["hours"])] for c in claims)
        rows = sorted(r[:6] for r in cf.psql(
            "SELECT status, payment_preference, country, categories, documented_loss,"
            f" hours_spent FROM claims WHERE incident_id = {incident}"))
        self.assertEqual(rows, model)
        dup_tally = cf.psql("SELECT coalesce(sum(n), 0) FROM duplicate_tallies"
                            f" WHERE incident_id = {incident}")
        self.assertEqual(dup_tally, [[str(cf.count_duplicates_on(slug))]])
        self.assertEqual(cf.count_duplicates_on(slug), 9)
        # and the summary, read from the tallies, is the model's
        self.assertEqual(without_time(self, self.summary(slug)),
                         expected_summary(scheme, claims, 10_000, duplicates=9,
                                          scheme_version=1))
        self.assertEqual(without_time(self, self.summary(slug, query="?basis=verified")),
                         expected_summary(scheme, claims, 10_000, basis="verified",
                                          duplicates=9, scheme_version=1))


    def test_put_scheme_sum_mismatch_beside_other_errors(self):
        """The vouchers' sum is checked whenever its amounts parsed (docs/api.md §5.2, every
        error at once): a malformed ratio or a voucher's name hid it, so the client fixed those
        and was then told of the sum."""
        slug = self.incident()
        short = [{"name": "A", "amount": 2000}, {"name": "B", "amount": 999}]
        self.assertEqual(self.put_errors(slug, dict(EXAMPLE_SCHEME, vouchers=short,
                                                    cash_alternative_ratio="0.12345")),
                         {("cash_alternative_ratio", "invalid-format"),
                          ("vouchers", "sum-mismatch")})
        self.assertEqual(self.put_errors(slug, dict(EXAMPLE_SCHEME, vouchers=[
            {"name": 5, "amount": 2000}, {"name": "B", "amount": 999}])),
                         {("vouchers[0].name", "invalid-type"), ("vouchers", "sum-mismatch")})
        # an amount that did not parse still leaves the sum unsaid
        self.assertEqual(self.put_errors(slug, dict(EXAMPLE_SCHEME, vouchers=[
            {"name": "A", "amount": "2000"}, {"name": "B", "amount": 999}])),
                         {("vouchers[0].amount", "invalid-type")})

    def test_simulate_judges_the_scheme_beside_other_errors(self):
        """A simulation's scheme or preset is judged whatever else the body gets wrong (every
        error at once, docs/api.md §5.2): with an unknown target, a bad basis or a member too
        many, its errors were left for the next try."""
        slug = self.incident()
        unknown = "no-such-incident-" + cf.suffix(6)
        bad = dict(EXAMPLE_SCHEME, base_amount=-1, vouchers=[])
        self.assertEqual(self.sim_errors({"incident": unknown, "scheme": bad}),
                         {("incident", "not-found"), ("scheme.base_amount", "out-of-range")})
        self.assertEqual(self.sim_errors({"action_id": "00000000-0000-4000-8000-000000000000",
                                          "preset": "no-such-preset"}),
                         {("action_id", "not-found"), ("preset", "not-found")})
        self.assertEqual(self.sim_errors({"incident": slug, "basis": "sometimes",
                                          "scheme": dict(EXAMPLE_SCHEME, currency="USD")}),
                         {("basis", "invalid-value"), ("scheme.currency", "mismatch")})
        self.assertEqual(self.sim_errors({"incident": slug, "preset": "no-such-preset",
                                          "extra": 1}),
                         {("extra", "unknown-field"), ("preset", "not-found")})

if __name__ == "__main__":
    harness.main()
