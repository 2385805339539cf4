#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""bench/notices/run.py: a notice to 100,000 members queued, then delivered to a local SMTP
server (issue 13: "queued in under 10 s and delivered to a local SMTP server (python3-aiosmtpd)
at no less than 500 messages/s, with the server's memory during the run").

    RECOURS_BIN=build/recours RECOURS_SOURCE_DIR=. DATABASE_URL=… bench/notices/run.py \
        [--members N] [--mail-rate R] [--relay-processes N] [--keep] [--no-results]

(bench/notices/run.sh sets the environment from the private cluster.)

1. a fresh database bench_notices_<random> on DATABASE_URL's server, migrated; an aiosmtpd
   relay on 127.0.0.1 (--relay-processes processes accepting on one socket, 4 by default: one
   per connection of the server's 4 mail senders) that counts what it receives (recipients,
   languages) and keeps nothing else; `recours serve` on the database with --smtp-url at that relay and
   --mail-rate R (0: no limit, the default here) through tests/integration/harness.py;
2. an incident, an approved association and its action made through the API;
3. N members loaded with SQL (COPY of rows made here: a reference each, the claimant's address
   sealed as the server seals it, AES-256-GCM under the server's data key with the reference as
   associated data, one member in five writing English), then VACUUM ANALYZE;
4. a notice written through the API, a dry run, then the send confirmed with the count: the
   send's wall time is the queueing (one INSERT … SELECT of N outbox rows in the request);
5. delivery timed from the send's answer to the relay's N-th message (and the notice's progress
   read back from the API: N sent, none queued); the server's resident memory (VmRSS) sampled
   every 0.2 s from before the send to the end;
6. checks: every member got exactly one message, each in its language;
7. the Markdown block to stdout and into bench/RESULTS.md, section "Notices: 100,000 members"
   (replaced on each run); the database dropped.
"""

import argparse
import asyncio
import csv
import io
import multiprocessing
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))

try:
    import aiosmtpd  # noqa: F401
except ImportError:
    sys.path.append("/usr/lib/python3/dist-packages")
from aiosmtpd.smtp import SMTP  # noqa: E402
from cryptography.hazmat.primitives.ciphers.aead import AESGCM  # noqa: E402

import assoc_fixtures as af  # noqa: E402
import claims_fixtures as cf  # noqa: E402
import harness  # noqa: E402
import notice_fixtures as nf  # noqa: E402

SECTION = "## Notices: 100,000 members (workspace issue)"
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
QUEUE_TARGET_S = 10.0
RATE_TARGET = 500.0


def psql(sql, url, stdin=None):
    """psql without the test harness's 120 s bound; COPY data on stdin when given."""
    run = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", url,
                          "-c", sql], input=stdin, capture_output=True, text=True, timeout=3600)
    if run.returncode != 0:
        raise SystemExit(f"psql failed: {run.stderr.strip()}")
    return [line.split("|") for line in run.stdout.splitlines() if line]


EN_MARK = b"\r\nContent-Language: en\r\n"


class Counter:
    """The handler of one relay process: counts messages per recipient and per language, and
    the time of the first and the last (the bench's database sends nothing else: its members
    were loaded with SQL, without confirmations). The running count and the times are shared
    values (one writer each, no lock: a process runs one event loop); the per-recipient counts
    go to the bench at the end."""

    def __init__(self, n, first, last):
        self.per_rcpt = {}
        self.langs = {"fr": 0, "en": 0}
        self.n, self.first, self.last = n, first, last

    async def handle_DATA(self, server, session, envelope):
        now = time.monotonic()
        for r in envelope.rcpt_tos:
            self.per_rcpt[r] = self.per_rcpt.get(r, 0) + 1
        self.langs["en" if EN_MARK in envelope.content else "fr"] += 1
        self.n.value += 1
        if self.first.value == 0.0:
            self.first.value = now
        self.last.value = now
        return "250 2.0.0 OK"


def relay_process(sock, n, first, last, conn):
    """One aiosmtpd server on the shared listening socket until the bench says stop; then its
    counts back through conn."""
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    counter = Counter(n, first, last)
    server = loop.run_until_complete(loop.create_server(
        lambda: SMTP(counter, hostname="relay.bench.example"), sock=sock))
    loop.add_reader(conn.fileno(), loop.stop)
    loop.run_forever()
    conn.recv()
    server.close()
    conn.send((counter.per_rcpt, counter.langs))
    conn.close()


class Relay:
    """The local SMTP server: `processes` aiosmtpd processes accepting on one socket, as a mail
    server runs one smtpd per connection (the server opens one per mail sender): a single
    Python process would be the bench's bottleneck on a shared machine (one thread's share of
    the CPU against the server's senders and their backends)."""

    def __init__(self, processes):
        ctx = multiprocessing.get_context("fork")  # before the server and any thread start
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(128)
        self.sock.setblocking(False)
        self.port = self.sock.getsockname()[1]
        self.slots = [(ctx.Value("q", 0, lock=False), ctx.Value("d", 0.0, lock=False),
                       ctx.Value("d", 0.0, lock=False)) for _ in range(processes)]
        self.procs, self.pipes = [], []
        for slot in self.slots:
            mine, theirs = ctx.Pipe()
            proc = ctx.Process(target=relay_process, args=(self.sock, *slot, theirs),
                               daemon=True)
            proc.start()
            self.procs.append(proc)
            self.pipes.append(mine)
        self.per_rcpt = {}
        self.langs = {"fr": 0, "en": 0}

    def n(self):
        return sum(s[0].value for s in self.slots)

    def first(self):
        return min(s[1].value for s in self.slots if s[0].value > 0)

    def last(self):
        return max(s[2].value for s in self.slots)

    def cpu_s(self):
        return sum(cpu_s(p.pid) for p in self.procs)

    def stop(self):
        for pipe in self.pipes:
            pipe.send("stop")
        for pipe, proc in zip(self.pipes, self.procs):
            if pipe.poll(30):
                per_rcpt, langs = pipe.recv()
                for r, k in per_rcpt.items():
                    self.per_rcpt[r] = self.per_rcpt.get(r, 0) + k
                for lang, k in langs.items():
                    self.langs[lang] += k
            proc.join(10)
            if proc.is_alive():
                proc.kill()
        self.sock.close()


def reference(g):
    s = "".join(CROCKFORD[(g >> (5 * (7 - i))) & 31] for i in range(8))
    return f"RC-{s[:4]}-{s[4:]}"


def data_key(server):
    """(id, key) of the server's current data key: the last line of its data-keys file."""
    with open(os.path.join(server.secrets_dir, "data-keys"), encoding="ascii") as f:
        lines = [line.split() for line in f.read().splitlines() if line.strip()]
    key_id, hexkey = lines[-1][:2]
    return int(key_id), bytes.fromhex(hexkey)


def load_members(url, server, slug, assoc, action, n):
    """n members of action whose address opens as the server opens it; one in five English."""
    key_id, key = data_key(server)
    box = AESGCM(key)
    out = io.StringIO()
    w = csv.writer(out)
    for g in range(1, n + 1):
        ref = reference(g)
        plain = ('{"claimant":{"email":"m%d@bench.example"}}' % g).encode()
        nonce = os.urandom(12)
        sealed = nonce + box.encrypt(nonce, plain, ref.encode())
        w.writerow([g, ref, "\\x" + sealed.hex(), "en" if g % 5 == 0 else "fr"])
    psql("CREATE TABLE bench_rows (g bigint, reference text, pii bytea, lang text)", url)
    psql("COPY bench_rows FROM STDIN WITH (FORMAT csv)", url, stdin=out.getvalue())
    key = "sha256(convert_to('{}' || g::text, 'UTF8'))"
    psql(f"""
        INSERT INTO claims (incident_id, reference, token_hash, email_key, data_key_id, pii,
                            country, categories, payment_preference, status,
                            privacy_notice_version, created_at, updated_at, lang,
                            mandate_action_id, mandate_association_id, mandate_text_version,
                            mandated_at, mandate_channel, member_action_id, member_added_at)
        SELECT (SELECT id FROM incidents WHERE slug = {cf.sql_literal(slug)}),
               reference, {key.format('t')}, {key.format('e')}, {key_id}, pii,
               (ARRAY['FR','DE','ES','IT','BE','NL','PT','PL'])[1 + g % 8], 1 + (g % 4095),
               CASE WHEN g % 3 = 0 THEN 'cash' ELSE 'voucher' END, 'received',
               {cf.sql_literal(cf.NOTICE_VERSION)}, now(), now(), lang,
               {cf.sql_literal(action['id'])}::uuid, {cf.sql_literal(assoc.id)}::uuid,
               {cf.sql_literal(action['mandate_text_version'])},
               now() - make_interval(secs => (g * 7919 % 7776000)), 'web-form',
               {cf.sql_literal(action['id'])}::uuid, now()
        FROM bench_rows""", url)
    psql("DROP TABLE bench_rows", url)
    psql("VACUUM ANALYZE claims", url)


def cpu_s(pid):
    """User + system CPU seconds of process pid so far."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def backends_cpu_s(url):
    """CPU seconds of the PostgreSQL backends of the bench's database (their /proc entries)."""
    pids = [int(r[0]) for r in psql("SELECT pid FROM pg_stat_activity WHERE datname ="
                                    " current_database() AND pid <> pg_backend_pid()", url)]
    total = 0.0
    for pid in pids:
        try:
            total += cpu_s(pid)
        except OSError:
            pass
    return total


def rss_kib(pid):
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


class RssSampler(threading.Thread):
    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid = pid
        self.samples = []
        self.stop = threading.Event()

    def run(self):
        while not self.stop.is_set():
            v = rss_kib(self.pid)
            if v is not None:
                self.samples.append(v)
            self.stop.wait(0.2)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--members", type=int, default=100_000)
    ap.add_argument("--mail-rate", type=int, default=0)
    ap.add_argument("--no-results", action="store_true")
    ap.add_argument("--relay-processes", type=int, default=4,
                    help="aiosmtpd processes on the relay's socket (the server's --mail-senders "
                         "is 4: one each)")
    ap.add_argument("--keep", action="store_true",
                    help="keep the database (its name on stderr), e.g. for EXPLAIN ANALYZE")
    args = ap.parse_args()
    n = args.members

    name = "bench_notices_" + cf.suffix(8)
    cf.psql(f"CREATE DATABASE {name}")
    parts = urllib.parse.urlsplit(cf.database_url())
    url = urllib.parse.urlunsplit(parts._replace(path="/" + name))
    marker = "bench-" + cf.letters(10)
    relay = Relay(args.relay_processes)
    port = relay.port
    server = None
    sampler = None
    try:
        server = cf.start_server(database_url=url, workers=4,
                                 args=["--smtp-url", f"smtp://127.0.0.1:{port}",
                                       "--mail-rate", str(args.mail_rate),
                                       "--public-url", "https://recours.example"])
        client = harness.Client(server, check_openapi=False)
        slug = cf.make_incident(server)
        assoc = af.approved_association(server, client=client)
        action = af.open_action(assoc, slug, client=client)
        t0 = time.monotonic()
        load_members(url, server, slug, assoc, action, n)
        load_s = time.monotonic() - t0
        print(f"==> {n} members loaded in {load_s:.0f} s", file=sys.stderr)
        client.close()  # idle longer than the server's --connection-timeout during the load
        # the send answers once N rows are queued: more than the harness's 30 s on a busy host
        client = harness.Client(server, check_openapi=False, timeout=600)
        base = f"/v1/actions/{action['id']}/notices"
        r = assoc.request("POST", base, nf.draft_body(tag=" " + marker), client=client)
        if r.status != 201:
            raise SystemExit(f"could not write the notice: {r!r}")
        notice = r.json()
        send = f"{base}/{notice['id']}/send"
        t0 = time.monotonic()
        r = assoc.request("POST", send, {"dry_run": True}, client=client)
        count_s = time.monotonic() - t0
        if r.status != 200 or r.json()["recipients"] != n:
            raise SystemExit(f"dry run: {r!r}")
        sampler = RssSampler(server.pid)
        sampler.start()
        time.sleep(0.5)
        rss_before = rss_kib(server.pid)
        load_before = os.getloadavg()[0]
        cpu0 = (cpu_s(server.pid), backends_cpu_s(url), relay.cpu_s())
        t0 = time.monotonic()
        r = assoc.request("POST", send, {"expected_count": n}, client=client)
        queued_at = time.monotonic()
        queue_s = queued_at - t0
        if r.status != 202:
            raise SystemExit(f"send: {r!r}")
        print(f"==> queued in {queue_s:.2f} s", file=sys.stderr)
        harness.poll(lambda: relay.n() >= n, 3600, interval=0.5, what="every message at the relay")
        delivered_at = relay.last()
        relay_s = relay.last() - relay.first()
        load_after = os.getloadavg()[0]
        cpu1 = (cpu_s(server.pid), backends_cpu_s(url), relay.cpu_s())
        progress = harness.poll(
            lambda: (lambda p: p if p["sent"] == n and p["queued"] == 0 else None)(
                assoc.request("GET", f"{base}/{notice['id']}", client=client).json()["progress"]),
            120, interval=0.5, what="the notice's progress")
        sampler.stop.set()
        sampler.join()
        client.close()
    finally:
        if sampler is not None:
            sampler.stop.set()
        if server is not None:
            server.close(check=False)
        relay.stop()
        if args.keep:
            print(f"==> kept database {name}", file=sys.stderr)
        else:
            cf.drop_database(name)
    once = all(v == 1 for v in relay.per_rcpt.values()) and len(relay.per_rcpt) == n
    langs_ok = relay.langs["en"] == n // 5 and relay.langs["fr"] == n - n // 5
    deliver_s = delivered_at - queued_at
    rate = n / deliver_s
    peak = max(sampler.samples) if sampler.samples else 0
    block = [SECTION, "",
             f"`bench/notices/run.sh` — a notice to {n:,} members of one action (loaded with "
             f"SQL in {load_s:.0f} s, addresses sealed as the server seals them), sent through "
             f"the API, delivered by one `recours serve` (--mail-rate {args.mail_rate}, "
             f"0: no limit) to an aiosmtpd relay on 127.0.0.1 that only counts "
             f"({args.relay_processes} processes on one socket). Machine: 2 "
             f"shared cores, PostgreSQL 15 on the same host, load average {load_before:.1f} "
             f"before the send and {load_after:.1f} after delivery (other work on the machine: "
             f"the wall-clock figures are this host's share of two cores, the CPU figures are "
             f"the work itself).",
             "",
             "| figure | value | target |", "|---|---:|---|",
             f"| dry run (count of the recipients) | {count_s * 1000:.0f} ms | |",
             f"| queued: the send request (one INSERT … SELECT of {n:,} outbox rows) | "
             f"{queue_s:.2f} s | < {QUEUE_TARGET_S:.0f} s: "
             f"{'met' if queue_s < QUEUE_TARGET_S else 'MISSED'} |",
             f"| delivered: from the send's answer to the relay's last message | "
             f"{deliver_s:.1f} s = {rate:.0f} msg/s | ≥ {RATE_TARGET:.0f} msg/s: "
             f"{'met' if rate >= RATE_TARGET else 'MISSED'} |",
             f"| relay's first to last message | {relay_s:.1f} s = "
             f"{(n - 1) / relay_s if relay_s > 0 else 0:.0f} msg/s | |",
             f"| CPU per message: server / its PostgreSQL backends / relay (its processes) | "
             + " / ".join(f"{(b - a) * 1e6 / n:.0f} µs" for a, b in zip(cpu0, cpu1)) + " | |",
             f"| delivery capacity by CPU: 1 / (server + PostgreSQL CPU per message), one core "
             f"each | {n / ((cpu1[0] - cpu0[0]) + (cpu1[1] - cpu0[1])):.0f} msg/s | |",
             f"| server RSS before the send / peak during queue and delivery | "
             f"{(rss_before or 0) / 1024:.1f} MiB / {peak / 1024:.1f} MiB | |",
             f"| each member once, in its language ({relay.langs['fr']:,} fr, "
             f"{relay.langs['en']:,} en) | {'yes' if once and langs_ok else 'NO'} | |",
             f"| the notice's progress read back | sent {progress['sent']:,}, queued "
             f"{progress['queued']}, failed {progress['failed']} | |"]
    text = "\n".join(block) + "\n"
    print(text)
    if not (once and langs_ok):
        raise SystemExit("delivery check failed: not once per member in its language")
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
