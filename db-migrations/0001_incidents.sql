-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Incidents: the personal-data breaches claims are made on (API.md §5). The compensation
-- scheme comes in a later migration. No BEGIN/COMMIT: the runner wraps this file.

CREATE TABLE incidents (
    id bigint GENERATED ALWAYS AS IDENTITY,
    slug text NOT NULL,
    controller text NOT NULL,
    title text NOT NULL,
    disclosed_on date NOT NULL,
    affected_count bigint NOT NULL,
    data_categories text[] NOT NULL,
    authority_reference text,
    status text NOT NULL DEFAULT 'open',
    currency char(3) NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT incidents_pkey PRIMARY KEY (id),
    CONSTRAINT incidents_slug_key UNIQUE (slug),
    CONSTRAINT incidents_slug_format
        CHECK (slug ~ '^[a-z0-9][a-z0-9-]{1,62}[a-z0-9]$'),
    CONSTRAINT incidents_controller_length
        CHECK (char_length(controller) BETWEEN 1 AND 200),
    CONSTRAINT incidents_title_length
        CHECK (char_length(title) BETWEEN 1 AND 300),
    CONSTRAINT incidents_affected_count_range
        CHECK (affected_count BETWEEN 0 AND 10000000000),
    -- one-dimensional, non-empty, no NULL element (<@ never matches NULL), known values
    CONSTRAINT incidents_data_categories_known
        CHECK (array_ndims(data_categories) = 1
               AND cardinality(data_categories) >= 1
               AND data_categories <@ ARRAY['name', 'email', 'phone', 'postal_address',
                                            'birth_date', 'password', 'financial',
                                            'national_id', 'health', 'order_history',
                                            'location', 'biometric']::text[]),
    CONSTRAINT incidents_authority_reference_length
        CHECK (char_length(authority_reference) <= 200),
    CONSTRAINT incidents_status_known
        CHECK (status IN ('open', 'closed')),
    CONSTRAINT incidents_currency_format
        CHECK (currency ~ '^[A-Z]{3}$')
);

COMMENT ON TABLE incidents IS
    'Personal-data breaches open (or closed) for claims; addressed by slug in the API';
COMMENT ON COLUMN incidents.id IS
    'Internal key for claim-side tables; never shown in the API';
COMMENT ON COLUMN incidents.slug IS
    'Public identifier in URLs, e.g. acme-2026; immutable once created';
COMMENT ON COLUMN incidents.controller IS
    'Name of the data controller (the company that had the breach)';
COMMENT ON COLUMN incidents.disclosed_on IS
    'Date the controller disclosed the breach; not in the future (checked by the API)';
COMMENT ON COLUMN incidents.affected_count IS
    'Number of affected people as reported by the controller; base of the take-up rate';
COMMENT ON COLUMN incidents.data_categories IS
    'Exposed data categories (API.md §3 vocabulary); the API writes them in vocabulary order, without repeats';
COMMENT ON COLUMN incidents.authority_reference IS
    'Supervisory-authority case reference, e.g. CNIL 2026-0042; NULL when none';
COMMENT ON COLUMN incidents.status IS
    'open: accepts claims; closed: read-only. PATCH may reopen';
COMMENT ON COLUMN incidents.currency IS
    'ISO 4217 code of every amount of this incident (schemes, losses, awards); immutable';
COMMENT ON COLUMN incidents.updated_at IS
    'Time of the last PATCH; equals created_at until then';
