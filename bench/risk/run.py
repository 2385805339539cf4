#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""bench/risk/run.py: the intake's risk statement (db_risk_insert_batch, api/db/risk.c) per
claim, before and after a change, on tables of 1k, 10k and 100k claims of one network or one
address, with the planner's custom and generic plans (bench/RESULTS.md "Risk statement's
plan (issue 15, risk18)").

    bench/risk/run.py [--before REV] [--sizes 1000,10000,100000] [--reps 5] [--batch 25]

For each variant (before: REV's api/ and db-migrations/, default main; after: this tree) a
fresh database on $DATABASE_URL's server (default var/secrets/database-url), migrated with
`recours migrate` (RECOURS_BIN, default build/recours) and that variant's migrations;
claim_risk's foreign key to claims dropped so that rows can be written without claims (its
check is the same in both variants and not what is measured). Then, per size N and shape:
  network: N claims of incident 1 from one network over the last 50 minutes, each at its own
           address (the bench's warm-up incident), ANALYZE (statistics of a young table: one
           incident, one network), then 1,000 claims of incident 2 from the same network (the
           round under way, past the threshold);
  address: N claims of incident 1 at one address, each from its own network (a bot run),
           ANALYZE, then 1,000 claims of incident 2 at their own addresses;
  rare:    100,000 claims of 200 incidents from 50 networks, ANALYZE (statistics of a
           mature table, not vacuumed: the network about to flood is unknown to them), then N
           claims of incident 2 from one new network over the last 50 minutes;
and per plan mode (plan_cache_mode force_custom_plan, force_generic_plan) a PREPARE of the
statement's own text (tests/integration/prepared_sql.py) and `reps` runs of EXPLAIN (ANALYZE,
BUFFERS) EXECUTE of one batch of `batch` claims of incident 2 (same network, or new addresses), each
rolled back: the plan of each count, the entries it read per claim, and the execution time per
claim (median of the runs). Prints a Markdown table; writes nothing else."""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))
import prepared_sql  # noqa: E402

INCIDENT2_CLAIMS = 1000
FILL = {
    "network": """
INSERT INTO claim_risk (claim_id, incident_id, created_at, net_kind, net_mac, addr_mac)
SELECT i, 1, now() - interval '50 minutes' + i * (interval '40 minutes' / {n}), 'ipv4/24',
       sha256('net'::bytea), sha256(('a' || i)::bytea) FROM generate_series(1, {n}) i;
ANALYZE claim_risk;
INSERT INTO claim_risk (claim_id, incident_id, created_at, net_kind, net_mac, addr_mac)
SELECT {n} + i, 2, now() - interval '5 minutes' + i * interval '100 ms', 'ipv4/24',
       sha256('net'::bytea), sha256(('b' || i)::bytea) FROM generate_series(1, {m}) i;""",
    "address": """
INSERT INTO claim_risk (claim_id, incident_id, created_at, net_kind, net_mac, addr_mac)
SELECT i, 1, now() - interval '50 minutes' + i * (interval '40 minutes' / {n}), 'ipv4/24',
       sha256(('n' || i)::bytea), sha256('addr'::bytea) FROM generate_series(1, {n}) i;
ANALYZE claim_risk;
INSERT INTO claim_risk (claim_id, incident_id, created_at, net_kind, net_mac, addr_mac)
SELECT {n} + i, 2, now() - interval '5 minutes' + i * interval '100 ms', 'ipv4/24',
       sha256(('m' || i)::bytea), sha256(('b' || i)::bytea) FROM generate_series(1, {m}) i;""",
    "rare": """
INSERT INTO claim_risk (claim_id, incident_id, created_at, net_kind, net_mac, addr_mac)
SELECT 20000000 + i, 100 + i % 200, now() - interval '50 minutes' + i * interval '25 ms',
       'ipv4/24', sha256(('n' || (i / 200) % 50)::bytea), sha256(('a' || i)::bytea)
FROM generate_series(1, 100000) i;
ANALYZE claim_risk;
INSERT INTO claim_risk (claim_id, incident_id, created_at, net_kind, net_mac, addr_mac)
SELECT i, 2, now() - interval '50 minutes' + i * (interval '40 minutes' / {n}), 'ipv4/24',
       sha256('net'::bytea), sha256(('b' || i)::bytea) FROM generate_series(1, {n}) i;""",
}
# one batch of incident 2: the same network as its claims, or each from a network of its own;
# each at a new address
BATCH = """
SELECT array_agg(10000000 + i) AS ids, array_fill(2::bigint, ARRAY[{b}]) AS incs,
       array_fill(now(), ARRAY[{b}]) AS ts, array_fill('ipv4/24'::text, ARRAY[{b}]) AS kinds,
       array_agg(sha256(CASE WHEN '{shape}' <> 'address' THEN 'net'::bytea
                             ELSE ('z' || i)::bytea END)) AS nets,
       array_agg(sha256(('c' || i)::bytea)) AS addrs, array_fill(false, ARRAY[{b}]) AS disp
FROM generate_series(1, {b}) i \\gset
"""
RUN = """BEGIN;
EXPLAIN (ANALYZE, BUFFERS, TIMING OFF, SUMMARY ON)
EXECUTE risk_ins(:'ids', :'incs', :'ts', :'kinds', :'nets', :'addrs', :'disp', 20, 20);
ROLLBACK;
"""


def psql(url, sql, vars_=()):
    cmd = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url]
    for k, v in vars_:
        cmd += ["-v", f"{k}={v}"]
    run = subprocess.run(cmd, input=sql, capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"psql failed: {run.stderr.strip()}")
    return run.stdout


def with_database(url, name):
    return re.sub(r"@/[^?]*\?", f"@/{name}?", url, count=1) if "@/" in url else \
        re.sub(r"/[^/?]*(\?|$)", f"/{name}\\1", url, count=1)


def variant_tree(rev, tmp):
    """A directory with api/ and db-migrations/ of rev (None: this tree)."""
    if rev is None:
        return ROOT
    d = os.path.join(tmp, rev.replace("/", "_"))
    os.makedirs(d)
    archive = subprocess.run(["git", "-C", ROOT, "archive", rev, "api", "db-migrations"],
                             capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", d], input=archive, check=True)
    return d


def count_scans(plan, batch):
    """The scan node of each count (network, then address) and the rows it read per claim of
    the batch (per loop × loops ÷ batch: the network count walks once per network of the batch
    since 2026-12-06, once per claim before)."""
    out = []
    lines = plan.splitlines()
    for i, line in enumerate(lines):
        m = re.search(r"(Index Only Scan|Index Scan|Seq Scan|Bitmap Heap Scan)"
                      r"(?: Backward)?(?: using (\S+))? on claim_risk o(?:_1)?\b.*actual rows=(\d+)"
                      r" loops=(\d+)", line)
        if not m:
            continue
        removed = 0
        for nxt in lines[i + 1:i + 8]:
            r = re.search(r"Rows Removed by Filter: (\d+)", nxt)
            if r:
                removed = int(r.group(1))
                break
        per_claim = (int(m.group(3)) + removed) * int(m.group(4)) / batch
        out.append((m.group(2) or m.group(1), f"{per_claim:g}"))
    return out


def measure(url, sql_text, shape, n, mode, reps, batch):
    psql(url, "TRUNCATE claim_risk;" + FILL[shape].format(n=n, m=INCIDENT2_CLAIMS))
    script = (f"SET plan_cache_mode = {mode};\n" + BATCH.format(b=batch, shape=shape)
              + "PREPARE risk_ins(bigint[], bigint[], timestamptz[], text[], bytea[], bytea[],"
              " boolean[], int, int) AS " + sql_text + ";\n" + RUN * (reps + 1))
    out = psql(url, script)
    plans = out.split("QUERY PLAN")[2:]  # the first run warms the caches, not counted
    times = [float(re.search(r"Execution Time: ([\d.]+) ms", p).group(1)) for p in plans]
    scans = count_scans(plans[-1], batch)
    return scans, statistics.median(times) * 1000.0 / batch


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--before", default="main")
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--batch", type=int, default=25)
    args = ap.parse_args()
    url = os.environ.get("DATABASE_URL")
    if not url:
        with open(os.path.join(ROOT, "var/secrets/database-url")) as f:
            url = f.read().strip()
    rbin = os.environ.get("RECOURS_BIN", os.path.join(ROOT, "build/recours"))
    head = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"],
                          capture_output=True, text=True).stdout.strip()
    before = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", args.before],
                            capture_output=True, text=True).stdout.strip()
    tmp = tempfile.mkdtemp(prefix="bench-risk-")
    dirty = subprocess.run(["git", "-C", ROOT, "diff", "--quiet", "HEAD"]).returncode != 0
    print(f"before = {args.before} ({before}), after = this tree (HEAD {head}"
          f"{', with changes' if dirty else ''}); batch of {args.batch} claims, median of"
          f" {args.reps} runs\n")
    print("| variant | shape | claims of incident 1 | plan | network count: scan, entries"
          " read per claim | address count: scan, entries read per claim | µs per claim |")
    print("|---|---|---:|---|---|---|---:|")
    try:
        for label, rev in (("before", args.before), ("after", None)):
            tree = variant_tree(rev, tmp)
            sql_text = prepared_sql.statements(tree)["db_risk_insert_batch"]
            name = f"bench_risk_{label}_{os.getpid()}"
            psql(url, f"DROP DATABASE IF EXISTS {name}; CREATE DATABASE {name};")
            db = with_database(url, name)
            subprocess.run([rbin, "migrate", "--migrations-dir",
                            os.path.join(tree, "db-migrations")],
                           env=dict(os.environ, DATABASE_URL=db), check=True,
                           capture_output=True)
            psql(db, "ALTER TABLE claim_risk DROP CONSTRAINT claim_risk_claim_fkey;")
            try:
                for shape in ("network", "address", "rare"):
                    for n in (int(x) for x in args.sizes.split(",")):
                        for mode in ("force_custom_plan", "force_generic_plan"):
                            scans, us = measure(db, sql_text, shape, n, mode, args.reps,
                                                args.batch)
                            cells = [f"{s}, {r}" for s, r in scans] + ["–"] * (2 - len(scans))
                            print(f"| {label} | {shape} | {n:,} | {mode.split('_')[1]} | "
                                  f"{cells[0]} | {cells[1]} | {us:,.1f} |", flush=True)
            finally:
                psql(url, f"DROP DATABASE IF EXISTS {name};")
    finally:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
