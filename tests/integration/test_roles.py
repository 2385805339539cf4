#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""Role × route, as one table (docs/product.md §2, docs/api.md §2, docs/architecture.md §10).

Every route printed by `recours routes` is tried with every role:
  public            no Authorization header
  claimant          the token of the claim in the path (of association A's claim elsewhere)
  other_claimant    the token of another claim
  assoc_a           association A's key; path parameters are A's objects
  assoc_b           association B's key on A's objects (and on its own lists)
  lapsed            a key of an association whose approval period ended, on its own objects
  suspended         a key of a suspended association, on its own objects
  revoked           a revoked key of A
  operator          the operator key of the secrets
  operator_api_key  an operator API key issued by `recours key issue --operator`
A route without a row here fails the test, so a new route must say who may call it. Forbidden
cells answer 404 `not-found` (a valid credential out of its reach, the same document as a
missing object) or 401 `unauthorized` with `WWW-Authenticate` (no credential, an unknown or
revoked one, or a claim token off the claim routes: docs/api.md §2.3; a valid key on a claim route
is out of its reach, 404, as issue 10 decided); a lapsed or suspended association reads but its
writes answer 409 `approval-lapsed`; allowed cells answer the success status api/openapi.json gives it. Writes act on objects made fresh for the cell, so the cells do
not depend on each other.
"""

import os
import subprocess
import unittest

import assoc_fixtures as af
import claims_fixtures as cf
import evidence_fixtures as ef
import harness
import notice_fixtures as nf

ROLES = ["public", "claimant", "other_claimant", "assoc_a", "assoc_b", "lapsed", "suspended",
         "revoked", "operator", "operator_api_key"]
ASSOCIATIONS = {"assoc_a", "assoc_b", "lapsed", "suspended"}
OPERATORS = {"operator", "operator_api_key"}
NOT_APPROVED = {"lapsed", "suspended"}

SCHEME = {"currency": "EUR", "base_amount": 3000,
          "category_supplements": {"password": 1000},
          "documented_loss": {"reimburse": True, "cap_per_claimant": 500000},
          "time_spent": {"hourly_rate": 2500, "max_hours": 20}, "fund_cap": None,
          "vouchers": [], "cash_alternative_ratio": None}


# --- expectations: role -> (status, problem name or None) -------------------------------------

def public(ok):
    def expect(role):
        return ok, None
    expect.role_name = "public"
    return expect


def claimant(ok):
    def expect(role):
        if role == "claimant":
            return ok, None
        if role == "other_claimant" or role in ASSOCIATIONS or role in OPERATORS:
            return 404, "not-found"  # a valid credential out of its reach (issue 10)
        return 401, "unauthorized"   # none, or a revoked key
    expect.role_name = "claimant"
    return expect


def operator(ok):
    def expect(role):
        if role in OPERATORS:
            return ok, None
        if role in ASSOCIATIONS:
            return 404, "not-found"
        return 401, "unauthorized"
    expect.role_name = "operator"
    return expect


def association(ok, write, owned, operator_ok=False):
    """owned: the path names an object of the caller's association (B gets 404 on A's);
    write: lapsed and suspended get 409 approval-lapsed."""
    def expect(role):
        if role in OPERATORS:
            return (ok, None) if operator_ok else (404, "not-found")
        if role == "assoc_b" and owned:
            return 404, "not-found"
        if role in NOT_APPROVED and write:
            return 409, "approval-lapsed"
        if role in ASSOCIATIONS:
            return ok, None
        return 401, "unauthorized"
    expect.role_name = "association,operator" if operator_ok else "association"
    return expect


def review(ok):
    """PATCH /v1/claims/{reference}/status: the association the claim is mandated to, or the
    operator."""
    expect_assoc = association(ok, write=True, owned=True, operator_ok=True)

    def expect(role):
        return expect_assoc(role)
    expect.role_name = "association,operator"
    return expect


def public_or_member(ok):
    """A public view for everyone, a fuller one for a recognised key. A credential that is
    presented but not recognised (revoked, or a claim token: another kind) is refused rather
    than silently read as no credential (docs/api.md §2.2–2.3)."""
    def expect(role):
        if role in ("revoked", "claimant", "other_claimant"):
            return 401, "unauthorized"
        return ok, None
    expect.role_name = "public,association,operator"
    return expect


# --- the world every cell runs in ---------------------------------------------------------------

class World:
    """Association A (action a1, claim a_claim in it), B (action b1), a lapsed association L
    and a suspended one S (each with an action and a member claim made while approved), a
    revoked key of A, another claimant, an operator API key from the CLI."""

    def __init__(self, server, client):
        self.server = server
        self.c = client
        self.slug = cf.make_incident(server)
        self.A = af.approved_association(server, client=client)
        self.B = af.approved_association(server, client=client)
        self.a1 = af.open_action(self.A, self.slug, client=client)
        self.b1 = af.open_action(self.B, self.slug, client=client)
        self.a_claim = af.mandated_claim(server, self.slug, self.a1, client=client)
        self.other_claim = af.plain_claim(server, self.slug, client=client)
        self.L, self.l1, self.l_claim = self._owner_then(af.lapse)
        self.S, self.s1, self.s_claim = self._owner_then(af.suspend)
        spare = af.issue_key(server, self.A.id, label="to revoke", client=client)
        af.revoke_key(server, spare["id"], client=client)
        self.revoked_key = spare["secret"]
        self.operator_api_key = cli_operator_key(server)

    def _owner_then(self, change):
        x = af.approved_association(self.server, client=self.c)
        action = af.open_action(x, self.slug, client=self.c)
        claim = af.mandated_claim(self.server, self.slug, action, client=self.c)
        change(self.server, x, client=self.c)
        return x, action, claim

    def owner(self, role):
        """(association, its action, a member claim) whose objects fill the path for role."""
        if role == "lapsed":
            return self.L, self.l1, self.l_claim
        if role == "suspended":
            return self.S, self.s1, self.s_claim
        return self.A, self.a1, self.a_claim

    def token(self, role, claim):
        return {
            "public": None,
            "claimant": (claim or self.a_claim)["token"],
            "other_claimant": self.other_claim["token"],
            "assoc_a": self.A.key,
            "assoc_b": self.B.key,
            "lapsed": self.L.key,
            "suspended": self.S.key,
            "revoked": self.revoked_key,
            "operator": self.server.operator_key,
            "operator_api_key": self.operator_api_key,
        }[role]

    # fresh objects for write cells
    def fresh_incident(self):
        return cf.make_incident(self.server)

    def fresh_claim(self):
        return af.plain_claim(self.server, self.slug, client=self.c)

    def fresh_member(self, role):
        """A claim in the owner's action (the pre-made one for lapsed and suspended owners,
        which can no longer take members)."""
        if role in NOT_APPROVED:
            return self.owner(role)[2]
        return af.mandated_claim(self.server, self.slug, self.a1, client=self.c)

    def fresh_mandated_outside(self, role):
        if role in NOT_APPROVED:
            return self.owner(role)[2]
        return af.mandated_free_claim(self.server, self.slug, self.A, self.a1, client=self.c)

    def fresh_action(self, role):
        if role in NOT_APPROVED:
            return self.owner(role)[1]
        return af.open_action(self.A, self.slug, client=self.c)


def cli_operator_key(server):
    """`recours key issue --operator` on the server's database and secrets; the secret."""
    run = subprocess.run([harness.recours_bin(), "key", "issue", "--operator", "--label", "roles"],
                         env=dict(os.environ, DATABASE_URL=server.database_url,
                                  RECOURS_SECRETS_DIR=server.secrets_dir),
                         capture_output=True, text=True, timeout=harness.RUN_TIMEOUT_S)
    if run.returncode != 0:
        raise AssertionError(f"recours key issue --operator failed ({run.returncode}): "
                             f"{run.stderr}")
    lines = run.stdout.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("secret (shown once") and i + 1 < len(lines):
            secret = lines[i + 1].strip()
            if af.KEY_RE.match(secret):
                return secret
    raise AssertionError("recours key issue printed no secret:\n" + run.stdout)


# --- request builders: (world, role) -> (path, body, claim whose token a claimant uses) -------

def static(path):
    return lambda w, role: (path, None, None)


def b_incident(w, role):
    return f"/v1/incidents/{w.slug}", None, None


def b_create_incident(w, role):
    return "/v1/incidents", {"slug": "it-" + cf.suffix(12), "controller": "ACME SA",
                             "title": "Leak", "disclosed_on": "2026-02-10",
                             "affected_count": 10, "data_categories": ["email"],
                             "currency": "EUR"}, None


def b_patch_incident(w, role):
    return f"/v1/incidents/{w.fresh_incident()}", {"title": "Renamed leak"}, None


def b_put_scheme(w, role):
    return f"/v1/incidents/{w.fresh_incident()}/scheme", SCHEME, None


def b_submit(w, role):
    return f"/v1/incidents/{w.slug}/claims", cf.claim_body(), None


def b_incident_claims(w, role):
    return f"/v1/incidents/{w.slug}/claims", None, None


def b_incident_compensation(w, role):
    return f"/v1/incidents/{w.slug}/compensation", None, None


def b_claim(w, role):
    claim = w.owner(role)[2]
    return f"/v1/claims/{claim['reference']}", None, claim


def b_patch_claim(w, role):
    claim = w.fresh_claim()
    return f"/v1/claims/{claim['reference']}", {"harms": {"hours_spent": 5}}, claim


def b_withdraw_claim(w, role):
    claim = w.fresh_claim()
    return f"/v1/claims/{claim['reference']}", None, claim


def b_review(w, role):
    claim = w.fresh_member(role)
    return f"/v1/claims/{claim['reference']}/status", {"status": "verified"}, claim


def b_create_association(w, role):
    return "/v1/associations", af.association_body(), None


def b_patch_association(w, role):
    fresh = af.create_association(w.server, client=w.c)
    return f"/v1/associations/{fresh['id']}", {"contact_email": "new@example.org"}, None


def b_issue_key(w, role):
    return f"/v1/associations/{w.A.id}/keys", {"label": "cell"}, None


def b_revoke_key(w, role):
    key = af.issue_key(w.server, w.A.id, label="cell", client=w.c)
    return f"/v1/keys/{key['id']}", None, None


def b_create_action(w, role):
    return "/v1/actions", af.action_body(w.slug), None


def b_action(w, role):
    return f"/v1/actions/{w.owner(role)[1]['id']}", None, None


def b_patch_action(w, role):
    return f"/v1/actions/{w.fresh_action(role)['id']}", {"title": "Renamed action"}, None


def b_add_members(w, role):
    claim = w.fresh_mandated_outside(role)
    return (f"/v1/actions/{w.owner(role)[1]['id']}/members",
            {"references": [claim["reference"]]}, None)


def b_members(w, role):
    return f"/v1/actions/{w.owner(role)[1]['id']}/members", None, None


def b_remove_member(w, role):
    claim = w.fresh_member(role)
    return f"/v1/actions/{w.owner(role)[1]['id']}/members/{claim['reference']}", None, None


def b_action_sub(suffix):
    return lambda w, role: (f"/v1/actions/{w.owner(role)[1]['id']}/{suffix}", None, None)


def b_notice(suffix=""):
    """A draft notice of the owner's action (stored in SQL: a lapsed owner cannot write one)."""
    def build(w, role):
        action = w.owner(role)[1]
        return f"/v1/actions/{action['id']}/notices/{nf.draft_sql(action['id'])}{suffix}", None, None
    return build


def b_sending_notice(w, role):
    """A notice of the owner's action being sent (stored in SQL, its message held): stoppable."""
    action = w.owner(role)[1]
    return f"/v1/actions/{action['id']}/notices/{nf.sending_sql(action['id'])}/cancel", None, None


def b_simulate(w, role):
    return "/v1/compensation/simulate", {"incident": w.slug, "scheme": SCHEME}, None


def b_export_record(w, role):
    owner, action, _ = w.owner(role)
    r = owner.request("GET", f"/v1/actions/{action['id']}/export", client=w.c)
    if r.status != 200 or "X-Export-Id" not in r.headers:
        raise AssertionError(f"could not make an export: {r!r}")
    return f"/v1/exports/{r.headers['X-Export-Id']}", None, None


def b_upload_evidence(w, role):
    claim = w.fresh_claim()
    return f"/v1/claims/{claim['reference']}/evidence", ef.pdf(), claim


def b_claim_evidence(w, role):
    claim = w.owner(role)[2]
    return f"/v1/claims/{claim['reference']}/evidence", None, claim


def b_remove_evidence(w, role):
    claim = w.fresh_claim()
    f = ef.uploaded(w.server, claim, client=w.c)
    return f"/v1/claims/{claim['reference']}/evidence/{f['id']}", None, claim


def member_evidence(w, role):
    """The path of the owner's member claim's evidence, with one file uploaded once."""
    _, action, claim = w.owner(role)
    if "evidence" not in claim:
        claim["evidence"] = ef.uploaded(w.server, claim, client=w.c)
    return f"/v1/actions/{action['id']}/members/{claim['reference']}/evidence", claim


def b_member_evidence(w, role):
    return member_evidence(w, role)[0], None, None


def b_download_evidence(w, role):
    path, claim = member_evidence(w, role)
    return f"{path}/{claim['evidence']['id']}", None, None


# --- checks of a successful cell beyond its status ---------------------------------------------

def only_own_claims(w, role, resp):
    """GET /v1/incidents/{slug}/claims lists only the claims mandated to the caller."""
    refs = {item["reference"] for item in resp.json()["data"]}
    own = {"assoc_a": w.a_claim, "lapsed": w.l_claim, "suspended": w.s_claim}.get(role)
    if own is not None and own["reference"] not in refs:
        raise AssertionError(f"{role} does not see its own claim")
    for other_role, claim in (("assoc_a", w.a_claim), ("lapsed", w.l_claim),
                              ("suspended", w.s_claim)):
        if other_role != role and claim["reference"] in refs:
            raise AssertionError(f"{role} sees {other_role}'s claim {claim['reference']}")


def only_own_actions(w, role, resp):
    ids = {a["id"] for a in resp.json()["data"]}
    owner_of = {w.a1["id"]: "assoc_a", w.b1["id"]: "assoc_b", w.l1["id"]: "lapsed",
                w.s1["id"]: "suspended"}
    for action_id, who in owner_of.items():
        if (who == role) != (action_id in ids):
            raise AssertionError(f"{role}'s action list {'lacks' if who == role else 'has'} "
                                 f"{who}'s action")


def one_added(w, role, resp):
    if resp.json().get("added") != 1:
        raise AssertionError(f"expected one member added: {resp.json()}")


# --- the table -----------------------------------------------------------------------------------

class Row:
    def __init__(self, build, expect, check=None):
        self.build, self.expect, self.check = build, expect, check


PAGE = public(200)
ROWS = {
    "GET /healthz": Row(static("/healthz"), PAGE),
    "GET /readyz": Row(static("/readyz"), PAGE),
    "GET /metrics": Row(static("/metrics"), PAGE),
    "GET /v1/openapi.json": Row(static("/v1/openapi.json"), PAGE),
    "GET /": Row(static("/"), PAGE),
    "GET /claim": Row(static("/claim"), PAGE),
    "GET /my-claim": Row(static("/my-claim"), PAGE),
    "GET /dashboard": Row(static("/dashboard"), PAGE),
    "GET /static/{file}": Row(static("/static/style.css"), PAGE),
    "GET /i18n/{file}": Row(static("/i18n/fr.json"), PAGE),
    "GET /i/{slug}": Row(lambda w, role: (f"/i/{w.slug}", None, None), PAGE),
    "GET /a/{id}": Row(lambda w, role: (f"/a/{w.a1['id']}", None, None), PAGE),
    "GET /privacy": Row(static("/privacy"), PAGE),
    "GET /privacy/v/{version}": Row(static("/privacy/v/2026-01"), PAGE),
    "GET /legal": Row(static("/legal"), PAGE),
    "GET /accessibility": Row(static("/accessibility"), PAGE),
    "GET /v1/incidents": Row(static("/v1/incidents"), PAGE),
    "POST /v1/incidents": Row(b_create_incident, operator(201)),
    "GET /v1/incidents/{slug}": Row(b_incident, PAGE),
    "PATCH /v1/incidents/{slug}": Row(b_patch_incident, operator(200)),
    # risk flags per day (docs/risk.md): the operator alone
    "GET /v1/incidents/{slug}/risk": Row(lambda w, role: (f"/v1/incidents/{w.slug}/risk", None,
                                                          None), operator(200)),
    "POST /v1/incidents/{slug}/claims": Row(b_submit, public(201)),
    "GET /v1/incidents/{slug}/claims": Row(
        b_incident_claims, association(200, write=False, owned=False), only_own_claims),
    "GET /v1/claims/{reference}": Row(b_claim, claimant(200)),
    "PATCH /v1/claims/{reference}": Row(b_patch_claim, claimant(200)),
    "DELETE /v1/claims/{reference}": Row(b_withdraw_claim, claimant(200)),
    # evidence files (docs/evidence.md): the claimant's, and the mandated association's reads
    "POST /v1/claims/{reference}/evidence": Row(b_upload_evidence, claimant(201)),
    "GET /v1/claims/{reference}/evidence": Row(b_claim_evidence, claimant(200)),
    "DELETE /v1/claims/{reference}/evidence/{file}": Row(b_remove_evidence, claimant(204)),
    "GET /v1/actions/{id}/members/{reference}/evidence": Row(
        b_member_evidence, association(200, write=False, owned=True)),
    "GET /v1/actions/{id}/members/{reference}/evidence/{file}": Row(
        b_download_evidence, association(200, write=False, owned=True)),
    # token recovery and email confirmation (docs/mail.md): public, whoever asks; the request
    # answers 202 for any address, a link not sent by us is not found
    # the forms of the pages (docs/web-forms.md): a JSON body is not a form, for anyone
    "POST /claim": Row(lambda w, role: ("/claim", {"incident": w.slug}, None), public(415)),
    "POST /my-claim": Row(lambda w, role: ("/my-claim", {"reference": "x"}, None), public(415)),
    "POST /my-claim/evidence": Row(
        lambda w, role: ("/my-claim/evidence", {"reference": "x"}, None), public(415)),
    "POST /v1/claim-recovery": Row(
        lambda w, role: ("/v1/claim-recovery", {"email": cf.unique_email()}, None),
        public(202)),
    "POST /v1/claim-recovery/{token}": Row(
        lambda w, role: ("/v1/claim-recovery/" + "A" * 43, None, None), public(404)),
    "GET /confirm-email/{token}": Row(static("/confirm-email/" + "A" * 43), public(404)),
    "POST /confirm-email/{token}": Row(
        lambda w, role: ("/confirm-email/" + "A" * 43, {}, None), public(404)),
    "PATCH /v1/claims/{reference}/status": Row(b_review, review(200)),
    "GET /v1/associations": Row(static("/v1/associations"), PAGE),
    "GET /v1/associations/{id}": Row(lambda w, role: (f"/v1/associations/{w.A.id}", None, None),
                                     PAGE),
    "POST /v1/associations": Row(b_create_association, operator(201)),
    "PATCH /v1/associations/{id}": Row(b_patch_association, operator(200)),
    "POST /v1/associations/{id}/keys": Row(b_issue_key, operator(201)),
    "DELETE /v1/keys/{id}": Row(b_revoke_key, operator(204)),
    "GET /v1/audit/verify": Row(static("/v1/audit/verify"), operator(200)),
    "POST /v1/actions": Row(b_create_action, association(201, write=True, owned=False)),
    "GET /v1/actions": Row(static("/v1/actions"), association(200, write=False, owned=False),
                           only_own_actions),
    "GET /v1/actions/{id}": Row(b_action, association(200, write=False, owned=True)),
    "PATCH /v1/actions/{id}": Row(b_patch_action, association(200, write=True, owned=True)),
    "POST /v1/actions/{id}/members": Row(b_add_members,
                                         association(200, write=True, owned=True), one_added),
    "GET /v1/actions/{id}/members": Row(b_members, association(200, write=False, owned=True)),
    # the mandate an open action offers on the claim form: public, whoever asks
    "GET /v1/actions/{id}/mandate": Row(
        lambda w, role: (f"/v1/actions/{w.a1['id']}/mandate", None, None), PAGE),
    "DELETE /v1/actions/{id}/members/{reference}": Row(
        b_remove_member, association(204, write=True, owned=True)),
    # the workspace (docs/workspace.md)
    "GET /v1/actions/{id}/members/{reference}": Row(
        b_remove_member, association(200, write=False, owned=True)),
    "POST /v1/actions/{id}/members/{reference}/removal": Row(
        lambda w, role: (b_remove_member(w, role)[0] + "/removal", {"reason": "other"}, None),
        association(200, write=True, owned=True)),
    "GET /v1/actions/{id}/timeline": Row(b_action_sub("timeline"),
                                         association(200, write=False, owned=True)),
    "POST /v1/actions/{id}/reviews": Row(
        lambda w, role: (f"/v1/actions/{w.owner(role)[1]['id']}/reviews",
                         {"references": [w.fresh_member(role)["reference"]],
                          "decision": "verified"}, None),
        association(200, write=True, owned=True)),
    # notices to the members (docs/workspace.md "Notices"); the stop link is a page for anyone
    "POST /v1/actions/{id}/notices": Row(
        lambda w, role: (f"/v1/actions/{w.owner(role)[1]['id']}/notices", nf.draft_body(), None),
        association(201, write=True, owned=True)),
    "GET /v1/actions/{id}/notices": Row(b_action_sub("notices"),
                                        association(200, write=False, owned=True)),
    "GET /v1/actions/{id}/notices/{notice}": Row(b_notice(),
                                                 association(200, write=False, owned=True)),
    "GET /v1/actions/{id}/notices/{notice}/preview": Row(
        b_notice("/preview"), association(200, write=False, owned=True)),
    "POST /v1/actions/{id}/notices/{notice}/send": Row(
        lambda w, role: (b_notice("/send")(w, role)[0], {"dry_run": True}, None),
        association(200, write=True, owned=True)),
    "POST /v1/actions/{id}/notices/{notice}/cancel": Row(
        b_sending_notice, association(200, write=True, owned=True)),
    "DELETE /v1/actions/{id}/notices/{notice}": Row(
        b_notice(), association(204, write=True, owned=True)),
    "GET /notices/stop/{token}": Row(static("/notices/stop/1.AAAAAAAAAAAAAAAAAAAAAA"),
                                     public(404)),
    "POST /notices/stop/{token}": Row(
        lambda w, role: ("/notices/stop/1.AAAAAAAAAAAAAAAAAAAAAA", {}, None), public(404)),
}

# Routes of the original contract not served yet: their rows apply once `recours routes` lists them.
PLANNED = {
    "PUT /v1/incidents/{slug}/scheme": Row(b_put_scheme, operator(200)),
    "GET /v1/incidents/{slug}/compensation": Row(b_incident_compensation, public_or_member(200)),
    "POST /v1/compensation/simulate": Row(
        b_simulate, association(200, write=False, owned=False, operator_ok=True)),
    "GET /v1/schemes/presets": Row(static("/v1/schemes/presets"), PAGE),
    "GET /v1/actions/{id}/compensation": Row(b_action_sub("compensation"),
                                             association(200, write=False, owned=True)),
    "GET /v1/actions/{id}/export": Row(b_action_sub("export"),
                                       association(200, write=False, owned=True)),
    "GET /v1/exports/{id}": Row(b_export_record,
                                association(200, write=False, owned=True, operator_ok=True)),
}


def served_routes():
    """{"METHOD PATH": role} from `recours routes`."""
    run = subprocess.run([harness.recours_bin(), "routes"], capture_output=True, text=True,
                         timeout=harness.RUN_TIMEOUT_S)
    if run.returncode != 0:
        raise AssertionError(f"recours routes failed ({run.returncode}): {run.stderr}")
    out = {}
    for line in run.stdout.splitlines():
        if line.strip():
            method, path, role = line.split()
            out[f"{method} {path}"] = role
    return out


class RolesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = cf.start_server()
        cls.client = harness.Client(cls.server)
        try:
            cls.world = World(cls.server, cls.client)
        except BaseException:
            cls.client.close()
            cls.server.close(check=False)
            raise
        cls.routes = served_routes()

    @classmethod
    def tearDownClass(cls):
        cls.client.close()
        cls.server.close()

    def rows(self):
        return {k: ROWS.get(k) or PLANNED.get(k) for k in self.routes}

    def test_every_route_has_a_row(self):
        missing = sorted(k for k in self.routes if k not in ROWS and k not in PLANNED)
        self.assertEqual(missing, [], "routes without a row in test_roles.py: say who may "
                                      "call them")
        stale = sorted(k for k in ROWS if k not in self.routes)
        self.assertEqual(stale, [], "rows of test_roles.py for routes that are gone")

    def test_the_route_table_names_the_roles_of_the_rows(self):
        for key, row in self.rows().items():
            if row is not None:
                self.assertEqual(self.routes[key], row.expect.role_name, key)

    def test_every_role_on_every_route(self):
        w = self.world
        for key, row in sorted(self.rows().items()):
            if row is None:
                continue
            method = key.split(" ", 1)[0]
            for role in ROLES:
                with self.subTest(route=key, role=role):
                    self.run_cell(w, method, row, role)

    def run_cell(self, w, method, row, role):
        path, body, claim = row.build(w, role)
        status, problem = row.expect(role)
        r = af.request(self.server, method, path, token=w.token(role, claim), body=body,
                       client=self.client)
        where = f"{method} {path} as {role}"
        self.assertEqual(r.status, status, f"{where}: {r!r}")
        if problem is not None:
            harness.assert_problem(self, r, status, problem)
            if status == 401:
                self.assertTrue(r.headers.get("WWW-Authenticate", "").startswith("Bearer"),
                                f"{where}: WWW-Authenticate missing")
            return
        if status == 204:
            self.assertEqual(r.body, b"", where)
        elif r.media_type == "application/json":
            r.json()
        if row.check is not None:
            row.check(w, role, r)

    def test_a_forbidden_write_changes_nothing(self):
        """B's refused writes on A's objects leave them as they were (404 is not a
        half-done write)."""
        w = self.world
        member = w.fresh_member("assoc_a")
        path = f"/v1/actions/{w.a1['id']}/members/{member['reference']}"
        self.assertEqual(w.B.request("DELETE", path, client=self.client).status, 404)
        r = w.B.request("PATCH", f"/v1/claims/{member['reference']}/status",
                        {"status": "rejected", "reason": "not ours"}, client=self.client)
        self.assertEqual(r.status, 404)
        r = w.B.request("PATCH", f"/v1/actions/{w.a1['id']}", {"status": "closed"},
                        client=self.client)
        self.assertEqual(r.status, 404)
        self.assertEqual(af.memberships_of_claims([member["reference"]]),
                         {member["reference"]: w.a1["id"]})
        rows = cf.psql("SELECT c.status, x.status FROM claims c, actions x"
                       f" WHERE c.reference = {cf.sql_literal(member['reference'])}"
                       f" AND x.id = {cf.sql_literal(w.a1['id'])}")
        self.assertEqual(rows, [["received", "open"]])

    def test_a_refused_post_never_reaches_idempotency(self):
        """The route's role is checked before the Idempotency-Key wrapper (routes_run): a
        refused caller's answer is not stored, so the same key again is refused afresh, not
        replayed, and even a malformed key is answered 401/404 rather than 400."""
        w = self.world
        posts = sorted(k.split(" ", 1)[1] for k, role in self.routes.items()
                       if k.startswith("POST ") and role not in ("public",))
        self.assertTrue(posts)
        before = cf.psql("SELECT count(*) FROM idempotency_keys")
        for path in posts:
            for role, status in (("public", 401), ("revoked", 401),
                                 ("assoc_b" if self.routes[f"POST {path}"] == "operator"
                                  else "other_claimant", None)):
                with self.subTest(path=path, role=role):
                    token = w.token(role, None)
                    for key in (f"refused-{role}", f"refused-{role}", "bad key with spaces"):
                        r = af.request(self.server, "POST", path.replace("{id}", w.a1["id"]),
                                       token=token, body={}, client=self.client,
                                       headers={"Idempotency-Key": key})
                        self.assertIn(r.status, (status,) if status else (401, 404), repr(r))
                        self.assertNotIn("Idempotency-Replayed", r.headers, repr(r))
        self.assertEqual(cf.psql("SELECT count(*) FROM idempotency_keys"), before)

    def test_malformed_ids_and_references_are_not_found(self):
        """A malformed id in a path → 404, as a missing object, for the role that could
        otherwise call the route (docs/api.md §2.5)."""
        w = self.world
        cases = [(w.A, "GET", "/v1/actions/not-a-uuid"),
                 (w.A, "GET", "/v1/actions/00000000-0000-0000-0000-000000000000/members"),
                 (w.A, "DELETE", f"/v1/actions/{w.a1['id']}/members/RC-XXXX"),
                 (None, "PATCH", "/v1/associations/not-a-uuid"),
                 (None, "GET", "/v1/associations/not-a-uuid"),
                 (None, "DELETE", "/v1/keys/00000000-0000-0000-0000-000000000000"),
                 (None, "POST", "/v1/associations/nope/keys")]
        for who, method, path in cases:
            with self.subTest(path=path):
                token = who.key if who is not None else self.server.operator_key
                body = {} if method in ("PATCH", "POST") else None
                r = af.request(self.server, method, path, token=token, body=body,
                               client=self.client)
                harness.assert_problem(self, r, 404, "not-found")


if __name__ == "__main__":
    harness.main()
