-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Exports for counsel (SPEC "Export for counsel"; API.md §10, §12): one row per export of an
-- action's members, written `streaming` before the first byte and finished once: `complete`
-- when the last byte has been handed to the connection, `aborted` when the client vanished or
-- the stream failed, with the rows, bytes and SHA-256 of what was sent so far. The same
-- figures go into the export's audit event (its digest covers them).

CREATE TABLE exports (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    action_id uuid NOT NULL,
    association_id uuid NOT NULL,
    format text NOT NULL,
    separator text NOT NULL,
    rows bigint NOT NULL DEFAULT 0,
    bytes bigint NOT NULL DEFAULT 0,
    sha256 bytea,
    status text NOT NULL DEFAULT 'streaming',
    created_at timestamptz NOT NULL DEFAULT now(),
    completed_at timestamptz,
    CONSTRAINT exports_pkey PRIMARY KEY (id),
    CONSTRAINT exports_action_fkey FOREIGN KEY (action_id) REFERENCES actions (id),
    CONSTRAINT exports_association_fkey FOREIGN KEY (association_id)
        REFERENCES associations (id),
    CONSTRAINT exports_format_known CHECK (format IN ('csv', 'ndjson')),
    CONSTRAINT exports_separator_known CHECK (separator IN (',', ';')),
    CONSTRAINT exports_rows_range CHECK (rows >= 0),
    CONSTRAINT exports_bytes_range CHECK (bytes >= 0),
    CONSTRAINT exports_sha256_length CHECK (octet_length(sha256) = 32),
    CONSTRAINT exports_status_known CHECK (status IN ('streaming', 'complete', 'aborted')),
    -- a finished export has its digest and end time; a streaming one has neither
    CONSTRAINT exports_finished
        CHECK ((status = 'streaming') = (completed_at IS NULL)
               AND (status = 'streaming') = (sha256 IS NULL))
);
CREATE INDEX exports_action ON exports (action_id, created_at);

COMMENT ON TABLE exports IS
    'Exports of an action''s members for counsel: what was sent, never the data itself';
COMMENT ON COLUMN exports.association_id IS
    'The association that asked (the action''s owner): it and the operator may read the record';
COMMENT ON COLUMN exports.separator IS
    'CSV cell separator; NDJSON exports keep the default '','' (unused)';
COMMENT ON COLUMN exports.rows IS
    'Member rows sent, the CSV header excluded (so far, while streaming or once aborted)';
COMMENT ON COLUMN exports.bytes IS
    'Bytes of the file handed to the connection, BOM included, chunk framing excluded';
COMMENT ON COLUMN exports.sha256 IS
    'SHA-256 of those bytes; set when the export ends (complete or aborted)';
COMMENT ON COLUMN exports.status IS
    'streaming until the last byte is handed to the connection, then complete; aborted when the client vanished or the stream failed';
COMMENT ON COLUMN exports.completed_at IS 'When the export ended (complete or aborted)';
