#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""Reads from a streaming replica (--database-read-url; docs/api.md, "Reads from a replica").

A private primary cluster and a real streaming standby made from it with `pg_basebackup -R`,
on another port. The server writes to the primary and reads summaries, member lists and
export pages from the standby:
  - with the standby caught up, an incident's summary, an action's member list and export
    carry `Replica-Lag-Ms` and count every claim;
  - with the standby's replay paused, the summary is behind (one claim less) and says so
    (`Replica-Lag-Ms` > 0), while the claimant's own read of the claim just written, the
    Idempotency-Key replay and a new submission (all on the primary) are current;
  - replay resumed: the summary catches up;
  - the standby stopped: every such read falls back to the primary (200, current, no
    header); the standby back: the reads go to it again.
"""

import os
import shutil
import tempfile
import unittest

import assoc_fixtures as af
import claims_fixtures as cf
import harness
from harness import Client, PrivateCluster, Server

WAIT_S = 30.0


class StreamingStandby(PrivateCluster):
    """A hot standby of primary, copied with pg_basebackup -R (primary_conninfo written)."""

    def __init__(self, primary):
        super().__init__({"hot_standby": "on"})
        self.primary = primary

    def create(self):
        self._tmp = tempfile.mkdtemp(prefix="recours-pg-standby-")
        harness._registry.append(self)
        if os.geteuid() == 0:
            import pwd
            pw = pwd.getpwnam("postgres")
            os.chown(self._tmp, pw.pw_uid, pw.pw_gid)
        self._run([os.path.join(harness.PG_BIN, "pg_basebackup"), "-D", self.data_dir, "-R",
                   "-X", "stream", "--no-sync", "-d",
                   f"host=127.0.0.1 port={self.primary.port} user=postgres"])


def claims_in(summary):
    return sum(summary["claims_by_status"].values())


class ReadReplicaTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if shutil.which("pg_basebackup") is None and not os.path.exists(
                os.path.join(harness.PG_BIN, "pg_basebackup")):
            raise unittest.SkipTest("pg_basebackup is not installed")
        cls.primary = PrivateCluster({"fsync": "off", "wal_level": "replica"})
        cls.primary.__enter__()
        cls.standby = StreamingStandby(cls.primary)
        try:
            cls.standby.__enter__()
        except BaseException:
            cls.primary.close()
            raise
        cls.server = Server(args=cf.NO_RATE_LIMIT + [
            "--database-read-url", cls.standby.url, "--db-connect-timeout", "1"],
            database_url=cls.primary.url)
        try:
            cls.server.start()
        except BaseException:
            cls.standby.close()
            cls.primary.close()
            raise

    @classmethod
    def tearDownClass(cls):
        cls.server.close()
        cls.standby.close()
        cls.primary.close()

    def summary(self, slug):
        r = cf.operator_request(self.server, "GET", f"/v1/incidents/{slug}/compensation")
        self.assertEqual(r.status, 200, repr(r))
        lag = r.headers.get("Replica-Lag-Ms")
        return claims_in(r.json()), (int(lag) if lag is not None else None)

    def standby_has(self, slug, n):
        """Polls until the summary read from the standby counts n claims; returns its lag."""
        seen = {}

        def caught_up():
            count, lag = self.summary(slug)
            seen["last"] = (count, lag)
            return lag is not None and count == n
        harness.poll(caught_up, WAIT_S, interval=0.05, what=f"the standby to show {n} claims")
        return seen["last"][1]

    def test_reads_from_the_standby_say_how_old_and_fall_back(self):
        s = self.server
        slug = cf.make_incident(s)
        assoc = af.approved_association(s)
        action = af.open_action(assoc, slug)
        for _ in range(3):
            af.mandated_claim(s, slug, action)

        # caught up: reads from the standby, every claim there
        self.assertGreaterEqual(self.standby_has(slug, 3), 0)
        r = assoc.request("GET", f"/v1/actions/{action['id']}/members")
        self.assertEqual(r.status, 200, repr(r))
        self.assertIn("Replica-Lag-Ms", r.headers)
        self.assertEqual(len(r.json()["data"]), 3)
        r = assoc.request("GET", f"/v1/actions/{action['id']}/export?format=ndjson")
        self.assertEqual(r.status, 200, repr(r))
        self.assertIn("Replica-Lag-Ms", r.headers)
        self.assertEqual(len(r.body.decode().splitlines()), 3)

        # replay paused: the summary is behind and says by how much; own reads are current
        self.standby.psql("SELECT pg_wal_replay_pause()")
        harness.poll(lambda: self.standby.psql("SELECT pg_get_wal_replay_pause_state()")
                     == [["paused"]], WAIT_S, interval=0.05, what="replay paused")
        with Client(s) as c:
            body = cf.claim_body()
            receipt = cf.submit_ok(self, c, slug, body, idem_key="replica-" + cf.suffix(8))
            r = cf.claim_request(c, "GET", receipt["reference"], receipt["token"])
            self.assertEqual(r.status, 200, "the claimant's own read must see its write")
        harness.poll(lambda: (self.summary(slug)[1] or 0) > 0, WAIT_S, interval=0.05,
                     what="a lag reported while replay is paused")
        count, lag = self.summary(slug)
        self.assertEqual(count, 3, "replay is paused: the standby cannot have the 4th claim")
        self.assertGreater(lag, 0)

        # replay resumed: caught up
        self.standby.psql("SELECT pg_wal_replay_resume()")
        self.standby_has(slug, 4)

        # standby down: the primary answers, current, without the header
        self.standby.stop(mode="immediate")
        af.plain_claim(s, slug)
        count, lag = self.summary(slug)
        self.assertIsNone(lag, "the primary answered: no lag header")
        self.assertEqual(count, 5)
        r = assoc.request("GET", f"/v1/actions/{action['id']}/members")
        self.assertEqual(r.status, 200, repr(r))
        self.assertNotIn("Replica-Lag-Ms", r.headers)
        r = assoc.request("GET", f"/v1/actions/{action['id']}/export?format=ndjson")
        self.assertEqual(r.status, 200, repr(r))
        self.assertEqual(len(r.body.decode().splitlines()), 3)

        # standby back: reads go to it again
        self.standby.start()
        self.standby_has(slug, 5)


if __name__ == "__main__":
    harness.main()
