#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""bench/members/run.py: a page of 100 members of an action with 1,000,000 members over HTTPS
(the workspace issue: "first page and a deep page, median under 20 ms").

    RECOURS_BIN=build/recours RECOURS_SOURCE_DIR=. DATABASE_URL=… bench/members/run.py \
        [--members N] [--calls N] [--no-results] [--keep | --reuse DB] [--before BIN]

(bench/members/run.sh sets the environment from the private cluster.)

1. a fresh database bench_members_<random> on DATABASE_URL's server, migrated; `recours serve`
   on it through tests/integration/harness.py (throw-away secrets and certificate); with
   --reuse, a database an earlier --keep left (migrated again, not loaded: its action gets a
   new key from this server's operator key);
2. an incident, an approved association and its action made through the API;
3. N claims loaded with SQL straight into that action (load_chunk(): INSERT … SELECT FROM
   generate_series in chunks of 100,000; statuses, countries and payment choices spread, mandate
   dates over 90 days), then the summary tallies and VACUUM ANALYZE;
4. with --before BIN, a second server of that binary (the code before a change) on the same
   database with the same secrets;
5. for each page, one answer checked against api/openapi.json, 3 discarded calls, then --calls
   timed ones per server over one HTTPS keep-alive connection each (the servers' calls
   interleaved, alternating which goes first): the first page in reference order, a deep page
   (the cursor after 90 % of the members, made with the server's hmac-key as the server makes
   it, and checked by one call), the first page by mandate date newest first, the first page
   of a status filter (status=rejected: 5 % of the members) in mandate-date order, and the
   first page of country=PT & cash (1 in 24); the client's wall time per call (request
   written to body read), the server's own mean (its /metrics duration sum), then --calls more
   with each server alone for the CPU per call of the server and the database's backends;
6. the Markdown block to stdout and into bench/RESULTS.md, section "Workspace: member pages at
   1,000,000 members" (replaced on each run); the database dropped unless --keep or --reuse.
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


def cpu_s(pids):
    """User + system CPU seconds of the processes pids so far (those still running)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat", encoding="ascii") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])   # utime, stime
    return total / ticks


def backend_pids(url, name):
    return [int(r[0]) for r in psql("SELECT pid FROM pg_stat_activity WHERE datname = "
                                    f"{cf.sql_literal(name)} AND pid <> pg_backend_pid()", url)]


def server_seconds(variant):
    """The server's own count and sum of request durations (/metrics)."""
    text = variant.client.request("GET", "/metrics").body.decode()
    total = count = 0.0
    for line in text.splitlines():
        if line.startswith("recours_http_request_duration_seconds_sum "):
            total = float(line.split()[1])
        elif line.startswith("recours_http_request_duration_seconds_count "):
            count = float(line.split()[1])
    return count, total


class Variant:
    """One server (one binary) with its keep-alive connection and the association's key."""

    def __init__(self, label, server, assoc):
        self.label = label
        self.server = server
        # the timed calls skip the harness's OpenAPI check of each answer: in Python it cost
        # more than the server (the medians of the first runs were mostly that); measure()
        # checks one answer per page with a checking client
        self.client = harness.Client(server, check_openapi=False)
        self.assoc = assoc

    def get(self, path):
        t0 = time.perf_counter()
        r = self.assoc.request("GET", path, client=self.client)
        ms = (time.perf_counter() - t0) * 1000
        if r.status != 200 or len(r.json()["data"]) != 100:
            raise SystemExit(f"{self.label} {path}: {r.status}, not a full page")
        return ms


def measure(variants, path, calls, url, name):
    """Per variant: the client's wall times (the variants' calls interleaved, so that both see
    the same machine), the server's mean time per call (/metrics), and the CPU per call of
    the server and the database's backends (each variant alone, `calls` calls)."""
    out = {}
    for v in variants:
        with harness.Client(v.server) as checking:
            if v.assoc.request("GET", path, client=checking).status != 200:
                raise SystemExit(f"{v.label} {path}: refused")
        for _ in range(3):
            v.get(path)
    marks = {v.label: server_seconds(v) for v in variants}
    times = {v.label: [] for v in variants}
    for i in range(calls):
        for v in (variants if i % 2 == 0 else variants[::-1]):
            times[v.label].append(v.get(path))
    for v in variants:
        count, total = server_seconds(v)
        c0, t0 = marks[v.label]
        # the first /metrics call is counted in the window; it is small next to a page
        server_ms = (total - t0) * 1000 / max(count - c0 - 1, 1)
        pids = [v.server.proc.pid] + backend_pids(url, name)
        before = cpu_s(pids)
        for _ in range(calls):
            v.get(path)
        cpu_ms = (cpu_s(pids) - before) * 1000 / calls
        ts = times[v.label]
        out[v.label] = (statistics.median(ts), min(ts), max(ts), server_ms, cpu_ms)
    return out


def reuse(url, name, server, client):
    """The incident, association and action of a kept database, with a new key issued by
    this server (its operator key)."""
    slug, assoc_id, action_id, version = psql(
        "SELECT i.slug, a.association_id, a.id, a.mandate_text_version FROM actions a"
        " JOIN incidents i ON i.id = a.incident_id ORDER BY a.created_at LIMIT 1", url)[0]
    key = af.issue_key(server, assoc_id, label="bench", client=client)
    assoc = af.Association(server, {"id": assoc_id}, key["secret"], key["id"])
    return slug, assoc, {"id": action_id, "mandate_text_version": version}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--members", type=int, default=1_000_000)
    ap.add_argument("--calls", type=int, default=20)
    ap.add_argument("--no-results", action="store_true")
    ap.add_argument("--keep", action="store_true",
                    help="keep the database (its name on stderr) for EXPLAIN ANALYZE or --reuse")
    ap.add_argument("--reuse", metavar="DB",
                    help="a database kept by --keep: no load (implies --keep)")
    ap.add_argument("--before", metavar="BIN",
                    help="another recours binary (the code before a change): a second server "
                         "of it on the same database and secrets, timed call for call with "
                         "this one")
    args = ap.parse_args()

    name = args.reuse or "bench_members_" + cf.suffix(8)
    if not args.reuse:
        cf.psql(f"CREATE DATABASE {name}")
    parts = urllib.parse.urlsplit(cf.database_url())
    url = urllib.parse.urlunsplit(parts._replace(path="/" + name))
    servers = []
    load_s = None
    try:
        server = cf.start_server(database_url=url, workers=4)
        servers.append(server)
        client = harness.Client(server)
        if args.reuse:
            slug, assoc, action = reuse(url, name, server, client)
            args.members = int(psql("SELECT count(*) FROM claims WHERE member_action_id = "
                                    f"{cf.sql_literal(action['id'])}::uuid", url)[0][0])
        else:
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
        variants = []
        if args.before:
            # the same deployment (secrets copied), the binary before the change
            saved = os.environ["RECOURS_BIN"]
            os.environ["RECOURS_BIN"] = args.before
            try:
                old = cf.start_server(database_url=url, workers=4, migrate=False,
                                      secrets_from=server)
            finally:
                os.environ["RECOURS_BIN"] = saved
            servers.append(old)
            variants.append(Variant("before", old, af.Association(old, assoc.obj, assoc.key,
                                                                  assoc.key_id)))
        variants.append(Variant("after", server, assoc))
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
        rows = [(label, measure(variants, path, args.calls, url, name)) for label, path in pages]
        load_after = os.getloadavg()[0]
        client.close()
        for v in variants:
            v.client.close()
    finally:
        for s in servers:
            s.close()
        if args.keep or args.reuse:
            print(f"==> kept database {name}", file=sys.stderr)
        else:
            cf.drop_database(name)
    loaded = f"loaded in {load_s:.0f} s" if load_s is not None else f"database {name} reused"
    block = [SECTION, "",
             f"`bench/members/run.sh` — {args.members:,} members of one action ({loaded}), "
             f"pages of 100 over one HTTPS keep-alive connection per server (the client "
             f"checks one answer per page against api/openapi.json, not the timed ones), "
             f"{args.calls} timed calls each after 3 discarded; client wall time (request "
             f"written to body read), the server's own mean time per call (its /metrics "
             f"duration sum), and the CPU per call of the server and the database's backends "
             f"(/proc, {args.calls} more calls with that server alone). "
             f"Target: median under {TARGET_MS:.0f} ms. Machine: 2 shared cores, PostgreSQL 15 "
             f"on the same host, load average {load_before:.1f} before the timed calls and "
             f"{load_after:.1f} after (other work on the machine). Deep cursor after {deep_ref}.",
             ""]
    if args.before:
        block += [f"`before`: {args.before}; `after`: {os.environ['RECOURS_BIN']}; both serve the "
                  "same database with the same secrets, their calls interleaved (alternating "
                  "which goes first).", "",
                  "| page | before: median ms | after: median ms | after: min–max ms "
                  "| server ms before → after | CPU ms/call before → after | target (after) |",
                  "|---|---:|---:|---:|---:|---:|---|"]
        for label, m in rows:
            b, a = m["before"], m["after"]
            block.append(f"| {label} | {b[0]:.1f} | {a[0]:.1f} | {a[1]:.1f}–{a[2]:.1f} | "
                         f"{b[3]:.1f} → {a[3]:.1f} | {b[4]:.1f} → {a[4]:.1f} | "
                         f"{'met' if a[0] < TARGET_MS else 'MISSED'} |")
    else:
        block += ["| page | median ms | min ms | max ms | server ms | CPU ms/call | target |",
                  "|---|---:|---:|---:|---:|---:|---|"]
        for label, m in rows:
            a = m["after"]
            block.append(f"| {label} | {a[0]:.1f} | {a[1]:.1f} | {a[2]:.1f} | {a[3]:.1f} | "
                         f"{a[4]:.1f} | {'met' if a[0] < TARGET_MS else 'MISSED'} |")
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
