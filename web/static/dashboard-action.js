// SPDX-License-Identifier: AGPL-3.0-or-later
// The selected action of the associations' page (docs/api.md §10–12): its facts, its status moves
// (only those docs/api.md §8.7 allows), mandated claims added by filter or by references (the four
// counts of the answer), its compensation totals, and the exports for counsel. An export is
// fetched with the key in the Authorization header (never in the address), saved under the
// name of its Content-Disposition, then its record (GET /v1/exports/{X-Export-Id}: rows,
// bytes, SHA-256) is shown and compared with the bytes this page received.
import { lang, locale, onLanguageChange, t } from "./i18n.js";
import {
    CATEGORIES, NetworkError, StatusLine, categoryLabel, el, formatDateTime, formatMoney,
    formatNumber, genericProblem, problemName,
} from "./common.js";
import { COUNTRY_CODES } from "./countries.js";
import { FormErrors, countryOptions, indexOf } from "./forms.js";
import { LatestRead, copyButton, escapeCancels, refocus, retryAction } from "./dashboard-ui.js";
import { dateValue } from "./date-field.js";
import { fieldErrors, refusalMessage } from "./dashboard-refusal.js";

// docs/api.md §8.7: open → filed → settled → closed, plus open → closed and filed → closed.
const NEXT_STATUS = { open: ["filed", "closed"], filed: ["settled", "closed"],
    settled: ["closed"], closed: [] };
const COUNTS = ["added", "already_in_action", "in_other_action", "not_mandated"];
const REFERENCES_MAX = 1000;
const RECORD_POLLS = 20;        // an export record still "streaming" is read again…
const RECORD_POLL_MS = 250;     // …this often, within a bound

const $ = (id) => document.getElementById(id);

export function idempotencyKey() {
    if (crypto.randomUUID)
        return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}

// "rc 7k3m q9xd", "RC7K3MQ9XD" → "RC-7K3M-Q9XD"; anything else as typed, upper case.
function normalizeReference(text) {
    const s = text.toUpperCase().replace(/[\s-]/g, "");
    return /^RC[0-9A-Z]{8}$/.test(s) ? `RC-${s.slice(2, 6)}-${s.slice(6)}` : text.toUpperCase();
}

function hex(buffer) {
    return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, "0")).join("");
}

// filename="recours-….csv" of a Content-Disposition, reduced to a safe file name.
function fileNameOf(disposition, fallback) {
    const m = /filename="([^"]+)"/.exec(disposition || "") || /filename=([^;\s]+)/.exec(disposition || "");
    const name = m ? m[1].replace(/[^A-Za-z0-9._-]/g, "_") : "";
    return name && !name.startsWith(".") ? name : fallback;
}

// The ";" file's name says its separator ("recours-<id>-20261207-semicolon.csv"; in French
// "-point-virgule"): both CSVs came under the server's one name, the second saved as "(1)"
// beside the first, or over it, and counsel could not tell which a spreadsheet would read.
function withSeparator(fileName, sep) {
    if (sep !== ";")
        return fileName;
    const word = t("dash.export_file_semicolon").replace(/[^A-Za-z0-9-]/g, "-");
    return fileName.replace(/(\.csv)?$/i, `-${word}$1`);
}

const sleep = (ms) => new Promise((resolve) => { setTimeout(resolve, ms); });

// A value (its element keeps the id tests and readers look for) and its copy button.
function withCopy(code, whatKey) {
    return el("span", {}, code, " ", copyButton(code, whatKey));
}

// The pro rata factor, a decimal string of the API ("0.759493"), in the reader's notation
// ("0,759493" in French), every digit kept.
function factorText(v) {
    if (typeof v !== "string" || !/^\d+(\.\d+)?$/.test(v))
        return v || t("dash.not_applicable");
    const [whole, decimals] = v.split(".");
    return decimals ? whole + decimalPoint() + decimals : whole;
}

function decimalPoint() {
    return new Intl.NumberFormat(locale()).formatToParts(0.5).find((p) => p.type === "decimal")?.value || ".";
}

// The factor as a percentage a volunteer reads ("0.834999" → "83.4"), cut (never rounded up:
// "0.999999" is no "100" of a cap reached) to one decimal, or to the first digit that is not 0
// below 0.1 ("0.000123" → "0.01"); worked on the digits, no float in between.
function percentText(v) {
    const [whole, decimals = ""] = v.split(".");
    const digits = decimals.padEnd(2, "0");
    const units = String(Number(whole) * 100 + Number(digits.slice(0, 2)));
    const rest = digits.slice(2).replace(/0+$/, "");
    const shown = units !== "0" ? rest.slice(0, 1) : rest.slice(0, rest.search(/[1-9]/) + 1);
    return shown ? units + decimalPoint() + shown : units;
}

// What the fund cap does to the awards, in words ("Reached: every award is reduced to 83.4% of
// its amount under the scheme"), and under it the exact factor of the API, for counsel: said
// "Pro rata factor 1.000000" alone, a volunteer could not tell whether the cap was reached.
// prefix: of its elements' ids ("total", the summary's; "sim", the simulation's)
function capEffect(factor, cap, prefix) {
    const reduced = typeof factor === "string" && /^0(\.\d+)?$/.test(factor);
    const said = cap === null ? t("dash.total.cap_none")
        : reduced ? t("dash.total.cap_reached", { percent: percentText(factor) })
            : typeof factor === "string" ? t("dash.total.cap_not_reached") : t("dash.not_applicable");
    return el("span", {}, el("span", { id: `${prefix}-cap-effect`, text: said }),
        el("span", { class: "factor-exact" }, t("dash.total.factor_exact"), " ",
            el("span", { id: `${prefix}-factor`, text: factorText(factor) })));
}

function fact(labelKey, value, id) {
    return el("div", {}, el("dt", { text: t(labelKey) }), el("dd", { id }, value));
}

// The totals of a summary with a scheme (the summary's, a simulation's): before and after the
// fund cap, the cap, its effect in words, the mean award; prefix: of the ids ("total", "sim").
export function schemeFacts(s, prefix) {
    const money = (v) => (v === null || v === undefined ? t("dash.not_applicable") : formatMoney(v, s.currency));
    return [
        fact("dash.total.before_cap", money(s.total_before_cap), `${prefix}-before-cap`),
        fact("dash.total.fund_cap", s.fund_cap === null ? t("dash.no_cap") : money(s.fund_cap)),
        fact("dash.total.after_cap", money(s.total_after_cap), `${prefix}-after-cap`),
        fact("dash.total.cap_effect", capEffect(s.pro_rata_factor, s.fund_cap, prefix)),
        ...(s.award_stats ? [fact("dash.total.mean", money(s.award_stats.mean))] : [])];
}

export class ActionPanel {
    // call(method, path, opts): an API call with the key (a 401 already handled by the page);
    // token(): the key, for the export's own fetch; onChanged(action): the list follows;
    // onUnauthorized(): the key was refused.
    constructor({ call, token, onChanged, onUnauthorized }) {
        this.call = call;
        this.token = token;
        this.onChanged = onChanged;
        this.onUnauthorized = onUnauthorized;
        this.action = null;
        this.incident = null;
        this.counts = null;
        this.summary = null;
        this.record = null;       // {record, fileName, localSha256, localBytes}
        this.pending = null;      // the status move waiting for confirmation
        this.membersAttempt = null;
        this.sentReferences = [];
        this.busy = false;
        this.status = new StatusLine($("action-status"));
        this.membersStatus = new StatusLine($("members-status"));
        this.totalsStatus = new StatusLine($("totals-status"));
        this.totalsReads = new LatestRead($("totals")); // Refresh twice: the last one is shown
        this.exportStatus = new StatusLine($("export-status"));
        this.membersErrors = new FormErrors($("members-form"), $("members-errors"), (e) => {
            const i = indexOf(e.field);
            return { item: i !== null && i < this.sentReferences.length ? this.sentReferences[i] : "",
                max: REFERENCES_MAX };
        });
        this.wire();
        this.fillChoices();
        onLanguageChange(() => {
            this.fillChoices();
            this.render();
        });
    }

    wire() {
        $("members-form").addEventListener("submit", (ev) => {
            ev.preventDefault();
            this.addMembers();
        });
        for (const radio of document.querySelectorAll("#members-form input[name=by]"))
            radio.addEventListener("change", () => this.renderMode());
        $("transition-yes").addEventListener("click", () => this.move());
        $("transition-no").addEventListener("click", () => {
            this.pending = null;
            this.renderTransitions();
            $("transition-buttons").querySelector("button")?.focus();
        });
        escapeCancels($("transition-confirm"), $("transition-no"));
        // the member count too: claims join through the claim form at any time
        $("totals-refresh").addEventListener("click", () => this.refresh());
        for (const id of ["export-csv", "export-csv-semicolon", "export-ndjson"]) {
            const b = $(id);
            b.addEventListener("click", () => this.exportAs(b.dataset.format, b.dataset.sep));
        }
    }

    // The filter's <select>s of category and country, "any" first, named in the language.
    fillChoices() {
        const cat = $("filter-category");
        const chosenCat = cat.value;
        cat.replaceChildren(el("option", { value: "", text: t("dash.any_category") }),
            ...CATEGORIES.map((c) => el("option", { value: c, text: categoryLabel(c) })));
        cat.value = chosenCat;
        const country = $("filter-country");
        const chosen = country.value;
        country.replaceChildren(el("option", { value: "", text: t("dash.any_country") }),
            ...countryOptions(COUNTRY_CODES, lang()));
        country.value = chosen;
    }

    // --- showing an action -----------------------------------------------------------------

    show(action, incident) {
        const other = !this.action || this.action.id !== action.id;
        this.action = action;
        this.incident = incident;
        if (other) {
            this.counts = null;
            this.summary = null;
            this.record = null;
            this.pending = null;
            this.membersAttempt = null;
            this.status.clear();
            this.membersStatus.clear();
            this.exportStatus.clear();
            this.membersErrors.clear();
            $("members-form").reset();
        }
        $("action").hidden = false;
        this.render();
        if (other) {
            $("action").scrollIntoView({ block: "start" });
            $("action-h2").focus({ preventScroll: true });
            this.loadTotals();
        }
    }

    close() {
        this.action = null;
        $("action").hidden = true;
    }

    render() {
        if (!this.action)
            return;
        const a = this.action;
        const inc = this.incident;
        $("action-h2").textContent = t("dash.action_h2", { title: a.title });
        $("action-facts").replaceChildren(
            fact("dash.fact.incident", inc ? `${inc.controller} — ${inc.title} (${a.incident})` : a.incident),
            fact("dash.fact.status", t("astatus." + a.status), "action-status-value"),
            fact("dash.fact.legal_basis", t("basis." + a.legal_basis)),
            fact("dash.fact.deadline", formatDateTime(a.opt_in_deadline)),
            fact("dash.fact.counsel", `${a.counsel_name} <${a.counsel_email}>`),
            fact("dash.fact.mandate_version", el("code", { text: a.mandate_text_version })),
            fact("dash.fact.members", formatNumber(a.member_count), "action-member-count"),
            // while it takes mandates, the link to share with the victims: the claim form of
            // the incident offering this action's mandate
            ...(a.status === "open" ? [fact("dash.fact.claim_link", this.claimLink(a))] : []));
        this.renderTransitions();
        const open = a.status === "open";
        $("members-form").hidden = !open;
        $("members-closed").hidden = open;
        this.renderMode();
        this.renderCounts();
        this.renderTotals();
        this.renderRecord();
        this.renderExportsHint();
    }

    // What the file holds, its amounts' unit shown in the incident's own currency: 23500 is
    // 235.00 in EUR but 23,500 in KRW, which has no minor unit.
    renderExportsHint() {
        const currency = (this.incident && this.incident.currency) || "EUR";
        $("exports-contents").textContent = t("dash.exports_contents",
            { currency, minor: "23500", amount: formatMoney(23500, currency) });
    }

    // The victims' link with its copy button.
    claimLink(a) {
        return withCopy(el("code", { id: "claim-link",
            text: `${window.location.origin}/claim?incident=${encodeURIComponent(a.incident)}`
                + `&action=${encodeURIComponent(a.id)}` }), "dash.fact.claim_link");
    }

    renderTransitions() {
        const moves = NEXT_STATUS[this.action.status] || [];
        $("transitions").hidden = moves.length === 0;
        $("transition-buttons").replaceChildren(...moves.map((s) => {
            const b = el("button", { type: "button", class: "button secondary", dataset: { status: s },
                text: t("dash.move_to", { status: t("astatus." + s) }) });
            b.disabled = this.busy;
            b.addEventListener("click", () => {
                this.pending = s;
                this.renderTransitions();
                $("transition-yes").focus();
            });
            return b;
        }));
        $("transition-confirm").hidden = !this.pending;
        if (this.pending) {
            const params = { from: t("astatus." + this.action.status), to: t("astatus." + this.pending) };
            $("transition-question").textContent = t("dash.move_question", params);
            $("transition-yes").textContent = t("dash.move_yes", params);
        }
    }

    // --- status ----------------------------------------------------------------------------

    async move() {
        if (!this.pending || this.busy)
            return;
        const target = this.pending;
        this.busy = true;
        $("transition-yes").disabled = true;
        let r;
        try {
            r = await this.call("PATCH", `/v1/actions/${encodeURIComponent(this.action.id)}`,
                { body: { status: target }, contentType: "application/merge-patch+json" });
        } catch (e) {
            if (!(e instanceof NetworkError))
                throw e;
            this.status.set(genericProblem(e));
            return;
        } finally {
            this.busy = false;
            $("transition-yes").disabled = false;
            refocus($("transition-yes"));   // it lost the focus while disabled
        }
        if (r.status === 401)
            return;
        this.pending = null;
        if (r.status === 200 && r.body && r.body.id) {
            this.action = r.body;
            this.status.set({ kind: "success", key: "dash.moved", params: { status: t("astatus." + r.body.status) } });
            this.onChanged(r.body);
            this.render();
            $("action-h2").focus();
            return;
        }
        this.status.set(refusalMessage(r));
        this.renderTransitions();
        // the confirmation it was on is closed: back to the moves, to choose again
        refocus($("transition-buttons").querySelector("button"), $("action-h2"));
    }

    // --- members ---------------------------------------------------------------------------

    renderMode() {
        const byRefs = $("by-references").checked;
        $("filter-fields").hidden = byRefs;
        $("references-fields").hidden = !byRefs;
    }

    membersBody() {
        if ($("by-references").checked) {
            this.sentReferences = $("references").value.split(/[\s,;]+/).filter((s) => s !== "")
                .map(normalizeReference);
            return { references: this.sentReferences };
        }
        const filter = {};
        const put = (key, value) => {
            if (value)
                filter[key] = value;
        };
        put("status", $("filter-status").value);
        put("category", $("filter-category").value);
        put("country", $("filter-country").value);
        // whole days in UTC: from the start of the first to the end of the last
        const after = dateValue($("submitted-after"));
        const before = dateValue($("submitted-before"));
        if (after)
            filter.submitted_after = after + "T00:00:00Z";
        if (before) {
            const d = new Date(before + "T00:00:00Z");
            d.setUTCDate(d.getUTCDate() + 1);
            filter.submitted_before = d.toISOString().replace(/\.\d{3}Z$/, "Z");
        }
        return { filter };
    }

    membersClientErrors(body) {
        const out = [];
        if (body.references) {
            if (!body.references.length)
                out.push({ field: "references", code: "required" });
            else if (body.references.length > REFERENCES_MAX)
                out.push({ field: "references", code: "too-long" });
        } else {
            for (const [id, field] of [["submitted-after", "filter.submitted_after"],
                ["submitted-before", "filter.submitted_before"]]) {
                if (dateValue($(id)) === null)
                    out.push({ field, code: "invalid-date" });
            }
        }
        return out;
    }

    async addMembers() {
        if (this.busy || !this.action)
            return;
        this.membersStatus.clear();
        const body = this.membersBody();
        const local = this.membersClientErrors(body);
        if (local.length) {
            this.membersErrors.show(local, { focus: true });
            return;
        }
        const text = JSON.stringify(body);
        if (!this.membersAttempt || this.membersAttempt.body !== text)
            this.membersAttempt = { body: text, key: idempotencyKey() };
        const id = this.action.id;
        this.busy = true;
        $("members-submit").disabled = true;
        let r;
        try {
            r = await this.call("POST", `/v1/actions/${encodeURIComponent(id)}/members`,
                { body: text, headers: { "Idempotency-Key": this.membersAttempt.key } });
        } catch (e) {
            if (!(e instanceof NetworkError))
                throw e;
            this.membersStatus.set(genericProblem(e));
            return;
        } finally {
            this.busy = false;
            $("members-submit").disabled = false;
            $("members-submit").focus({ preventScroll: true });
        }
        if (r.status === 401 || !this.action || this.action.id !== id)
            return;
        if (!(r.status >= 500 || r.status === 429 || problemName(r) === "idempotency-key-in-use"))
            this.membersAttempt = null;
        const list = fieldErrors(r);
        if (r.status === 200 && r.body && COUNTS.every((k) => Number.isInteger(r.body[k]))) {
            this.membersErrors.clear();
            this.counts = r.body;
            this.renderCounts();
            $("members-result-h4").focus();
            this.refresh();
            return;
        }
        if (list) {
            this.membersErrors.show(list, { focus: true });
            return;
        }
        this.membersErrors.clear();
        this.membersStatus.set(refusalMessage(r));
    }

    renderCounts() {
        $("members-result").hidden = !this.counts;
        if (!this.counts)
            return;
        $("members-counts").replaceChildren(...COUNTS.map((k) =>
            fact("dash.count." + k, formatNumber(this.counts[k]), "count-" + k.replace(/_/g, "-"))));
    }

    // The action again (its member count) and its totals, after members were added.
    async refresh() {
        const id = this.action.id;
        try {
            const r = await this.call("GET", `/v1/actions/${encodeURIComponent(id)}`);
            if (r.status === 200 && r.body && this.action && this.action.id === id) {
                this.action = r.body;
                this.onChanged(r.body);
                this.render();
            }
        } catch (e) {
            if (!(e instanceof NetworkError))
                throw e;
        }
        await this.loadTotals();
    }

    // --- totals ----------------------------------------------------------------------------

    async loadTotals() {
        if (!this.action)
            return;
        await this.totalsReads.run((ticket) => this.readTotals(ticket));
    }

    async readTotals(ticket) {
        const id = this.action.id;
        this.totalsStatus.set({ key: "common.loading" });
        let r;
        try {
            r = await this.call("GET", `/v1/actions/${encodeURIComponent(id)}/compensation`);
        } catch (e) {
            if (!(e instanceof NetworkError))
                throw e;
            r = e;
        }
        if (!ticket.latest() || r.status === 401 || !this.action || this.action.id !== id)
            return;
        if (r instanceof NetworkError || r.status !== 200 || !r.body) {
            // the totals read before are not left beside the refusal as current
            this.summary = null;
            this.renderTotals();
            this.totalsStatus.set({ ...refusalMessage(r), action: retryAction("totals-h3", () => this.loadTotals()) });
            return;
        }
        this.summary = r.body;
        this.renderTotals();
    }

    renderTotals() {
        const s = this.summary;
        $("totals-facts").hidden = !s;
        if (!s) {
            return;
        }
        const byStatus = s.claims_by_status || {};
        const claims = Object.values(byStatus).reduce((n, v) => n + (Number.isInteger(v) ? v : 0), 0);
        const items = [
            fact("dash.total.claims", formatNumber(claims), "total-claims"),
            fact("dash.total.eligible", formatNumber(s.eligible), "total-eligible"),
        ];
        const noScheme = s.total_before_cap === null || s.total_before_cap === undefined;
        if (!noScheme)
            items.push(...schemeFacts(s, "total"), fact("dash.total.scheme", String(s.scheme_version)));
        $("totals-facts").replaceChildren(...items);
        this.totalsStatus.set(noScheme ? { kind: "info", key: "dash.no_scheme" }
            : { kind: "info", key: "dash.computed_at", params: { time: formatDateTime(s.computed_at) } });
    }

    // --- exports ---------------------------------------------------------------------------

    setExportBusy(on) {
        this.busy = on;
        for (const id of ["export-csv", "export-csv-semicolon", "export-ndjson"])
            $(id).disabled = on;
        $("exports").setAttribute("aria-busy", String(on));
    }

    async exportAs(format, sep) {
        if (this.busy || !this.action || !this.token())
            return;
        const a = this.action;
        const pressed = document.activeElement;
        const query = format === "csv" ? `format=csv&sep=${encodeURIComponent(sep)}` : "format=ndjson";
        this.record = null;
        this.renderRecord();
        this.exportStatus.set({ key: "dash.exporting" });
        this.setExportBusy(true);
        let resp;
        let bytes;
        try {
            resp = await fetch(`/v1/actions/${encodeURIComponent(a.id)}/export?${query}`, {
                method: "GET", cache: "no-store", credentials: "omit", redirect: "error",
                referrerPolicy: "no-referrer",
                headers: { Authorization: "Bearer " + this.token(), Accept: "text/csv, application/x-ndjson, application/problem+json" },
            });
            if (resp.ok)
                bytes = await resp.arrayBuffer();
        } catch (e) {
            this.setExportBusy(false);
            refocus(pressed);
            this.exportStatus.set({ kind: "error", key: "dash.export_network" });
            return;
        }
        this.setExportBusy(false);
        refocus(pressed);   // it lost the focus while disabled
        if (!resp.ok) {
            let body = null;
            try {
                body = await resp.json();
            } catch {
                body = null;
            }
            if (resp.status === 401) {
                this.onUnauthorized();
                return;
            }
            this.exportStatus.set(refusalMessage({ status: resp.status, headers: resp.headers, body }));
            return;
        }
        const ext = format === "csv" ? "csv" : "ndjson";
        const fileName = withSeparator(fileNameOf(resp.headers.get("Content-Disposition"), `recours-${a.id}.${ext}`),
            format === "csv" ? sep : null);
        const exportId = resp.headers.get("X-Export-Id");
        this.save(bytes, fileName, resp.headers.get("Content-Type") || "application/octet-stream");
        let localSha256 = null;
        try {
            localSha256 = crypto.subtle ? hex(await crypto.subtle.digest("SHA-256", bytes)) : null;
        } catch {
            localSha256 = null;
        }
        this.record = { record: null, fileName, localSha256, localBytes: bytes.byteLength };
        this.exportStatus.set({ kind: "success", key: "dash.exported", params: { file: fileName } });
        this.renderRecord();
        if (exportId)
            await this.loadRecord(exportId, this.record);
    }

    save(bytes, fileName, type) {
        const url = URL.createObjectURL(new Blob([bytes], { type }));
        const link = el("a", { href: url, download: fileName, hidden: true });
        document.body.append(link);
        link.click();
        link.remove();
        setTimeout(() => URL.revokeObjectURL(url), 60000);
    }

    // GET /v1/exports/{id}; a record still "streaming" (its last byte just sent) is read again.
    async loadRecord(exportId, holder) {
        for (let i = 0; i < RECORD_POLLS; i++) {
            let r;
            try {
                r = await this.call("GET", `/v1/exports/${encodeURIComponent(exportId)}`);
            } catch (e) {
                if (!(e instanceof NetworkError))
                    throw e;
                this.exportStatus.set({ kind: "error", key: "dash.record_network" });
                return;
            }
            if (r.status === 401 || this.record !== holder)
                return;
            if (r.status !== 200 || !r.body) {
                this.exportStatus.set(refusalMessage(r));
                return;
            }
            holder.record = r.body;
            this.renderRecord();
            if (r.body.status !== "streaming")
                break;
            await sleep(RECORD_POLL_MS);
        }
        const rec = holder.record;
        if (!rec)
            return;
        // a file of no member (its header only) is nothing to hand to counsel, whatever its digest
        if (rec.status === "complete" && rec.rows === 0)
            this.exportStatus.set({ kind: "info", key: "dash.export_empty", params: { file: holder.fileName } });
        else if (rec.status === "complete" && rec.sha256 === holder.localSha256 && rec.bytes === holder.localBytes)
            this.exportStatus.set({ kind: "success", key: "dash.export_verified", params: { file: holder.fileName } });
        else if (rec.status === "complete" && holder.localSha256 === null)
            this.exportStatus.set({ kind: "success", key: "dash.exported", params: { file: holder.fileName } });
        else
            this.exportStatus.set({ kind: "error", key: "dash.export_mismatch", params: { status: t("xstatus." + rec.status) } });
    }

    renderRecord() {
        const h = this.record;
        $("export-record").hidden = !h;
        if (!h)
            return;
        const items = [fact("dash.rec.file", el("code", { text: h.fileName }), "export-file")];
        const rec = h.record;
        if (rec) {
            items.push(
                fact("dash.rec.format", rec.format === "csv"
                    ? t("dash.rec.csv_with", { sep: rec.separator }) : "NDJSON"),
                fact("dash.rec.rows", formatNumber(rec.rows), "export-rows"),
                fact("dash.rec.bytes", formatNumber(rec.bytes), "export-bytes"),
                fact("dash.rec.sha256", withCopy(el("code", { id: "export-sha256", class: "digest",
                    text: rec.sha256 || "" }), "dash.rec.sha256")),
                fact("dash.rec.status", t("xstatus." + rec.status), "export-record-status"),
                fact("dash.rec.created", formatDateTime(rec.created_at)));
        }
        if (h.localSha256)
            items.push(fact("dash.rec.local_sha256", el("code", { class: "digest", text: h.localSha256 }), "export-local-sha256"));
        $("export-facts").replaceChildren(...items);
    }
}
