# SPDX-License-Identifier: AGPL-3.0-or-later
"""Risk flags (issue 14, docs/risk.md): a simulated bot run — a hundred claims from one /24
(each from its own address in it, as a bot rotating addresses would), at one street number
with a different flat each, from disposable email domains — is flagged on every claim, and a
normal run of the same size is not; the flags and their evidence on the member's claim; the
member filters risk= and eligibility=; the operator's view per day; the email check after N
days and its end on confirmation; no network prefix in clear anywhere in the database (a
pg_dump grepped); another association gets 404.

The server believes X-Forwarded-For from 127.0.0.1 (--trusted-proxies), as it believes
HAProxy's in deploy/ha, so each submission carries the client address the test chooses."""

import concurrent.futures
import os
import signal
import subprocess
import tempfile
import unittest

import assoc_fixtures as af
import claims_fixtures as cf
import harness
import test_eligibility as te

# claims per run: 100 is five times the network threshold (20 an hour) and twenty times the
# address one (5), from 100 addresses of the /24, so every flag needs both the periodic pass
# (the first 20) and the intake (the rest); 300 proved nothing more and took 400 more requests
RUN = 100
BOT_NET = "203.0.113"
DISPOSABLE = ["mailinator.com", "yopmail.com", "mx.guerrillamail.com"]  # the last: a parent


def bot_claim(i):
    return {"claimant": {"email": f"bot.{cf.suffix(8)}@{DISPOSABLE[i % 3]}",
                         "address": {"line1": "5, Rue des Lilas" if i % 2 else "5 rue des lilas",
                                     "line2": f"Apt {i}" if i % 3 else f"Bât. B, étage {i}",
                                     "postal_code": "69003", "city": "Lyon", "country": "FR"}}}


def bot_ip(i):
    return f"{BOT_NET}.{i % 250 + 1}"


def normal_claim(i):
    return {"claimant": {"address": {"line1": f"{i + 1} avenue Foch", "line2": None,
                                     "postal_code": f"{75001 + i % 20}", "city": "Paris",
                                     "country": "FR"}}}


def normal_ip(i):
    return f"198.{18 + i // 250}.{i % 250}.{7 + i % 3}"  # a /24 of its own per claim


class RiskTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = cf.start_server(args=["--trusted-proxies", "127.0.0.1",
                                           "--risk-interval", "0.2"])
        cls.assoc = af.approved_association(cls.server)
        cls.other = af.approved_association(cls.server)

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def run_claims(self, slug, action, body_of, ip_of, n=RUN):
        """n mandated claims, each from ip_of(i); their references."""
        def one(i):
            body = cf.claim_body(action_id=action["id"],
                                 mandate_text_version=action["mandate_text_version"],
                                 **body_of(i))
            with harness.Client(self.server) as c:
                r = cf.submit(c, slug, body, headers={"X-Forwarded-For": ip_of(i)})
            self.assertEqual(r.status, 201, repr(r))
            return r.json()["reference"]
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            return list(pool.map(one, range(n)))

    def members(self, action, query, assoc=None):
        """Every reference the member list gives for query (all pages)."""
        refs, cursor = [], None
        while True:
            path = f"/v1/actions/{action['id']}/members?limit=1000&{query}"
            if cursor:
                path += "&cursor=" + cursor
            r = (assoc or self.assoc).request("GET", path)
            self.assertEqual(r.status, 200, repr(r))
            refs += [m["reference"] for m in r.json()["data"]]
            cursor = r.json()["next"]
            if cursor is None:
                return refs

    def flags(self, refs):
        """{reference: sorted flags} from the database."""
        rows = cf.psql("SELECT c.reference, array_to_string(r.flags, ',') FROM claim_risk r"
                       " JOIN claims c ON c.id = r.claim_id WHERE c.reference IN ("
                       + ",".join(cf.sql_literal(x) for x in refs) + ")")
        return {row[0]: sorted(filter(None, (row[1] if len(row) > 1 else "").split(",")))
                for row in rows}

    def test_bot_run_flagged_normal_run_not(self):
        slug = cf.make_incident(self.server)
        action = af.open_action(self.assoc, slug)
        bots = self.run_claims(slug, action, bot_claim, bot_ip)
        normal = self.run_claims(slug, action, normal_claim, normal_ip)
        want = ["address", "disposable_email", "network"]

        # the claims before the threshold was reached get their network flag from the
        # periodic pass (every 0.2 s here)
        harness.poll(lambda: all(f == want for f in self.flags(bots).values()), timeout=30,
                     what="every bot claim flagged network, address, disposable_email")
        self.assertEqual(len(self.flags(bots)), RUN)
        self.assertEqual(self.flags(normal), {ref: [] for ref in normal})

        # the member filters
        self.assertEqual(sorted(self.members(action, "risk=network")), sorted(bots))
        self.assertEqual(sorted(self.members(action, "risk=any")), sorted(bots))
        self.assertEqual(sorted(self.members(action, "risk=none")), sorted(normal))
        self.assertEqual(sorted(self.members(action, "risk=disposable_email&status=received")),
                         sorted(bots))
        self.assertEqual(self.members(action, "risk=email_unconfirmed"), [])
        self.assertEqual(self.members(action, "risk=unmatched"), [])  # no list: unknown
        self.assertEqual(len(self.members(action, "eligibility=unknown")), 2 * RUN)
        # a bulk decision takes the same filters: a dry run counts the bot run
        r = self.assoc.request("POST", f"/v1/actions/{action['id']}/reviews", {
            "filter": {"risk": "network", "eligibility": "unknown"}, "decision": "rejected",
            "reason": "other", "dry_run": True})
        self.assertEqual((r.status, r.json()["count"]), (200, RUN), repr(r))
        r = self.assoc.request("GET", f"/v1/actions/{action['id']}/members?risk=bogus")
        harness.assert_problem(self, r, 400, "invalid-parameter")

        # the member's claim: flags with counts, never another claim's data
        r = self.assoc.request("GET", f"/v1/actions/{action['id']}/members/{bots[0]}")
        self.assertEqual(r.status, 200, repr(r))
        risk = r.json()["risk"]
        self.assertEqual(sorted(f["flag"] for f in risk["flags"]), want)
        self.assertEqual(risk["counts"]["network_prefix"], "ipv4/24")
        self.assertEqual(risk["counts"]["claims_from_network_within_hour"], RUN)
        self.assertEqual(risk["counts"]["claims_at_address"], RUN)
        network = next(f for f in risk["flags"] if f["flag"] == "network")["evidence"]
        self.assertEqual(network["threshold"], 20)
        self.assertNotIn(BOT_NET, r.body.decode())
        r = self.assoc.request("GET", f"/v1/actions/{action['id']}/members/{normal[0]}")
        self.assertEqual(r.json()["risk"]["flags"], [])
        self.assertEqual(r.json()["risk"]["counts"]["claims_from_network_within_hour"], 1)

        # the operator's view: counts per flag per day
        r = cf.operator_request(self.server, "GET", f"/v1/incidents/{slug}/risk")
        self.assertEqual(r.status, 200, repr(r))
        days = r.json()["days"]
        self.assertEqual(sum(d["claims"] for d in days), 2 * RUN)
        self.assertEqual(sum(d["flagged"] for d in days), RUN)
        for flag in want:
            self.assertEqual(sum(d["flags"][flag] for d in days), RUN, flag)
        self.assertEqual(sum(d["flags"]["unmatched"] for d in days), 0)

        # another association: 404 on the list, the member, whatever the filter
        for path in (f"/v1/actions/{action['id']}/members?risk=any",
                     f"/v1/actions/{action['id']}/members/{bots[0]}"):
            harness.assert_problem(self, self.other.request("GET", path), 404, "not-found")
        r = self.assoc.request("GET", f"/v1/incidents/{slug}/risk")
        harness.assert_problem(self, r, 404, "not-found")
        r = cf.operator_request(self.server, "GET", "/v1/incidents/no-such-incident/risk")
        harness.assert_problem(self, r, 404, "not-found")

        # no network prefix in clear anywhere in the database
        dump = subprocess.run(["pg_dump", "--data-only", self.server.database_url],
                              capture_output=True, timeout=300)
        self.assertEqual(dump.returncode, 0, dump.stderr[-2000:])
        self.assertIn(bots[0].encode(), dump.stdout)  # the dump holds this test's claims
        for prefix in (BOT_NET, "198.18.", "198.19."):
            self.assertNotIn(prefix.encode(), dump.stdout, prefix)

    def test_correction_updates_the_email_and_address_flags(self):
        slug = cf.make_incident(self.server)
        action = af.open_action(self.assoc, slug)
        claim = af.mandated_claim(self.server, slug, action, claimant={
            "email": f"c.{cf.suffix(8)}@yopmail.com"})
        self.assertEqual(self.flags([claim["reference"]])[claim["reference"]],
                         ["disposable_email"])
        r = af.claimant_patch(self.server, claim, {"claimant": {"email": cf.unique_email()}})
        self.assertEqual(r.status, 200, repr(r))
        self.assertEqual(self.flags([claim["reference"]])[claim["reference"]], [])
        # moved into a building with six claims already: above the threshold of five
        self.run_claims(slug, action, lambda i: {"claimant": {"address": {
            "line1": "9 quai Voltaire", "line2": f"Apt {i}", "postal_code": "75007",
            "city": "Paris", "country": "FR"}}}, normal_ip, n=6)
        r = af.claimant_patch(self.server, claim, {"claimant": {"address": {
            "line1": "9, Quai Voltaire", "line2": "Apt 99", "postal_code": "75007"}}})
        self.assertEqual(r.status, 200, repr(r))
        self.assertEqual(self.flags([claim["reference"]])[claim["reference"]], ["address"])

    def test_a_correction_recounts_the_claims_at_its_new_address(self):
        """Five claims in a building (the threshold: not flagged); a sixth moves in by a
        correction: all six are flagged in the correction's transaction. A server of its own
        whose periodic pass does not come (it would find the five too while they are new)."""
        server = cf.start_server(self, ["--trusted-proxies", "127.0.0.1",
                                        "--risk-interval", "3600"])
        assoc = af.approved_association(server)
        slug = cf.make_incident(server)
        action = af.open_action(assoc, slug)
        building = [af.mandated_claim(server, slug, action, claimant={"address": {
            "line1": "12 rue de Rivoli", "line2": f"Apt {i}", "postal_code": "75004",
            "city": "Paris", "country": "FR"}})["reference"] for i in range(5)]
        self.assertEqual(set(map(tuple, self.flags(building).values())), {()})
        mover = af.mandated_claim(server, slug, action)
        r = af.claimant_patch(server, mover, {"claimant": {"address": {
            "line1": "12, Rue de Rivoli", "line2": "Apt 77", "postal_code": "75004"}}})
        self.assertEqual(r.status, 200, repr(r))
        flags = self.flags(building + [mover["reference"]])
        self.assertEqual({ref: f for ref, f in flags.items()},
                         {ref: ["address"] for ref in building + [mover["reference"]]})

    def test_email_unconfirmed_after_days_cleared_by_confirmation(self):
        slug = cf.make_incident(self.server)
        action = af.open_action(self.assoc, slug)
        refs = self.run_claims(slug, action, normal_claim, normal_ip, n=3)
        self.assertEqual(self.members(action, "risk=email_unconfirmed"), [])
        # eight days pass for the risk job (the default is 7)
        cf.psql("UPDATE claim_risk SET created_at = created_at - interval '8 days'"
                " WHERE claim_id IN (SELECT id FROM claims WHERE reference IN ("
                + ",".join(cf.sql_literal(x) for x in refs) + "))")
        harness.poll(lambda: sorted(self.members(action, "risk=email_unconfirmed")) ==
                     sorted(refs), timeout=30, what="the email check after 7 days")
        # the claimant confirms: the flag goes at once
        cf.psql("UPDATE claims SET email_verified_at = now()"
                f" WHERE reference = {cf.sql_literal(refs[0])}")
        self.assertEqual(sorted(self.members(action, "risk=email_unconfirmed")),
                         sorted(refs[1:]))
        r = self.assoc.request("GET", f"/v1/actions/{action['id']}/members/{refs[1]}")
        flag = r.json()["risk"]["flags"][0]
        self.assertEqual(flag, {"flag": "email_unconfirmed", "evidence": {"days": 7}})

    def test_unmatched_and_eligibility_filters(self):
        slug = cf.make_incident(self.server)
        action = af.open_action(self.assoc, slug)
        with tempfile.TemporaryDirectory() as tmp:
            env = dict(os.environ, DATABASE_URL=self.server.database_url,
                       RECOURS_SECRETS_DIR=self.server.secrets_dir)
            cli = [harness.recours_bin(), "eligibility"]
            run = subprocess.run(cli + ["kit", "--incident", slug, "--out", tmp + "/kit"],
                                 env=env, capture_output=True, text=True, timeout=60)
            self.assertEqual(run.returncode, 0, run.stderr)
            controller = te.Controller(tmp + "/kit")
            listed = [te.person(i) for i in range(3)]
            with open(tmp + "/list.csv", "w") as f:
                for p in listed:
                    f.write("\n".join(controller.lines(p)) + "\n")
            run = subprocess.run(cli + ["import", "--incident", slug, tmp + "/list.csv"],
                                 env=env, capture_output=True, text=True, timeout=60)
            self.assertEqual(run.returncode, 0, run.stderr)
        matched = self.run_claims(slug, action, lambda i: {"claimant": {
            "email": listed[i]["email"].strip(), "address": normal_claim(i)["claimant"][
                "address"]}}, normal_ip, n=3)
        strangers = self.run_claims(slug, action, normal_claim, normal_ip, n=2)
        self.assertEqual(sorted(self.members(action, "eligibility=matched")), sorted(matched))
        self.assertEqual(sorted(self.members(action, "eligibility=unmatched")), sorted(strangers))
        self.assertEqual(self.members(action, "eligibility=unknown"), [])
        self.assertEqual(sorted(self.members(action, "risk=unmatched")), sorted(strangers))
        self.assertEqual(sorted(self.members(action, "risk=any")), sorted(strangers))
        r = self.assoc.request("GET", f"/v1/actions/{action['id']}/members/{strangers[0]}")
        self.assertEqual([f["flag"] for f in r.json()["risk"]["flags"]], ["unmatched"])
        r = cf.operator_request(self.server, "GET", f"/v1/incidents/{slug}/risk")
        self.assertEqual(sum(d["flags"]["unmatched"] for d in r.json()["days"]), 2)

        # the summaries on basis matched: the matched claims only (docs/eligibility.md)
        scheme = {"currency": "EUR", "base_amount": 3000,
                  "category_supplements": {"password": 1000},
                  "documented_loss": {"reimburse": True, "cap_per_claimant": 500000},
                  "time_spent": {"hourly_rate": 2500, "max_hours": 20}, "fund_cap": None,
                  "vouchers": [], "cash_alternative_ratio": None}
        award = 3000 + 1000 + 12000 + 3 * 2500  # claim_body(): password, 12000 lost, 3 h
        r = cf.operator_request(self.server, "PUT", f"/v1/incidents/{slug}/scheme", scheme)
        self.assertEqual(r.status, 200, repr(r))
        for basis, eligible in (("all", 5), ("matched", 3), ("verified", 0),
                                ("matched_verified", 0)):
            for path in (f"/v1/incidents/{slug}/compensation?basis={basis}",
                         f"/v1/actions/{action['id']}/compensation?basis={basis}"):
                r = self.assoc.request("GET", path)
                self.assertEqual(r.status, 200, repr(r))
                doc = r.json()
                self.assertEqual((doc["basis"], doc["eligible"]), (basis, eligible), path)
                self.assertEqual(doc["total_before_cap"], award * eligible, path)
            # a simulation on that basis prices the same claims (here the scheme in force)
            for target in ({"incident": slug}, {"action_id": action["id"]}):
                r = self.assoc.request("POST", "/v1/compensation/simulate",
                                       {**target, "scheme": scheme, "basis": basis})
                self.assertEqual(r.status, 200, repr(r))
                doc = r.json()
                self.assertEqual((doc["basis"], doc["eligible"], doc["total_before_cap"]),
                                 (basis, eligible, award * eligible), target)
        r = self.assoc.request("GET", f"/v1/incidents/{slug}/compensation?basis=matched")
        self.assertEqual(r.json()["claims_by_status"]["received"], 3)
        r = harness.Client(self.server).request(  # the public view too
            "GET", f"/v1/incidents/{slug}/compensation?basis=matched")
        self.assertEqual((r.status, r.json()["eligible"]), (200, 3))
        r = self.assoc.request("GET", f"/v1/incidents/{slug}/compensation?basis=listed")
        harness.assert_problem(self, r, 400, "invalid-parameter")


class DomainsReloadTest(unittest.TestCase):
    """The disposable domains file is read again without a build or a restart: on SIGHUP, and
    by the risk job when the file changed."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)
        self.path = os.path.join(self.tmp.name, "domains.txt")
        self.write("# a local list\nfirst.example\n")

    def write(self, text):
        with open(self.path + ".new", "w") as f:
            f.write(text)
        os.replace(self.path + ".new", self.path)  # a new inode: seen as a change

    def disposable(self, server, slug, domain):
        with harness.Client(server) as c:
            body = cf.claim_body(claimant={"email": f"x.{cf.suffix(8)}@{domain}"})
            r = cf.submit(c, slug, body)
        self.assertEqual(r.status, 201, repr(r))
        rows = cf.psql("SELECT r.disposable_email FROM claim_risk r JOIN claims c"
                       f" ON c.id = r.claim_id WHERE c.reference = "
                       f"{cf.sql_literal(r.json()['reference'])}")
        return rows[0][0] == "t"

    def loaded(self, server, n):
        return lambda line: line.get("msg", "").startswith(
            f"risk: {n} disposable email domains from {self.path}")

    def test_sighup_reads_the_file_again(self):
        server = cf.start_server(self, args=["--risk-domains-file", self.path,
                                             "--risk-interval", "3600"])
        slug = cf.make_incident(server)
        self.assertTrue(self.disposable(server, slug, "first.example"))
        self.assertTrue(self.disposable(server, slug, "sub.first.example"))
        self.assertFalse(self.disposable(server, slug, "second.example"))
        self.write("first.example\nSecond.Example  # added\n")
        server.send_signal(signal.SIGHUP)
        server.wait_log(self.loaded(server, 2), what="the list read again on SIGHUP")
        self.assertTrue(self.disposable(server, slug, "second.example"))
        # an unreadable file keeps the list in force
        os.remove(self.path)
        server.send_signal(signal.SIGHUP)
        server.wait_log(lambda l: "could not read the disposable domains" in l.get("msg", ""),
                        what="the failed read logged")
        self.assertTrue(self.disposable(server, slug, "second.example"))

    def test_a_changed_file_is_read_by_the_risk_job(self):
        server = cf.start_server(self, args=["--risk-domains-file", self.path,
                                             "--risk-interval", "0.2"])
        slug = cf.make_incident(server)
        self.assertFalse(self.disposable(server, slug, "third.example"))
        self.write("first.example\nthird.example\n")
        server.wait_log(self.loaded(server, 2), what="the changed list read by the risk job")
        self.assertTrue(self.disposable(server, slug, "third.example"))


if __name__ == "__main__":
    harness.main()
