#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""bench/intake/wal_files.py: what a new WAL segment costs on this disk, made as PostgreSQL
makes it with wal_init_zero=on (16 MiB of zeros written, then fsync) and with
wal_init_zero=off (its last byte written, then fsync), and what each costs every commit
afterwards (8 kB written, then fdatasync, through the whole file, as WAL is written).

    bench/intake/wal_files.py [DIR] [--segments 3]

DIR (default var/pg, the private cluster's disk) receives the test files, removed at the end.
A claim's COMMIT waits for its WAL flush; while a segment is being made, every commit waits
for it (docs/decisions.md, "WAL segments and the intake's tail"). Prints one line per way."""
import argparse
import os
import time

SEGMENT = 16 * 1024 * 1024
PAGE = 8192


def one_way(path, zero_fill, segments):
    made, flushes = [], []
    for s in range(segments):
        name = f"{path}.{s}"
        t = time.perf_counter()
        fd = os.open(name, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            if zero_fill:
                zeros = bytes(1 << 20)
                for _ in range(SEGMENT // len(zeros)):
                    os.write(fd, zeros)
            else:
                os.pwrite(fd, b"\0", SEGMENT - 1)
            os.fsync(fd)
            made.append((time.perf_counter() - t) * 1000)
            page = b"x" * PAGE
            for off in range(0, SEGMENT, PAGE):
                os.pwrite(fd, page, off)
                t = time.perf_counter()
                os.fdatasync(fd)
                flushes.append((time.perf_counter() - t) * 1000)
        finally:
            os.close(fd)
            os.unlink(name)
    flushes.sort()
    n = len(flushes)
    return (f"{'zero-filled (wal_init_zero=on) ' if zero_fill else 'sparse (wal_init_zero=off)      '}"
            f"made in {', '.join(f'{m:.1f}' for m in made)} ms; then 8 kB + fdatasync:"
            f" p50 {flushes[n // 2]:.3f} ms, p99 {flushes[int(n * 0.99)]:.3f} ms,"
            f" max {flushes[-1]:.2f} ms ({n} flushes)")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir", nargs="?", default=os.path.join(here, "..", "..", "var", "pg"))
    ap.add_argument("--segments", type=int, default=3)
    args = ap.parse_args()
    path = os.path.join(args.dir, f"wal-files-bench-{os.getpid()}")
    print(f"in {os.path.realpath(args.dir)}, {args.segments} segments of 16 MiB each way:")
    for zero_fill in (True, False):
        print("  " + one_way(path, zero_fill, args.segments), flush=True)


if __name__ == "__main__":
    main()
