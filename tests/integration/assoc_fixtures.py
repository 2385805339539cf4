# SPDX-License-Identifier: AGPL-3.0-or-later
"""Helpers of the association tests (docs/api.md §10): associations registered, approved,
suspended or lapsed through the API with the operator key, their API keys, open actions on an
incident, and claims mandated to an action by the web form (submission with `action_id` and
`mandate_text_version`) or later by the claimant (PATCH, channel `api`).

Python 3 standard library only; every name is unique per call, so tests may run in any order
and in parallel with others on the same database. Each helper raises AssertionError with the
response when the server refuses a step (a fixture that silently half-worked would make the
tests lie).
"""

import datetime
import json
import re

import claims_fixtures as cf
import harness

KEY_RE = re.compile(r"^rk_[A-Za-z0-9]{8}_[A-Za-z0-9_-]{43}$")
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
MANDATE_VERSION = "2026-03-a"
LEGAL_BASES = ["gdpr-art80-1", "fr-lil-art37", "eu-directive-2020-1828"]

# A period that ended long ago: an approved association with it reads as lapsed.
PAST_PERIOD = {"approved_from": "2020-01-01", "approved_until": "2020-12-31"}


def _expect(r, status, what):
    if r.status != status:
        raise AssertionError(f"could not {what}: expected {status}, got {r!r}")
    return r.json() if r.body else None


def today():
    return datetime.datetime.now(datetime.timezone.utc).date()


def future_deadline(days=365):
    """An RFC 3339 UTC date-time `days` from now (the opt-in deadline must be future)."""
    t = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=days)
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def request(server, method, path, token=None, body=None, headers=None, client=None):
    """One request with an optional bearer credential; a dict body is sent as JSON (PATCH as
    merge-patch+json). Uses client when given, else a connection of its own."""
    hdrs = dict(headers or {})
    if isinstance(body, (dict, list)):
        if not any(k.lower() == "content-type" for k in hdrs):
            hdrs["Content-Type"] = ("application/merge-patch+json" if method == "PATCH"
                                    else "application/json")
        body = json.dumps(body).encode("utf-8")
    if client is not None:
        return client.request(method, path, body=body, headers=hdrs, token=token)
    with harness.Client(server) as c:
        return c.request(method, path, body=body, headers=hdrs, token=token)


def op(server, method, path, body=None, client=None):
    """A request with the operator key of the server's secrets."""
    return request(server, method, path, token=server.operator_key, body=body, client=client)


class Association:
    """An association as the tests hold it: its API object (`obj`), id, and one live key
    (`key` = the bearer secret, `key_id`)."""

    def __init__(self, server, obj, key=None, key_id=None):
        self.server = server
        self.obj = obj
        self.id = obj["id"]
        self.key = key
        self.key_id = key_id

    def request(self, method, path, body=None, client=None, headers=None):
        return request(self.server, method, path, token=self.key, body=body, client=client,
                       headers=headers)

    def __repr__(self):
        return f"<Association {self.id} {self.obj.get('status')}>"


def association_body(**overrides):
    body = {
        "name": "Association " + cf.letters(8).capitalize(),
        "approval_reference": "AGR-" + cf.suffix(8).upper(),
        "approved_from": (today() - datetime.timedelta(days=30)).isoformat(),
        "approved_until": None,
        "country": "FR",
        "contact_email": f"contact.{cf.suffix(8)}@example.org",
    }
    return cf.deep_merge(body, overrides)


def create_association(server, client=None, **overrides):
    """POST /v1/associations (201, pending); returns the object."""
    return _expect(op(server, "POST", "/v1/associations", association_body(**overrides),
                      client=client), 201, "create an association")


def patch_association(server, association_id, body, client=None):
    return _expect(op(server, "PATCH", f"/v1/associations/{association_id}", body,
                      client=client), 200, f"patch association {association_id}")


def issue_key(server, association_id, label=None, client=None):
    """POST /v1/associations/{id}/keys (201); returns the key object with its secret."""
    body = {"label": label} if label is not None else {}
    return _expect(op(server, "POST", f"/v1/associations/{association_id}/keys", body,
                      client=client), 201, f"issue a key for {association_id}")


def revoke_key(server, key_id, client=None):
    _expect(op(server, "DELETE", f"/v1/keys/{key_id}", client=client), 204,
            f"revoke key {key_id}")


def approved_association(server, client=None, **overrides):
    """A new association, approved now, with one key."""
    obj = create_association(server, client=client, **overrides)
    obj = patch_association(server, obj["id"], {"status": "approved"}, client=client)
    key = issue_key(server, obj["id"], label="tests", client=client)
    return Association(server, obj, key["secret"], key["id"])


def lapse(server, assoc, client=None):
    """Moves an approved association's period into the past: it reads as lapsed."""
    assoc.obj = patch_association(server, assoc.id, dict(PAST_PERIOD), client=client)
    if assoc.obj["status"] != "lapsed":
        raise AssertionError(f"association did not read as lapsed: {assoc.obj}")
    return assoc


def suspend(server, assoc, client=None):
    assoc.obj = patch_association(server, assoc.id, {"status": "suspended"}, client=client)
    return assoc


def lapsed_association(server, client=None):
    """An approved association whose approval ended (approved_until in the past), with a key."""
    return lapse(server, approved_association(server, client=client), client=client)


def suspended_association(server, client=None):
    return suspend(server, approved_association(server, client=client), client=client)


def action_body(slug, **overrides):
    body = {
        "incident": slug,
        "title": "Action de groupe " + cf.letters(6),
        "legal_basis": "gdpr-art80-1",
        "opt_in_deadline": future_deadline(),
        "counsel_name": "Maître Dupont",
        "counsel_email": "counsel@example.org",
        "mandate_text": "Je donne mandat à l'association de me représenter.",
        "mandate_text_version": MANDATE_VERSION,
    }
    return cf.deep_merge(body, overrides)


def open_action(assoc, slug, client=None, **overrides):
    """POST /v1/actions as assoc (201); returns the action object."""
    return _expect(assoc.request("POST", "/v1/actions", action_body(slug, **overrides),
                                 client=client), 201, f"open an action on {slug}")


def set_up_open_action(test, server):
    """The setUp of a test about one open action: test.c (a client, closed at cleanup),
    test.slug (a new incident), test.A (an approved association) and test.action (its open
    action on the incident)."""
    test.c = harness.Client(server)
    test.addCleanup(test.c.close)
    test.slug = cf.make_incident(server)
    test.A = approved_association(server, client=test.c)
    test.action = open_action(test.A, test.slug, client=test.c)


def mandated_claim(server, slug, action, client=None, **overrides):
    """Submits a claim mandating action through the web form (it joins at once); returns
    {"reference", "token", "body", "receipt"}."""
    body = cf.claim_body(action_id=action["id"],
                         mandate_text_version=action["mandate_text_version"], **overrides)
    r = request(server, "POST", f"/v1/incidents/{slug}/claims", body=body, client=client)
    receipt = _expect(r, 201, f"submit a claim mandating action {action['id']}")
    if receipt.get("action_id") != action["id"]:
        raise AssertionError(f"the receipt does not name the action: {receipt}")
    return {"reference": receipt["reference"], "token": receipt["token"], "body": body,
            "receipt": receipt}


def plain_claim(server, slug, client=None, **overrides):
    """A claim without mandate; same shape as mandated_claim's answer."""
    body = cf.claim_body(**overrides)
    r = request(server, "POST", f"/v1/incidents/{slug}/claims", body=body, client=client)
    receipt = _expect(r, 201, f"submit a claim on {slug}")
    return {"reference": receipt["reference"], "token": receipt["token"], "body": body,
            "receipt": receipt}


def claimant_patch(server, claim, body, client=None):
    """PATCH /v1/claims/{reference} with the claim's token (merge patch); the response."""
    return request(server, "PATCH", f"/v1/claims/{claim['reference']}", token=claim["token"],
                   body=body, client=client)


def mandate_later(server, claim, action, client=None):
    """The claimant mandates action by PATCH (channel api); asserts 200 and returns the view."""
    r = claimant_patch(server, claim, {"action_id": action["id"],
                                       "mandate_text_version": action["mandate_text_version"]},
                       client=client)
    return _expect(r, 200, f"mandate action {action['id']} by PATCH")


def remove_member(assoc, action, reference, client=None):
    _expect(assoc.request("DELETE", f"/v1/actions/{action['id']}/members/{reference}",
                          client=client), 204, f"remove {reference} from {action['id']}")


def add_members(assoc, action, references, client=None):
    """POST …/members by references (200); returns the counts."""
    return _expect(assoc.request("POST", f"/v1/actions/{action['id']}/members",
                                 {"references": list(references)}, client=client), 200,
                   f"add members to {action['id']}")


def mandated_free_claim(server, slug, assoc, action, client=None, **overrides):
    """A claim mandated to assoc (through action) but in no action: submitted with the mandate
    (joins), then removed by the association."""
    claim = mandated_claim(server, slug, action, client=client, **overrides)
    remove_member(assoc, action, claim["reference"], client=client)
    return claim


def set_action_status(assoc, action, status, client=None):
    return _expect(assoc.request("PATCH", f"/v1/actions/{action['id']}", {"status": status},
                                 client=client), 200, f"set action {action['id']} {status}")


# --- the database, raw -----------------------------------------------------------------------

def memberships_of_claims(references, url=None):
    """{reference: action_id} of these claims that are members of an action (psql on url,
    DATABASE_URL by default)."""
    if not references:
        return {}
    refs = ", ".join(cf.sql_literal(r) for r in references)
    rows = cf.psql("SELECT reference, member_action_id FROM claims"
                   f" WHERE member_action_id IS NOT NULL AND reference IN ({refs})", url=url)
    return {r[0]: r[1] for r in rows}


def mandate_of(reference):
    """(mandate_action_id, mandate_association_id, mandate_channel) of a claim (psql)."""
    rows = cf.psql("SELECT coalesce(mandate_action_id::text, ''),"
                   " coalesce(mandate_association_id::text, ''), coalesce(mandate_channel, '')"
                   f" FROM claims WHERE reference = {cf.sql_literal(reference)}")
    if len(rows) != 1:
        raise AssertionError(f"claim {reference} not found in the database")
    return tuple(v or None for v in rows[0])
