#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""bench/members/run.py: a page of 100 members of an action with 1,000,000 members over HTTPS
(the workspace issue: "first page and a deep page, median under 20 ms").

    RECOURS_BIN=build/recours RECOURS_SOURCE_DIR=. DATABASE_URL=… bench/members/run.py \
        [--members N] [--calls N] [--no-results]

(bench/members/run.sh sets the environment from the private cluster.)

1. a fresh database bench_members_<random> on DATABASE_URL's server, migrated; `recours serve`
   on it through tests/integration/harness.py (throw-away secrets and certificate);
2. an incident, an approved association and its action made through the API;
3. N claims loaded with SQL straight into that action (load_chunk(): INSERT … SELECT FROM
   generate_series in chunks of 100,000; statuses, countries and payment choices spread, mandate
   dates over 90 days), then the summary tallies and VACUUM ANALYZE;
4. over ONE HTTPS keep-alive connection, 3 discarded calls then --calls timed ones for each
   page: the first page in reference order, a deep page (the cursor after 90 % of the members,
   made with the server's hmac-key as the server makes it, and checked by one call), the first page by mandate date newest first, and the
   first page of a status filter (status=rejected: 5 % of the members) in mandate-date order;
   the client's wall time per call (request written to body read);
5. the Markdown block to stdout and into bench/RESULTS.md, section "Workspace: member pages at
   1,000,000 members" (replaced on each run); the database dropped.
"""

import argparse
import base64
import hashlib
import hmac
import os
import statistics
import subprocess
import sys
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))

import assoc_fixtures as af  # noqa: E402
import claims_fixtures as cf  # noqa: E402
import harness  # noqa: E402

SECTION = "## Workspace: member pages at 1,000,000 members (workspace issue)"
CHUNK = 100_000
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
TARGET_MS = 20.0


def psql(sql, url):
    """cf.psql without the test harness's 120 s bound: a chunk may take longer on a busy
    machine."""
    run = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", url,
                          "-c", sql], capture_output=True, text=True, timeout=3600)
    if run.returncode != 0:
        raise SystemExit(f"psql failed: {run.stderr.strip()}")
    return [line.split("|") for line in run.stdout.splitlines() if line]


def load_chunk(url, slug, assoc, action, first, n):
    """n members numbered from first: references are consecutive base-32 numbers (never
    colliding within the run), keys derived from the number."""
    alphabet = cf.sql_literal(CROCKFORD)
    symbols = " || ".join(
        f"substr({alphabet}, ((g >> {5 * (7 - i)}) & 31)::int + 1, 1)"
        + (" || '-'" if i == 3 else "") for i in range(8))
    key = "sha256(convert_to('{}' || g::text, 'UTF8'))"
    psql(f"""
        INSERT INTO claims (incident_id, reference, token_hash, email_key, data_key_id, pii,
                            country, categories, payment_preference, status,
                            privacy_notice_version, created_at, updated_at,
                            mandate_action_id, mandate_association_id, mandate_text_version,
                            mandated_at, mandate_channel, member_action_id, member_added_at)
        SELECT (SELECT id FROM incidents WHERE slug = {cf.sql_literal(slug)}),
               'RC-' || {symbols}, {key.format('t')}, {key.format('e')}, 1,
               {key.format('p1')} || {key.format('p2')},
               (ARRAY['FR','DE','ES','IT','BE','NL','PT','PL'])[1 + g % 8], 1 + (g % 4095),
               CASE WHEN g % 3 = 0 THEN 'cash' ELSE 'voucher' END,
               CASE WHEN g % 20 = 0 THEN 'rejected' WHEN g % 5 = 0 THEN 'verified'
                    ELSE 'received' END,
               {cf.sql_literal(cf.NOTICE_VERSION)}, now(), now(),
               {cf.sql_literal(action['id'])}::uuid, {cf.sql_literal(assoc.id)}::uuid,
               {cf.sql_literal(action['mandate_text_version'])},
               now() - make_interval(secs => (g * 7919 % 7776000)), 'web-form',
               {cf.sql_literal(action['id'])}::uuid, now()
        FROM generate_series({first}::bigint, {first + n - 1}::bigint) g""", url)


def server_cursor(server, kind, position):
    """base64url(kind ":" position || HMAC-SHA256(hmac-key, same)[:16]), unpadded."""
    with open(os.path.join(server.secrets_dir, "hmac-key"), encoding="ascii") as f:
        key = bytes.fromhex(f.read().strip())
    msg = f"{kind}:{position}".encode()
    tag = hmac.new(key, msg, hashlib.sha256).digest()[:16]
    return base64.urlsafe_b64encode(msg + tag).decode().rstrip("=")


def timed(client, assoc, path, calls):
    for _ in range(3):
        r = assoc.request("GET", path, client=client)
        if r.status != 200:
            raise SystemExit(f"{path}: {r.status} {r.body[:200]!r}")
    times = []
    for _ in range(calls):
        t0 = time.perf_counter()
        r = assoc.request("GET", path, client=client)
        times.append((time.perf_counter() - t0) * 1000)
        if r.status != 200 or len(r.json()["data"]) != 100:
            raise SystemExit(f"{path}: {r.status}, not a full page")
    return statistics.median(times), min(times), max(times)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--members", type=int, default=1_000_000)
    ap.add_argument("--calls", type=int, default=20)
    ap.add_argument("--no-results", action="store_true")
    args = ap.parse_args()

    name = "bench_members_" + cf.suffix(8)
    cf.psql(f"CREATE DATABASE {name}")
    parts = urllib.parse.urlsplit(cf.database_url())
    url = urllib.parse.urlunsplit(parts._replace(path="/" + name))
    server = None
    try:
        server = cf.start_server(database_url=url, workers=4)
        client = harness.Client(server)
        slug = cf.make_incident(server)
        assoc = af.approved_association(server, client=client)
        action = af.open_action(assoc, slug, client=client)
        t0 = time.monotonic()
        for first in range(1, args.members + 1, CHUNK):
            load_chunk(url, slug, assoc, action, first, min(CHUNK, args.members + 1 - first))
            print(f"==> loaded {min(first + CHUNK - 1, args.members)}", file=sys.stderr)
        psql("INSERT INTO claim_tallies (incident_id, status, payment_preference, country,"
                " categories, documented_loss, hours_spent, shard, n)"
                " SELECT incident_id, status, payment_preference, country, categories,"
                " documented_loss, hours_spent, 0, count(*) FROM claims"
                " GROUP BY 1, 2, 3, 4, 5, 6, 7"
                " ON CONFLICT ON CONSTRAINT claim_tallies_pkey DO UPDATE SET n = excluded.n",
                url)
        psql("VACUUM ANALYZE claims", url)
        load_s = time.monotonic() - t0
        base = f"/v1/actions/{action['id']}/members"
        # the deep cursor: the one the server would give after the 90th percentile member
        # (walking 900 pages to get it costs more than the bench); made here with the
        # server's hmac-key exactly as api/crypto/cursor.c makes it
        walked = args.members * 9 // 10
        deep_ref = psql("SELECT reference FROM claims WHERE member_action_id = "
                           f"{cf.sql_literal(action['id'])}::uuid ORDER BY reference"
                        f" OFFSET {walked - 1} LIMIT 1", url)[0][0]
        cursor = server_cursor(server, f"members:{action['id']}:r:a", deep_ref)
        check = assoc.request("GET", base + "?limit=1&cursor=" + urllib.parse.quote(cursor, safe=""),
                              client=client)
        if check.status != 200 or check.json()["data"][0]["reference"] <= deep_ref:
            raise SystemExit(f"the made cursor is refused: {check.status} {check.body[:200]!r}")
        pages = [
            ("first page, reference order", base + "?limit=100"),
            (f"deep page (after {walked:,} members)",
             base + "?limit=100&cursor=" + urllib.parse.quote(cursor, safe="")),
            ("first page, mandate date newest first", base + "?limit=100&sort=mandated_at&order=desc"),
            ("first page, status=rejected by mandate date",
             base + "?limit=100&status=rejected&sort=mandated_at"),
            ("first page, country=PT & cash", base + "?limit=100&country=PT&payment_preference=cash"),
        ]
        load_before = os.getloadavg()[0]
        rows = [(label, *timed(client, assoc, path, args.calls)) for label, path in pages]
        load_after = os.getloadavg()[0]
        client.close()
    finally:
        if server is not None:
            server.close()
        cf.drop_database(name)
    block = [SECTION, "",
             f"`bench/members/run.sh` — {args.members:,} members of one action (loaded in "
             f"{load_s:.0f} s), pages of 100 over one HTTPS keep-alive connection, "
             f"{args.calls} timed calls each after 3 discarded; client wall time. "
             f"Target: median under {TARGET_MS:.0f} ms. Machine: 2 shared cores, PostgreSQL 15 "
             f"on the same host, load average {load_before:.1f} before the timed calls and "
             f"{load_after:.1f} after (other work on the machine). Deep cursor after {deep_ref}.",
             "",
             "| page | median ms | min ms | max ms | target |", "|---|---:|---:|---:|---|"]
    for label, med, lo, hi in rows:
        block.append(f"| {label} | {med:.1f} | {lo:.1f} | {hi:.1f} | "
                     f"{'met' if med < TARGET_MS else 'MISSED'} |")
    text = "\n".join(block) + "\n"
    print(text)
    if not args.no_results:
        path = os.path.join(ROOT, "bench", "RESULTS.md")
        with open(path, encoding="utf-8") as f:
            current = f.read()
        if SECTION in current:
            start = current.index(SECTION)
            nxt = current.find("\n## ", start + len(SECTION))
            current = current[:start] + text + (current[nxt:] if nxt >= 0 else "")
        else:
            current = current.rstrip("\n") + "\n\n" + text
        with open(path, "w", encoding="utf-8") as f:
            f.write(current)


if __name__ == "__main__":
    main()
