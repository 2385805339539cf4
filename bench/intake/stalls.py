#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""bench/intake/stalls.py: where the intake's slowest answers of one measured run come from.

    BENCH_KEEP=1 bench/intake/run.sh ...          (keeps /tmp/recours-bench-intake.XXXXXX)
    bench/intake/stalls.py /tmp/recours-bench-intake.XXXXXX/recours-w2.log [PG_WAL_DIR]

Reads the server's request log (one JSON line per request, with its completion time `ts` and
`duration_us`), keeps the claims of the last DURATION seconds (default 15, the measured run;
the warm-up before it is left out) and prints:
  - their count, p50 and p99 as the server timed them;
  - the longest gaps between two consecutive completions: moments when no claim at all was
    answered, i.e. every claim in flight waited on one thing;
  - with PG_WAL_DIR (the cluster's pg_wal, e.g. var/pg/data/pg_wal: needs root), beside each
    gap the WAL segment created within 60 ms of it (its birth time, statx), if any: a segment
    made while claims arrive is zero-filled with wal_init_zero=on (16 MiB), and every commit
    waits for it (docs/decisions.md, "WAL segments and the intake's tail").
Writes nothing."""
import argparse
import datetime
import glob
import json
import os
import subprocess


def completions(log, seconds):
    rows = []
    with open(log, encoding="utf-8") as f:
        for line in f:
            if '"duration_us"' not in line or "/claims" not in line:
                continue
            d = json.loads(line)
            if d.get("method") != "POST":
                continue
            t = datetime.datetime.strptime(d["ts"], "%Y-%m-%dT%H:%M:%S.%fZ")
            rows.append((t.replace(tzinfo=datetime.timezone.utc).timestamp(), d["duration_us"]))
    rows.sort()
    if not rows:
        raise SystemExit(f"{log}: no claims in the request log")
    start = rows[-1][0] - seconds
    return [r for r in rows if r[0] >= start]


def segment_births(wal_dir):
    """Birth times (epoch seconds) of the WAL segments in wal_dir (GNU stat's %W)."""
    files = [f for f in glob.glob(os.path.join(wal_dir, "0*")) if len(os.path.basename(f)) == 24]
    if not files:
        return []
    out = subprocess.run(["stat", "-c", "%W", *files], capture_output=True, text=True,
                         check=True).stdout.split()
    return [float(x) for x in out if float(x) > 0]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("log", help="the server's log of the measured run")
    ap.add_argument("wal_dir", nargs="?", help="the cluster's pg_wal directory")
    ap.add_argument("--seconds", type=float, default=15.0, help="the measured run's length")
    ap.add_argument("--gaps", type=int, default=12, help="how many of the longest gaps")
    args = ap.parse_args()

    rows = completions(args.log, args.seconds)
    durs = sorted(d for _, d in rows)
    print(f"claims: {len(rows)}, server-timed p50 {durs[len(durs) // 2] / 1000:.1f} ms,"
          f" p99 {durs[int(len(durs) * 0.99)] / 1000:.1f} ms")
    gaps = sorted(((rows[i + 1][0] - rows[i][0], rows[i][0]) for i in range(len(rows) - 1)),
                  reverse=True)[:args.gaps]
    births = segment_births(args.wal_dir) if args.wal_dir else []
    print("longest gaps between two answers (ms, from):")
    for gap, at in sorted(gaps, key=lambda g: g[1]):
        born = [b for b in births if at - 0.06 <= b <= at + gap + 0.06]
        when = datetime.datetime.fromtimestamp(at, datetime.timezone.utc).strftime("%H:%M:%S.%f")
        note = ""
        if born:
            b = datetime.datetime.fromtimestamp(born[0], datetime.timezone.utc)
            note = f"  WAL segment created {b.strftime('%H:%M:%S.%f')}"
        print(f"  {gap * 1000:6.1f}  {when}{note}")


if __name__ == "__main__":
    main()
