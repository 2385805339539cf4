-- SPDX-License-Identifier: AGPL-3.0-or-later
-- The running servers and the newest data key each has loaded (docs/decisions.md "Keys and
-- rotation"). `rotate-data-key` appended a key, then slept three watch intervals and hoped
-- every node had reloaded by then; it now waits until every server seen alive recently reports
-- the new key, and re-encrypts nothing if one does not. One row per `recours serve` process:
-- a random id made at its start, written by its secrets watcher (cli/secrets_watch.c) when it
-- loads keys and every few seconds as a heartbeat, deleted at a clean stop. A process killed
-- without one leaves its row, which stops counting once its heartbeat is old, and is deleted by
-- the next server start a day later. No personal data: the host's name and the process id, for
-- the operator to find a server that did not reload.
CREATE TABLE server_nodes (
    node_id uuid PRIMARY KEY,
    host text NOT NULL,
    pid integer NOT NULL,
    data_key_id smallint NOT NULL,
    started_at timestamptz NOT NULL DEFAULT now(),
    seen_at timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE server_nodes IS
    'running servers: the newest data key each has loaded, and a heartbeat (seen_at); rotate-data-key waits for them';
COMMENT ON COLUMN server_nodes.data_key_id IS
    'the newest data key the server has loaded (it seals with it and opens every older one)';
COMMENT ON COLUMN server_nodes.seen_at IS
    'the last heartbeat, by the database''s clock: a row older than a few heartbeats is a server gone';
