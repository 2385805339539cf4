-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Evidence files for a documented loss or an identity theft (issue 14; docs/evidence.md;
-- docs/decisions.md "Issue 14 — evidence"). A claimant attaches PDF, JPEG or PNG files to a
-- claim; the association holding the claim's mandate reads them.
--   - evidence_files: one row per file; its name sealed like the claims' personal data
--     (AES-256-GCM under data key data_key_id, 'evidence-name/<public_id>' as associated
--     data), the media type found in the content, the size and the SHA-256 of the plaintext.
--     An upload is a row in state 'uploading' from its first byte: it holds one of the
--     claim's slots (docs/evidence.md §2) and becomes 'stored' when its last chunk is written
--     and its content checked; an upload that never ends is deleted by the erasure job.
--   - evidence_chunks: the file's bytes in chunks of 256 KiB of plaintext, each sealed on its
--     own ('evidence-chunk/<public_id>/<seq>' as associated data: a chunk cannot be moved to
--     another file or place), so neither upload nor download ever holds a whole file.
-- Deleting a file (the claimant, an abandoned upload, the erasure of a withdrawn claim)
-- deletes its chunks (ON DELETE CASCADE).

CREATE TABLE evidence_files (
    id bigint GENERATED ALWAYS AS IDENTITY,
    public_id uuid NOT NULL DEFAULT gen_random_uuid(),
    incident_id bigint NOT NULL,
    claim_id bigint NOT NULL,
    state text NOT NULL DEFAULT 'uploading',
    media_type text,
    size_bytes bigint NOT NULL DEFAULT 0,
    n_chunks integer NOT NULL DEFAULT 0,
    sha256 bytea,
    data_key_id smallint NOT NULL,
    name_box bytea NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    stored_at timestamptz,
    CONSTRAINT evidence_files_pkey PRIMARY KEY (id),
    CONSTRAINT evidence_files_public_id_key UNIQUE (public_id),
    CONSTRAINT evidence_files_incident_fkey FOREIGN KEY (incident_id) REFERENCES incidents (id),
    CONSTRAINT evidence_files_claim_fkey FOREIGN KEY (claim_id) REFERENCES claims (id),
    CONSTRAINT evidence_files_state_known CHECK (state IN ('uploading', 'stored')),
    CONSTRAINT evidence_files_stored_complete CHECK (
        state = 'uploading'
        OR (media_type IS NOT NULL AND sha256 IS NOT NULL AND stored_at IS NOT NULL)),
    CONSTRAINT evidence_files_media_type_known
        CHECK (media_type IN ('application/pdf', 'image/jpeg', 'image/png')),
    CONSTRAINT evidence_files_size_range CHECK (size_bytes BETWEEN 0 AND 1073741824),
    CONSTRAINT evidence_files_n_chunks_range CHECK (n_chunks BETWEEN 0 AND 4096),
    CONSTRAINT evidence_files_sha256_length CHECK (octet_length(sha256) = 32),
    CONSTRAINT evidence_files_data_key_id_range CHECK (data_key_id BETWEEN 1 AND 32767),
    -- 12-byte nonce + 16-byte tag + a name of at most 255 bytes
    CONSTRAINT evidence_files_name_box_length CHECK (octet_length(name_box) BETWEEN 28 AND 283)
);
-- A claim's files in upload order (the claimant's and the association's lists, the count of
-- its slots, erasure); stale uploads for the erasure job.
CREATE INDEX evidence_files_claim ON evidence_files (claim_id, created_at, id);
CREATE INDEX evidence_files_uploading ON evidence_files (created_at) WHERE state = 'uploading';

COMMENT ON TABLE evidence_files IS
    'Evidence files attached by claimants (PDF, JPEG, PNG); bytes in evidence_chunks, sealed';
COMMENT ON COLUMN evidence_files.public_id IS 'The file''s id in the API';
COMMENT ON COLUMN evidence_files.state IS
    'uploading: chunks being written (holds a slot); stored: complete and checked';
COMMENT ON COLUMN evidence_files.media_type IS
    'Found in the content (magic bytes and structure), never from the name or Content-Type';
COMMENT ON COLUMN evidence_files.sha256 IS 'SHA-256 of the plaintext, as listed in the export';
COMMENT ON COLUMN evidence_files.name_box IS
    'AES-256-GCM nonce||ciphertext||tag of the file name given by the claimant, ''evidence-name/<public_id>'' as AAD';

CREATE TABLE evidence_chunks (
    id bigint GENERATED ALWAYS AS IDENTITY,
    file_id bigint NOT NULL,
    seq integer NOT NULL,
    data_key_id smallint NOT NULL,
    box bytea NOT NULL,
    CONSTRAINT evidence_chunks_pkey PRIMARY KEY (id),
    CONSTRAINT evidence_chunks_file_fkey FOREIGN KEY (file_id) REFERENCES evidence_files (id)
        ON DELETE CASCADE,
    CONSTRAINT evidence_chunks_file_seq_key UNIQUE (file_id, seq),
    CONSTRAINT evidence_chunks_seq_range CHECK (seq BETWEEN 0 AND 4095),
    CONSTRAINT evidence_chunks_data_key_id_range CHECK (data_key_id BETWEEN 1 AND 32767),
    -- 256 KiB of plaintext at most, plus the nonce and the tag
    CONSTRAINT evidence_chunks_box_length CHECK (octet_length(box) BETWEEN 29 AND 262172)
);
-- Sealed bytes do not compress: PostgreSQL need not try (TOAST, out of line, uncompressed).
ALTER TABLE evidence_chunks ALTER COLUMN box SET STORAGE EXTERNAL;

COMMENT ON TABLE evidence_chunks IS
    'An evidence file''s bytes, 256 KiB of plaintext per row, each sealed on its own';
COMMENT ON COLUMN evidence_chunks.box IS
    'AES-256-GCM nonce||ciphertext||tag, ''evidence-chunk/<file public_id>/<seq>'' as AAD';
COMMENT ON COLUMN evidence_chunks.data_key_id IS
    'Id of the data key that sealed box; rotate-data-key rewrites it';
