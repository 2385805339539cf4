-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Issue 15: an export whose node dies mid-stream (killed, out of memory, power lost) never
-- reached its end, so its record said `streaming` for ever. A streaming export now holds a
-- lease: claimed_until, set when it starts and moved forward while it streams (at least every
-- 10 s while the client reads, with the rows and bytes sent so far; api/service/exports.h).
-- A streaming record whose lease has run out is read as `interrupted` (db/exports.c), and
-- nothing can end or extend it any more: its end, if its node still tried, is refused, so the
-- reading never changes again. Its rows and bytes are those of the last beat; it has no
-- digest and no audit event (the node that knew them is gone).

ALTER TABLE exports ADD COLUMN claimed_until timestamptz NOT NULL DEFAULT now();

COMMENT ON COLUMN exports.claimed_until IS
    'While streaming: the node writing it renews this lease as it sends; past it, the export is read as interrupted';
