-- SPDX-License-Identifier: AGPL-3.0-or-later
-- A notice's stop (POST …/notices/{notice}/cancel, db_notices_cancel in db/notices.c) finds the
-- notice's queued messages. Through outbox_due_notices (0023: every queued message of every
-- notice, in next_attempt_at order) it walked the queued rows of all notices and filtered them
-- on notice_id: stopping a notice of 10 members while another of 100,000 is going out read
-- 100,000 index entries and heap rows. This index reaches one notice's queued rows directly, in
-- the order of their ids, the order in which the stop locks them (ORDER BY id FOR UPDATE, the
-- order of db_outbox_mark_sent: docs/decisions.md "No deadlock with a mail thread").
--
-- Its write cost falls on notices' messages only: confirmations and every other message about
-- one claim have notice_id NULL and never enter it, so the intake pays nothing. A notice's row
-- gets an entry when its send queues it and one per lease of a mail thread (the lease moves
-- next_attempt_at, which outbox_due_notices indexes: that update was never HOT); a row that
-- is sent, failed or cancelled leaves the predicate, and its entries go at the next vacuum.
--
-- The stop's statement asks for a plan made for its notice (db_notices_cancel_timeout): a
-- generic plan sees every notice as an average one and may walk the others' rows anyway.
--
-- Built by a plain CREATE INDEX in the migration's transaction (a migration runs in one, as
-- 0014's and 0022's indexes: docs/decisions.md): writes to the outbox, the intake's
-- confirmations included, wait while it builds, which reads the whole outbox once (sent
-- messages included; the entries are few: the queued messages of notices).
CREATE INDEX outbox_notice_queued ON outbox (notice_id, id)
    WHERE notice_id IS NOT NULL AND state = 'queued';

COMMENT ON INDEX outbox_notice_queued IS
    'a notice''s queued messages, by id: the stop of a notice reads its own rows only (db_notices_cancel)';
