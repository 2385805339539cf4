// SPDX-License-Identifier: AGPL-3.0-or-later
// The action's public record tab (docs/api.md §10.8, what /a/{id} shows): counsel, the next
// date, funding, fees, the mandate text per language and its version, and the dated history.
// Saving sends only what changed, as one merge PATCH of the action: the server writes the
// action and its record in one transaction, the action first, so a new version and its
// texts arrive together (a new version applies to new mandates only). Status moves stay the
// buttons above the tabs (they write their own dated step: filed, settlement, closed); the step
// form offers the others, a hearing or a judgment (docs/decisions.md "Workspace: the step form
// offers no status move").
import { onLanguageChange, t } from "./i18n.js";
import { NetworkError, StatusLine, el, formatDate, genericProblem } from "./common.js";
import { FormErrors } from "./forms.js";
import { fieldErrors, refusalMessage } from "./dashboard-refusal.js";
import { LatestRead, retryAction } from "./dashboard-ui.js";
import { dateValue, setDateValue } from "./date-field.js";

const $ = (id) => document.getElementById(id);

// [control id, member]; the members a value may clear (null) are NULLABLE.
const FIELDS = [["rec-counsel-name", "counsel_name"], ["rec-counsel-email", "counsel_email"],
    ["rec-next-date", "next_date"], ["rec-next-date-note", "next_date_note"],
    ["rec-funding", "funding_sources"], ["rec-fees", "fees_charged"],
    ["rec-mandate-version", "mandate_text_version"], ["rec-mandate-fr", "mandate_text"],
    ["rec-mandate-en", "mandate_text_en"]];
const NULLABLE = new Set(["next_date", "next_date_note", "funding_sources", "fees_charged",
    "mandate_text_en"]);

export class RecordTab {
    // call(method, path, opts): an API call with the key; onChanged(action): the page follows.
    constructor({ call, onChanged }) {
        this.call = call;
        this.onChanged = onChanged;
        this.doc = null;
        this.busy = false;
        this.reads = new LatestRead($("record")); // the last read asked for is shown
        this.status = new StatusLine($("record-status"));
        this.eventStatus = new StatusLine($("event-status")); // beside its form: on a phone the
        // record's status line is screens above
        this.errors = new FormErrors($("record-form"), $("record-errors"));
        this.eventErrors = new FormErrors($("event-form"), $("event-errors"));
        $("record-form").addEventListener("submit", (ev) => {
            ev.preventDefault();
            this.save();
        });
        $("event-form").addEventListener("submit", (ev) => {
            ev.preventDefault();
            this.addEvent();
        });
        onLanguageChange(() => this.renderHistory());
    }

    path() {
        return `/v1/actions/${encodeURIComponent(this.doc.id)}`;
    }

    async load(action) {
        if (!this.doc || this.doc.id !== action.id) {
            this.errors.clear();
            this.eventErrors.clear();
            $("event-form").reset();
            // another action's record is neither shown under this one's heading nor saved
            // (Save writes to the record read) until this one's is read
            this.doc = null;
            $("record-body").hidden = true;
        }
        // only the last read asked for is shown: another action's record coming late would fill
        // the form under this one's heading, and its Save would write to that other action
        await this.reads.run((ticket) => this.read(action, ticket));
    }

    async read(action, ticket) {
        this.status.set({ key: "ws.rec.loading" });
        let r;
        try {
            r = await this.call("GET", `/v1/actions/${encodeURIComponent(action.id)}`);
        } catch (e) {
            if (!(e instanceof NetworkError))
                throw e;
            r = e;
        }
        if (!ticket.latest() || r.status === 401)
            return;
        if (r instanceof NetworkError || r.status !== 200 || !r.body) {
            // as every list read again (LatestRead): a refusal leaves nothing shown, this action's
            // record read before included (it may have changed since: a status move, another
            // volunteer's save), and Save has no record to write to until Try again reads it
            this.doc = null;
            $("record-body").hidden = true;
            this.errors.clear();
            this.eventErrors.clear();
            this.status.set({ ...genericProblem(r), action: retryAction("record-h3", () => this.load(action)) });
            return;
        }
        this.status.clear();
        this.show(r.body);
    }

    // kept: members typed but not saved, shown as typed (a step added meanwhile keeps them)
    show(doc, kept = {}) {
        this.doc = doc;
        $("record-body").hidden = false;
        for (const [id, key] of FIELDS) {
            const value = (key in kept ? kept[key] : doc[key]) ?? "";
            if (key === "next_date")
                setDateValue($(id), value);   // in the page's format (date-field.js)
            else
                $(id).value = value;
        }
        this.renderHistory();
    }

    renderHistory() {
        const events = this.doc?.history || [];
        // on a phone each row is a card whose cells name their column (data-label), and a
        // step without a court reference or a note shows no empty line for it
        const cell = (labelKey, text) => el("td", { text, dataset: { label: t(labelKey) } });
        $("history-rows").replaceChildren(...events.map((e) => el("tr", { dataset: { kind: e.kind } },
            cell("ws.rec.ev_date", formatDate(e.date)), cell("ws.rec.ev_kind", t("event." + e.kind)),
            ...(e.court_reference ? [cell("ws.rec.ev_court_reference", e.court_reference)] : [el("td", { class: "empty" })]),
            ...(e.note ? [cell("ws.rec.ev_note", e.note)] : [el("td", { class: "empty" })]))));
    }

    // The members whose value differs from the record's; an emptied optional one clears it.
    changes() {
        const body = {};
        for (const [id, key] of FIELDS) {
            // a date unreadable is kept as typed: clientErrors names it
            const value = key === "next_date" ? dateValue($(id)) ?? $(id).value.trim() : $(id).value.trim();
            if (value !== (this.doc[key] ?? ""))
                body[key] = value === "" && NULLABLE.has(key) ? null : value;
        }
        return body;
    }

    clientErrors(body) {
        const out = [];
        for (const key of ["counsel_name", "counsel_email", "mandate_text", "mandate_text_version"])
            if (body[key] === "")
                out.push({ field: key, code: "required" });
        // the French text the members gave stays theirs: a new text needs a new version
        if ("mandate_text" in body && !("mandate_text_version" in body))
            out.push({ field: "mandate_text_version", code: "new-version" });
        if ("counsel_email" in body && body.counsel_email !== "" && $("rec-counsel-email").validity.typeMismatch)
            out.push({ field: "counsel_email", code: "invalid-format" });
        if (dateValue($("rec-next-date")) === null)
            out.push({ field: "next_date", code: "invalid-date" });
        return out;
    }

    // An API call; null when there was no answer (the status says so) or the key was refused.
    async send(method, path, opts, status = this.status) {
        let r;
        try {
            r = await this.call(method, path, opts);
        } catch (e) {
            if (!(e instanceof NetworkError))
                throw e;
            status.set(genericProblem(e));
            return null;
        }
        return r.status === 401 ? null : r;
    }

    // One merge PATCH; errors and status: the form's (the record's or the step's).
    async patch(body, errors, status, done) {
        if (this.busy)
            return;
        this.busy = true;
        this.status.clear();
        this.eventStatus.clear();
        let r;
        try {
            r = await this.send("PATCH", this.path(),
                { body, contentType: "application/merge-patch+json" }, status);
        } finally {
            this.busy = false;
        }
        if (!r)
            return;
        const list = fieldErrors(r);
        if (r.status === 200 && r.body && r.body.id) {
            errors.clear();
            // a step added: what the record's form holds unsaved stays there
            this.show(r.body, errors === this.eventErrors ? this.changes() : {});
            status.set({ kind: "success", key: done });
            this.onChanged(r.body);
        } else if (list) {
            errors.show(list, { focus: true });
        } else {
            errors.clear();
            status.set(refusalMessage(r));
        }
    }

    async save() {
        if (!this.doc)
            return;
        const body = this.changes();
        const local = this.clientErrors(body);
        if (local.length) {
            this.status.clear();
            this.errors.show(local, { focus: true });
            return;
        }
        if (!Object.keys(body).length) {
            this.errors.clear();
            this.status.set({ key: "ws.rec.nothing" });
            return;
        }
        await this.patch(body, this.errors, this.status, "ws.rec.saved");
    }

    async addEvent() {
        if (!this.doc)
            return;
        const date = dateValue($("ev-date"));
        const event = { kind: $("ev-kind").value, date };
        for (const [id, key] of [["ev-court-reference", "court_reference"], ["ev-note", "note"]])
            if ($(id).value.trim())
                event[key] = $(id).value.trim();
        if (!event.date) {
            this.eventStatus.clear();
            this.eventErrors.show([{ field: "history_add.date", code: date === null ? "invalid-date" : "required" }],
                { focus: true });
            return;
        }
        const before = this.doc.history?.length ?? 0;
        await this.patch({ history_add: event }, this.eventErrors, this.eventStatus, "ws.rec.added");
        if ((this.doc.history?.length ?? 0) > before)
            $("event-form").reset();
    }
}
