-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Compensation schemes (versioned per incident) and the tallies that make summaries fast at
-- Coupang's size (33.7 million claims): claims are counted by everything an award and a
-- summary depend on, so a summary reads groups, never the claims table. The intake writers
-- add their batch to their own shard (no two writers contend on one row); single-claim
-- changes (review, correction, withdrawal) move one claim between groups in the shard of
-- single changes. A group's count is the sum over its shards.

CREATE TABLE schemes (
    incident_id bigint NOT NULL,
    version integer NOT NULL,
    scheme jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT schemes_pkey PRIMARY KEY (incident_id, version),
    CONSTRAINT schemes_incident_fkey FOREIGN KEY (incident_id) REFERENCES incidents (id),
    CONSTRAINT schemes_version_positive CHECK (version >= 1)
);
COMMENT ON TABLE schemes IS
    'Every compensation scheme ever set on an incident; the highest version is in force';

ALTER TABLE incidents ADD COLUMN scheme_version integer;
COMMENT ON COLUMN incidents.scheme_version IS 'The version in force; NULL until a scheme is set';

CREATE TABLE claim_tallies (
    incident_id bigint NOT NULL,
    status text NOT NULL,
    payment_preference text NOT NULL,
    country char(2) NOT NULL,
    categories integer NOT NULL,
    documented_loss bigint NOT NULL,
    hours_spent integer NOT NULL,
    shard smallint NOT NULL,
    n bigint NOT NULL,
    CONSTRAINT claim_tallies_pkey PRIMARY KEY (incident_id, status, payment_preference, country,
                                               categories, documented_loss, hours_spent, shard)
);
COMMENT ON TABLE claim_tallies IS
    'Claims counted by incident, status, payment preference, country, categories, loss and hours; summaries read these groups';
COMMENT ON COLUMN claim_tallies.shard IS
    'Intake writer number, or 255 for single-claim changes; a row''s n may be negative there, the sum over shards is the count';

CREATE TABLE duplicate_tallies (
    incident_id bigint NOT NULL,
    shard smallint NOT NULL,
    n bigint NOT NULL,
    CONSTRAINT duplicate_tallies_pkey PRIMARY KEY (incident_id, shard)
);
COMMENT ON TABLE duplicate_tallies IS 'Refused duplicate submissions counted per incident and writer';

INSERT INTO claim_tallies (incident_id, status, payment_preference, country, categories,
                           documented_loss, hours_spent, shard, n)
SELECT incident_id, status, payment_preference, country, categories, documented_loss,
       hours_spent, 255, count(*)
FROM claims
GROUP BY incident_id, status, payment_preference, country, categories, documented_loss,
         hours_spent;

INSERT INTO duplicate_tallies (incident_id, shard, n)
SELECT incident_id, 255, count(*) FROM claim_duplicates GROUP BY incident_id;
