-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Stopping a notice's send in progress (docs/workspace.md "Notices", "Stopping a send"): at the
-- configured mail rate a notice to a large action takes hours to go out, and an association
-- that finds a mistake in it must be able to stop the rest. POST …/notices/{notice}/cancel
-- turns every message of the notice still queued into a cancelled one, in one statement that
-- also records on the notice who stopped it, when, and how many messages it stopped
-- (cancelled_count, moved like sent_count and failed_count in the statement that moves the
-- rows: db/notices.c, db/outbox.c).
--
-- A cancelled row leaves the outbox's partial indexes of due messages (outbox_due_first,
-- outbox_due_notices: WHERE state = 'queued'), so the mail threads' takes, which read
-- `state = 'queued'`, never see it again; the stop finds the notice's queued rows through
-- outbox_due_notices. No index is added. A message a mail
-- thread had already taken (leased) when the notice was stopped may still be handed to the
-- relay: the statement that marks it sent moves it from cancelled_count to sent_count, so
-- recipients = sent + failed + cancelled whatever the order.

ALTER TABLE outbox
    DROP CONSTRAINT outbox_state_known,
    ADD CONSTRAINT outbox_state_known CHECK (state IN ('queued', 'sent', 'failed', 'cancelled')),
    ADD CONSTRAINT outbox_cancelled_notice CHECK (state <> 'cancelled' OR notice_id IS NOT NULL);

ALTER TABLE notices
    ADD COLUMN cancelled_by text,
    ADD COLUMN cancelled_at timestamptz,
    ADD COLUMN cancelled_count bigint NOT NULL DEFAULT 0,
    -- stopped once, and only a notice that was sent
    ADD CONSTRAINT notices_cancelled_whole CHECK (
        (cancelled_at IS NULL) = (cancelled_by IS NULL)
        AND (cancelled_at IS NULL OR sent_at IS NOT NULL)
        AND (cancelled_at IS NOT NULL OR cancelled_count = 0)),
    DROP CONSTRAINT notices_progress,
    ADD CONSTRAINT notices_progress CHECK (sent_count >= 0 AND failed_count >= 0
        AND cancelled_count >= 0
        AND sent_count + failed_count + cancelled_count <= coalesce(recipients, 0));

COMMENT ON COLUMN notices.cancelled_count IS
    'messages of the notice stopped before they were sent; one a mail thread held when the send was stopped and then sent moves to sent_count';
COMMENT ON COLUMN notices.sent_count IS
    'messages of the notice the relay accepted; queued = recipients - sent_count - failed_count - cancelled_count';

-- Deleting a draft (DELETE …/notices/{notice}) fires 0021's statement trigger, whose check
-- joins the outbox on notice_id, which no index leads with: a scan of the whole outbox (33.7
-- million confirmations and more at the scale recours is built for) to delete one draft. A
-- notice's messages are queued only by its send, in the transaction that sets its sent_at
-- (service/notices.c, the notice locked), so a notice never sent has none: the outbox is read
-- only when a deleted notice was sent, and a draft's delete reads nothing of it.
CREATE OR REPLACE FUNCTION outbox_keep_notices() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM gone WHERE sent_at IS NOT NULL) THEN
        IF EXISTS (SELECT 1 FROM outbox o JOIN gone g ON o.notice_id = g.id) THEN
            RAISE EXCEPTION 'a notice with messages in the outbox cannot be deleted'
                USING ERRCODE = 'foreign_key_violation';
        END IF;
    END IF;
    RETURN NULL;
END
$$;
