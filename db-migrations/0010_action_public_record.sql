-- SPDX-License-Identifier: AGPL-3.0-or-later
-- The public record of a representative action (EU Directive 2020/1828 Art. 13, its French
-- transposition): what the qualified entity publishes on /a/{id} and maintains through
-- PATCH /v1/actions/{id} (docs/api.md "Action public record").
--   - a dated status history, one row per event; opening and status changes write theirs
--     (triggers below), hearings, judgments and the court reference come from the association;
--   - the next date and what happens then; the sources of funding; the fees charged to those
--     represented;
--   - the mandate text per language and version: French required (actions.mandate_text stays
--     the French text of the version in force), English optional; a new version applies to
--     new mandates only, so every version's texts are kept.

ALTER TABLE actions
    ADD COLUMN next_date date,
    ADD COLUMN next_date_note text,
    ADD COLUMN funding_sources text,
    ADD COLUMN fees_charged text,
    ADD CONSTRAINT actions_next_date_note_length CHECK (char_length(next_date_note) <= 300),
    ADD CONSTRAINT actions_funding_sources_length CHECK (char_length(funding_sources) <= 2000),
    ADD CONSTRAINT actions_fees_charged_length CHECK (char_length(fees_charged) <= 2000);
COMMENT ON COLUMN actions.next_date IS 'The next dated step (a hearing, a deadline); NULL when none is set';
COMMENT ON COLUMN actions.funding_sources IS 'Who funds the action (Art. 13: sources of funding), as published';
COMMENT ON COLUMN actions.fees_charged IS 'Any fee charged to those represented, as published; NULL: none stated';

CREATE TABLE action_events (
    id bigint GENERATED ALWAYS AS IDENTITY,
    action_id uuid NOT NULL,
    kind text NOT NULL,
    occurred_on date NOT NULL,
    court_reference text,
    note text,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT action_events_pkey PRIMARY KEY (id),
    CONSTRAINT action_events_action_fkey FOREIGN KEY (action_id) REFERENCES actions (id),
    CONSTRAINT action_events_kind_known
        CHECK (kind IN ('opened', 'filed', 'hearing', 'judgment', 'settlement', 'closed')),
    CONSTRAINT action_events_court_reference_length
        CHECK (char_length(court_reference) BETWEEN 1 AND 200),
    CONSTRAINT action_events_note_length CHECK (char_length(note) BETWEEN 1 AND 500)
);
CREATE INDEX action_events_action ON action_events (action_id, occurred_on, id);
COMMENT ON TABLE action_events IS
    'Dated history of an action: opened and status changes by trigger, other steps by the association';

CREATE TABLE action_mandate_texts (
    action_id uuid NOT NULL,
    version text NOT NULL,
    lang text NOT NULL,
    text text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT action_mandate_texts_pkey PRIMARY KEY (action_id, version, lang),
    CONSTRAINT action_mandate_texts_action_fkey FOREIGN KEY (action_id) REFERENCES actions (id),
    CONSTRAINT action_mandate_texts_lang_known CHECK (lang IN ('fr', 'en')),
    CONSTRAINT action_mandate_texts_text_length CHECK (char_length(text) BETWEEN 1 AND 20000)
);
COMMENT ON TABLE action_mandate_texts IS
    'Every version of every action''s mandate text per language; the version in force is actions.mandate_text_version';

-- The French text of the version in force is actions.mandate_text: copied here on every write
-- of the action, so that no version is lost when a new one replaces it.
CREATE FUNCTION action_keep_mandate_text() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO action_mandate_texts (action_id, version, lang, text)
    VALUES (NEW.id, NEW.mandate_text_version, 'fr', NEW.mandate_text)
    ON CONFLICT (action_id, version, lang)
        DO UPDATE SET text = EXCLUDED.text, updated_at = now()
        WHERE action_mandate_texts.text IS DISTINCT FROM EXCLUDED.text;
    RETURN NULL;
END $$;
CREATE TRIGGER actions_keep_mandate_text
    AFTER INSERT OR UPDATE OF mandate_text, mandate_text_version ON actions
    FOR EACH ROW EXECUTE FUNCTION action_keep_mandate_text();

-- Opening and every status change are dated events of the history, in the same transaction.
CREATE FUNCTION action_status_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO action_events (action_id, kind, occurred_on)
        VALUES (NEW.id, 'opened', (NEW.created_at AT TIME ZONE 'UTC')::date);
    ELSIF NEW.status IS DISTINCT FROM OLD.status THEN
        INSERT INTO action_events (action_id, kind, occurred_on)
        VALUES (NEW.id, CASE NEW.status WHEN 'settled' THEN 'settlement' ELSE NEW.status END,
                (now() AT TIME ZONE 'UTC')::date);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER actions_status_event
    AFTER INSERT OR UPDATE OF status ON actions
    FOR EACH ROW EXECUTE FUNCTION action_status_event();

-- Actions opened before this migration: their text and their opening.
INSERT INTO action_mandate_texts (action_id, version, lang, text, created_at, updated_at)
SELECT id, mandate_text_version, 'fr', mandate_text, created_at, updated_at FROM actions;
INSERT INTO action_events (action_id, kind, occurred_on)
SELECT id, 'opened', (created_at AT TIME ZONE 'UTC')::date FROM actions;
INSERT INTO action_events (action_id, kind, occurred_on)
SELECT id, CASE status WHEN 'settled' THEN 'settlement' ELSE status END,
       (updated_at AT TIME ZONE 'UTC')::date
FROM actions WHERE status <> 'open';
