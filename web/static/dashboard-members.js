// SPDX-License-Identifier: AGPL-3.0-or-later
// The members tab (docs/workspace.md): the action's members filtered and sorted, by keyset
// pages; a selection on the page; verify or reject the selection, or every member matching the
// filter, always after a dry run whose count the user confirms (the server refuses with 409
// count-changed if the set moved meanwhile); reject or remove one member with a reason; open one
// member's claim (personal data: the server records each read in the audit log).
import { lang, onLanguageChange, t } from "./i18n.js";
import {
    NetworkError, StatusLine, categoriesText, el, formatDate, formatDateTime, formatMoney, formatNumber,
    genericProblem, problemName, retryAfter,
} from "./common.js";
import { COUNTRY_CODES } from "./countries.js";
import { FormErrors, countryOptions } from "./forms.js";
import { idempotencyKey } from "./dashboard-action.js";
import { fieldErrors, refusalMessage } from "./dashboard-refusal.js";
import { LatestRead, escapeCancels, redrawRows, refocus, retryAction } from "./dashboard-ui.js";
import { dateValue, setDateValue } from "./date-field.js";
import { rememberState, rememberedState } from "./dashboard-place.js";

// The filter form's fields as the API names them: the list's query parameters, the review's
// body (its filter, or the reference typed as references[0]).
const FILTER_FIELDS = { references: "reference", "filter.mandated_from": "mandated_from",
    "filter.mandated_to": "mandated_to" };

const REJECT_REASONS = ["not_affected", "incomplete", "duplicate", "outside_period", "other"];
const REMOVAL_REASONS = [...REJECT_REASONS.slice(0, 4), "claimant_request", "other"];
const PAGE = 50;
// lastTicked when the box that ticked was the head's "Select every member of this page"
const ALL = "*";
// the list shown, kept for a reload of the tab (dashboard-place.js)
const STATE_SLOT = "recours.dashboard.members";

// A country's name in the page's language ("DE" → "Allemagne"), its code where none is known.
function countryName(code) {
    try {
        return (code && new Intl.DisplayNames([lang()], { type: "region" }).of(code)) || code;
    } catch {
        return code;
    }
}
const $ = (id) => document.getElementById(id);

// The member's risk flags (docs/risk.md) in words, each with what was counted: a reason to look
// at the claim, which the filter finds and the claim says why. null: not evaluated yet.
function riskText(risk) {
    if (!risk)
        return t("ws.d.risk_pending");
    if (!Array.isArray(risk.flags) || risk.flags.length === 0)
        return t("ws.d.risk_none");
    return risk.flags.map(({ flag, evidence: e = {} }) => {
        switch (flag) {
        case "network":
            return t("ws.d.risk.network", { count: e.claims_within_hour, claims: formatNumber(e.claims_within_hour ?? 0),
                threshold: formatNumber(e.threshold ?? 0) });
        case "address":
            return t("ws.d.risk.address", { count: e.claims_at_address, claims: formatNumber(e.claims_at_address ?? 0),
                threshold: formatNumber(e.threshold ?? 0) });
        case "email_unconfirmed":
            return t("ws.d.risk.email_unconfirmed", { count: e.days, days: formatNumber(e.days ?? 0) });
        default:
            return t("ws.d.risk." + flag);
        }
    }).join(" ");
}

// The claim's review history (the member view's review.history, oldest first, the newest 100)
// in words, newest first: who decided what, when and why ("8 December 2026 at 03:47: rejected by
// the association (Outside the period)"); a volunteer deciding again saw only the last decision.
function historyFacts(history) {
    if (!Array.isArray(history) || history.length === 0)
        return t("ws.d.history_none");
    const items = [...history].reverse().map((h) => el("li", { text: t("ws.h.item", {
        date: formatDateTime(h.at),
        decision: t("ws.h." + h.decision),
        by: t("ws.h.by." + h.by),
    }) + (h.reason ? t("ws.h.reason", { reason: t("ws.reason." + h.reason) }) : "") }));
    const facts = document.createDocumentFragment();
    facts.append(el("ul", { class: "review-history" }, ...items));
    if (history.length >= 100)   // the API gives the newest 100
        facts.append(el("p", { class: "hint-plain", text: t("ws.d.history_more") }));
    return facts;
}

export class MembersTab {
    // call(method, path, opts): the page's API call with the key; onChanged(): statuses moved
    // (the summary and its charts follow); memberCount(): the action's member count as last
    // read (its facts), or null.
    constructor({ call, onChanged, memberCount = () => null }) {
        this.call = call;
        this.onChanged = onChanged;
        this.memberCount = memberCount;
        this.action = null;
        this.rows = [];
        this.cursors = [null];    // cursor of each page seen (null: the first)
        this.next = null;
        this.selected = new Set();
        this.lastTicked = null;   // the reference of the box ticked last, or ALL (the page's box)
        this.pending = null;      // {run, ...}: what the confirm box would do
        // a row's question asked under its row, in a row of its own (placeConfirm)
        this.confirmRow = el("tr", { class: "confirm-row", dataset: { carried: "" } }, el("td"));
        this.detail = null;       // {reference, body, currency}: the member's claim shown
        this.reads = new LatestRead($("member-list")); // the last read asked for is shown
        this.shown = null;        // the query of the list shown (its filter, without a cursor)
        // two lines: what the volunteer did (a review, a removal: ml-status-line), and how the
        // list stands (loading, empty, or not read: ml-list-line), so that neither hides the other
        this.status = new StatusLine($("ml-status-line"));
        this.listLine = new StatusLine($("ml-list-line"));
        this.errors = new FormErrors($("ml-filter"), $("ml-errors"));
        this.fillChoices();
        this.wire();
        onLanguageChange(() => {
            this.fillChoices();
            this.render();
            this.renderConfirm();   // an open confirmation speaks the page's language too
            // and a member's claim opened: "Réclamation …", "Fermer" stayed under English tabs
            if (this.detail && !$("ml-detail").hidden)
                this.renderDetail();
        });
    }

    fillChoices() {
        const country = $("ml-country");
        const chosen = country.value;
        country.replaceChildren(el("option", { value: "", text: t("ws.any_country") }),
            ...countryOptions(COUNTRY_CODES, lang()));
        country.value = chosen;
        const reason = $("ml-reason");
        const r = reason.value;
        reason.replaceChildren(...REJECT_REASONS.map((x) => el("option", { value: x, text: t("ws.reason." + x) })));
        reason.value = r || REJECT_REASONS[0];
    }

    wire() {
        $("ml-filter").addEventListener("submit", (ev) => {
            ev.preventDefault();
            const bad = [["ml-from", "mandated_from"], ["ml-to", "mandated_to"]]
                .filter(([id]) => dateValue($(id)) === null).map(([, field]) => ({ field, code: "invalid-date" }));
            if (bad.length) {
                this.errors.show(bad, { focus: true });
                return;
            }
            this.reload();
        });
        // the button pressed may be hidden on the page turned to (the last, the first)
        $("ml-next").addEventListener("click", async () => {
            await this.turn(this.next, true);
            refocus($("ml-next"), $("member-list-h3"));
        });
        $("ml-first").addEventListener("click", async () => {
            await this.turn(null, false);
            refocus($("ml-first"), $("member-list-h3"));
        });
        // the page before: its cursor is the one kept before this page's (cursors)
        $("ml-prev").addEventListener("click", async () => {
            await this.turn(this.cursors[this.cursors.length - 2] ?? null, "back");
            refocus($("ml-prev"), $("member-list-h3"));
        });
        $("ml-all").addEventListener("change", (ev) => {
            if (ev.target.checked)
                this.lastTicked = ALL;
            for (const m of this.rows) {
                if (ev.target.checked)
                    this.selected.add(m.reference);
                else
                    this.selected.delete(m.reference);
            }
            this.render();
        });
        // after the rows: to the selection's line, above the bulk actions (the reason, the
        // message, Verify/Reject), which a keyboard otherwise reached back through every row
        $("ml-to-bulk").addEventListener("click", () => $("ml-selected").focus());
        // before the filters: past them, the dates' calendars and the selection's actions to the
        // rows (on a phone 19 Tabs below the heading, 36 below the action's), or to the list's line
        // when none is listed
        $("ml-skip").addEventListener("click", () => {
            const target = $("ml-table").hidden ? $("ml-list-line") : $("ml-table");
            target.tabIndex = -1;
            target.focus();
        });
        $("ml-verify-selected").addEventListener("click", () => this.askReview("verified", "selected"));
        $("ml-reject-selected").addEventListener("click", () => this.askReview("rejected", "selected"));
        $("ml-verify-all").addEventListener("click", () => this.askReview("verified", "filter"));
        $("ml-reject-all").addEventListener("click", () => this.askReview("rejected", "filter"));
        // Escape within a member's claim closes it, as its Close does
        $("ml-detail").addEventListener("keydown", (ev) => {
            if (ev.key === "Escape" && !$("ml-detail").hidden) {
                ev.preventDefault();
                this.closeDetail();
            }
        });
        $("ml-confirm-no").addEventListener("click", () => {
            const back = this.pending?.back;
            this.closeConfirm();
            this.focusBack(back);
        });
        escapeCancels($("ml-confirm"), $("ml-confirm-no"));
        $("ml-confirm-yes").addEventListener("click", async () => {
            const p = this.pending;
            if (!p || p.busy)
                return;
            p.busy = true;
            const ran = await p.run();
            if (ran === false) {    // a choice missing, asked at its field: the box stays
                p.busy = false;
                return;
            }
            this.focusBack(p.back);
        });
    }

    // incident: the action's, when the page's list of open incidents holds it (its currency)
    show(action, incident = null) {
        this.incident = incident;
        if (this.action && this.action.id === action.id)
            return;
        this.action = action;
        this.shown = null;        // another action's filter and pages are not this one's
        this.cursors = [null];
        $("ml-filter").reset();
        this.errors.clear();
        $("ml-detail").hidden = true;
        this.closeConfirm();
        // the tab reloaded (a phone reloads a background tab): the filter and page it showed
        const kept = rememberedState(STATE_SLOT);
        if (kept && kept.action === action.id && typeof kept.query === "string" && Array.isArray(kept.cursors)
            && kept.cursors.length > 0) {
            const query = new URLSearchParams(kept.query);
            this.fillForm(query);
            this.cursors = kept.cursors.slice(0, -1);
            this.load(query, kept.cursors[kept.cursors.length - 1], true);
            return;
        }
        this.reload();
    }

    // Forgets the action; forget: its filter and page kept for a reload too (the key forgotten).
    close({ forget = false } = {}) {
        this.action = null;
        this.rows = [];
        this.shown = null;
        if (forget)
            rememberState(STATE_SLOT, null);
    }

    // The filter form as a list's query says (the page's state restored after a reload).
    fillForm(query) {
        const set = (id, v) => {
            $(id).value = v ?? "";
        };
        set("ml-status", query.get("status"));
        set("ml-country", query.get("country"));
        set("ml-payment", query.get("payment_preference"));
        set("ml-email", query.get("email_confirmed"));
        set("ml-risk", query.get("risk"));
        set("ml-eligibility", query.get("eligibility"));
        set("ml-reference", query.get("reference"));
        setDateValue($("ml-from"), (query.get("mandated_from") || "").slice(0, 10));
        setDateValue($("ml-to"), (query.get("mandated_to") || "").slice(0, 10));
        const sort = query.get("order") ? `${query.get("sort") || "reference"}:${query.get("order")}` : query.get("sort");
        set("ml-sort", sort || "reference");
        if (!$("ml-sort").value)
            $("ml-sort").value = "reference";
    }

    // The list shown (its filter, its pages' cursors) kept in the tab's sessionStorage, never in
    // the address: a reference typed in the search is a member's.
    remember() {
        rememberState(STATE_SLOT, { action: this.action.id, query: this.shown.toString(), cursors: this.cursors });
    }

    base() {
        return `/v1/actions/${encodeURIComponent(this.action.id)}`;
    }

    // The filter of the form as the API's fields (dates at 00:00 UTC).
    filter() {
        const f = {};
        const v = (id) => $(id).value.trim();
        if (v("ml-status"))
            f.status = v("ml-status");
        if (v("ml-country"))
            f.country = v("ml-country");
        if (v("ml-payment"))
            f.payment_preference = v("ml-payment");
        if (v("ml-email"))
            f.email_confirmed = v("ml-email") === "true";
        if (v("ml-risk"))
            f.risk = v("ml-risk");
        if (v("ml-eligibility"))
            f.eligibility = v("ml-eligibility");
        // a date that cannot be read is named at its field before any read (dateErrors)
        const from = dateValue($("ml-from"));
        const to = dateValue($("ml-to"));
        if (from)
            f.mandated_from = from + "T00:00:00Z";
        if (to)
            f.mandated_to = to + "T00:00:00Z";
        return f;
    }

    // A filter (filter()'s fields) in words, each field by its label ("Claim status: Received;
    // Country: Germany"), in the page's language; "" for none.
    describe(f) {
        const said = [];
        const add = (label, value) => said.push(`${t(label)}${t("ws.filter_colon")}${value}`);
        if (f.status)
            add("ws.f.status", t("status." + f.status));
        if (f.country)
            add("ws.f.country", countryName(f.country));
        if (f.payment_preference)
            add("ws.f.payment", t("ws.pay." + f.payment_preference));
        if (f.email_confirmed !== undefined)
            add("ws.f.email", t(f.email_confirmed ? "ws.email.yes" : "ws.email.no"));
        if (f.risk)
            add("ws.f.risk", t("ws.risk." + f.risk));
        if (f.eligibility)
            add("ws.f.eligibility", t("ws.elig." + f.eligibility));
        if (f.mandated_from)
            add("ws.f.from", formatDate(f.mandated_from.slice(0, 10)));
        if (f.mandated_to)
            add("ws.f.to", formatDate(f.mandated_to.slice(0, 10)));
        return said.join(t("ws.filter_join"));
    }

    // The list's query as the form stands (its cursor added by read).
    query() {
        const q = new URLSearchParams({ limit: String(PAGE), ...this.filter() });
        const ref = $("ml-reference").value.trim();
        if (ref)
            q.set("reference", ref);
        const [sort, order] = $("ml-sort").value.split(":");
        if (sort !== "reference")
            q.set("sort", sort);
        if (order)
            q.set("order", order);
        return q;
    }

    // The page shown, read again with its own filter, not the form as edited since (the tab
    // shown again, a review or a removal done: members added or moved meanwhile). true when
    // the list shows the answer.
    refresh() {
        return this.load(this.shown ?? this.query(), this.cursors[this.cursors.length - 1], false);
    }

    // The form's filter applied: its first page. What the line said of earlier work goes (the
    // volunteer moved on); a refresh keeps it (a review's outcome stays said under its list).
    reload() {
        this.selected.clear();
        this.status.clear();
        return this.load(this.query(), null, false);
    }

    // Another page of the list shown: the next one (forward true), the one before (forward
    // "back"), or the first (cursor null).
    turn(cursor, forward) {
        this.status.clear();
        return this.load(this.shown ?? this.query(), cursor, forward);
    }

    // Only the last read asked for is shown (the tab shown again, then Apply: the first answer
    // may come last); #member-list is aria-busy meanwhile, as "Loading…" says (LatestRead).
    // true when the list shows this read's answer.
    async load(query, cursor, forward) {
        if (!this.action)
            return false;
        const action = this.action;
        return this.reads.run((ticket) => {
            this.listLine.set({ key: "ws.loading" });
            return this.read(action, query, cursor, forward, ticket);
        });
    }

    async read(action, query, cursor, forward, ticket) {
        const q = new URLSearchParams(query);
        if (cursor)
            q.set("cursor", cursor);
        const again = () => this.load(query, cursor, forward);
        let r;
        try {
            r = await this.call("GET", `${this.base()}/members?${q}`);
        } catch (e) {
            if (!(e instanceof NetworkError))
                throw e;
            if (this.action === action && ticket.latest())
                this.unread(query, { kind: "error", key: "ws.unread.network" }, again);
            return false;
        }
        // another action chosen meanwhile (its own list is on its way), or a later read
        if (r.status === 401 || this.action !== action || !ticket.latest())
            return false;
        if (r.status !== 200 || !r.body || !Array.isArray(r.body.data)) {
            this.refusedRead(query, r, again);
            return false;
        }
        this.errors.clear();
        if (forward === "back")
            this.cursors.pop();
        else if (forward)
            this.cursors.push(cursor);
        if (!cursor)
            this.cursors = [null];   // a first page: of a filter applied, "first page", or back to it
        this.shown = query;
        this.remember();
        this.rows = r.body.data;
        this.next = r.body.next || null;
        this.listLine.set(this.rows.length ? null : { key: "ws.none" });
        this.render();
        return true;
    }

    // A read refused. A filter the server cannot read (its fields named) is said at them and
    // the list stays that of the filter applied before, which it still is; any other refusal
    // leaves no list to show (unread).
    refusedRead(query, r, again) {
        if (fieldErrors(r, FILTER_FIELDS)) {
            this.refused(r);
            this.listLine.set(this.rows.length ? null : { key: "ws.none" });
            return;
        }
        // the server's state (5xx), its load (429): the same read may pass later
        if (r.status >= 500 || r.status === 429) {
            const busy = r.status === 503 || r.status === 429;
            this.unread(query, busy ? { kind: "error", key: "ws.unread.busy", params: { seconds: retryAfter(r) } }
                : { kind: "error", key: "ws.unread.error", params: { status: r.status } }, again);
            return;
        }
        // a cursor the list no longer knows ("go back to its first page"): that page, at a press
        if (problemName(r) === "invalid-cursor") {
            this.unread(query, refusalMessage(r), () => this.turn(null, false), "ws.first_page");
            return;
        }
        this.unread(query, refusalMessage(r), null);
    }

    // The list could not be read: the rows of an earlier read go (never shown as this read's
    // answer: a review done, they would show members as they were before it), and the list's
    // line says why, with a button to read again where that may help.
    unread(query, message, again, againKey = "common.retry") {
        this.shown = query;
        this.rows = [];
        this.next = null;
        this.render();
        // Try again leaves the focus where it was, on this line, then on the list read (the
        // heading is above the filters: on a phone, screens back up)
        this.listLine.set({ ...message, action: again ? retryAction("member-list-h3", again, againKey,
            { at: $("ml-list-line"), list: $("ml-table") }) : null });
    }

    render() {
        if (!this.action)
            return;
        const cell = (col, content, cls) => el("td", { class: cls, dataset: { label: t("ws.col." + col) } }, content);
        const rows = this.rows.map((m) => {
            const box = el("input", { type: "checkbox", "aria-label": t("ws.select_one", { reference: m.reference }) });
            box.checked = this.selected.has(m.reference);
            box.addEventListener("change", () => {
                if (box.checked) {
                    this.selected.add(m.reference);
                    this.lastTicked = m.reference;
                } else
                    this.selected.delete(m.reference);
                this.renderSelection();
                // the bar this tick showed may cover the box, at the viewport's bottom: the box
                // scrolled above it (the page's scroll-padding, dashboard.css), else untouched
                if (!$("ml-selbar").hidden)
                    box.scrollIntoView({ block: "nearest" });
            });
            const open = el("button", { type: "button", class: "link-button mono", text: m.reference,
                "aria-label": t("ws.view_named", { reference: m.reference }), dataset: { act: "open" } });
            open.addEventListener("click", () => this.openMember(m.reference));
            const reject = el("button", { type: "button", class: "button secondary small", text: t("ws.reject"),
                "aria-label": t("ws.reject_named", { reference: m.reference }), dataset: { act: "reject" } });
            reject.addEventListener("click", () => this.askReview("rejected", "one", m.reference));
            const remove = el("button", { type: "button", class: "button secondary small", text: t("ws.remove"),
                "aria-label": t("ws.remove_named", { reference: m.reference }), dataset: { act: "remove" } });
            remove.addEventListener("click", () => this.askRemove(m.reference));
            // a rejection made by mistake is undone where it shows: the rejected row offers Verify
            // (else only the selection's Verify, above the list, could lift it)
            const verify = m.claim_status === "rejected" ? [el("button", { type: "button", class: "button secondary small",
                text: t("ws.verify"), "aria-label": t("ws.verify_named", { reference: m.reference }),
                dataset: { act: "verify" } }), " "] : [];
            verify[0]?.addEventListener("click", () => this.askReview("verified", "one", m.reference));
            const st = t("status." + m.claim_status) + (m.review_reason ? ` — ${t("ws.reason." + m.review_reason)}` : "");
            return el("tr", { dataset: { reference: m.reference, status: m.claim_status } },
                el("td", { class: "cell-check", dataset: { label: t("ws.col.select") } }, box),
                cell("reference", open),
                cell("status", st),
                // its name, as the filter and the claim say it: a screen reader spelled "BE" out
                cell("country", countryName(m.country)),
                cell("payment", t("ws.pay." + m.payment_preference)),
                cell("mandated", formatDate(m.mandated_at), "nowrap"),
                cell("duplicates", formatNumber(m.duplicate_attempts), "num"),
                el("td", { class: "cell-action" }, ...verify, reject, " ", remove));
        });
        // what is carried from the rows drawn before to these (the selection's bar) keeps the focus
        const carried = document.activeElement?.closest("[data-carried]") ? document.activeElement : null;
        this.placeBar(rows);
        redrawRows($("ml-rows"), "reference", this.placeConfirm(rows), $("member-list-h3"));
        if (carried && document.activeElement !== carried)
            refocus(carried);
        $("ml-table").hidden = this.rows.length === 0;
        // no member listed: nothing to select, verify or reject (the buttons would only count 0)
        $("ml-bulk").hidden = this.rows.length === 0;
        $("ml-next").hidden = !this.next;
        $("ml-first").hidden = this.cursors.length <= 2;   // on the second page, Previous is it
        $("ml-prev").hidden = this.cursors.length <= 1;
        $("ml-range").textContent = this.rows.length ? this.range() : "";
        this.renderSelection();
    }

    // Where the page shown stands in the list, "Members 51–100 of 120": the pages turned say
    // its first; the total is known on the last page (nothing after it), or, for the list with
    // no filter, is the action's member count (the API gives no count of a filtered list).
    range() {
        const from = (this.cursors.length - 1) * PAGE + 1;
        const to = from + this.rows.length - 1;
        const unfiltered = [...new URLSearchParams(this.shown ?? "").keys()]
            .every((k) => ["limit", "sort", "order"].includes(k));
        const count = this.memberCount();
        const total = !this.next ? to : unfiltered && Number.isInteger(count) && count > to ? count : null;
        const params = { from: formatNumber(from), to: formatNumber(to), count: this.rows.length };
        return total === null ? t("ws.page_range_open", params) : t("ws.page_range", { ...params, total: formatNumber(total) });
    }

    renderSelection() {
        const count = formatNumber(this.selected.size);
        $("ml-selected").textContent = `${this.rows.length ? this.range() : ""} · ` + t("ws.selected", { count });
        // the head's box follows the rows' (a row unticked after "Select every member" unticks it)
        $("ml-all").checked = this.rows.length > 0 && this.rows.every((m) => this.selected.has(m.reference));
        // shown once a member is ticked, its count in its name (a screen reader says it; the
        // selection's line above, a live region, says it as each box is ticked)
        $("ml-selbar").hidden = this.selected.size === 0 || this.rows.length === 0;
        $("ml-to-bulk").textContent = t("ws.to_bulk", { count });
        this.placeBar(Array.from($("ml-rows").rows));
    }

    // The selection's bar, "Act on the 3 selected members", leads to the selection's actions
    // above the rows. It appears with the first tick, fixed at the viewport's bottom (the
    // contextual action bar of Material Design: what acts on a selection shows with it, in sight
    // wherever the list is scrolled; a phone's finger on row 40 had the actions 2,400 px above),
    // and it stands in the DOM right after the box ticked last (WCAG 2.x technique SCR26:
    // content a control reveals follows it in the DOM, hence in the Tab order): a keyboard that
    // ticked row 40 reaches it by one Tab, where after the table it was ten rows' controls away
    // and, from the first row, some 200 Tabs. No box ticked listed (unticked since, the page
    // turned): after the table. rows: the rows it goes in (drawn anew, or the page's).
    placeBar(rows) {
        const bar = $("ml-selbar");
        let at = $("ml-selbar-home");
        if (this.lastTicked === ALL && $("ml-all").checked)
            at = $("ml-all").parentElement;
        else if (this.lastTicked && this.selected.has(this.lastTicked))
            at = rows.find((r) => r.dataset.reference === this.lastTicked)?.querySelector("td.cell-check") ?? at;
        if (bar.parentElement !== at)
            at.append(bar);
    }

    // --- review ------------------------------------------------------------------------------

    // which: "selected", "filter" or "one" (reference). A dry run first; the count confirmed.
    async askReview(decision, which, reference) {
        this.closeConfirm();
        const body = { decision };
        // a row's rejection asks its reason in its confirmation, where the row's Reject was
        // pressed: the choice above the list is for the selection and the filter (on a phone,
        // screens away, a member was rejected with a reason never seen)
        const rejection = decision === "rejected" && which === "one" ? this.rowRejection() : null;
        if (decision === "rejected") {
            body.reason = $("ml-reason").value;
            // the note above the list is the selection's and the filter's: typed for a bulk
            // rejection, it went unseen to the member rejected from a row (the row asks its own)
            const note = rejection ? "" : $("ml-note").value.trim();
            if (note)
                body.note = note;
        }
        // the message every member rejected will read, said in the confirmation (typed a while
        // ago, or screens away on a phone, it would go unseen)
        const noteSaid = () => (body.note && !rejection ? " " + t("ws.confirm_note", { note: body.note, count }) : "");
        if (which === "filter") {
            const ref = $("ml-reference").value.trim();
            if (ref)
                body.references = [ref];
            else
                body.filter = this.filter();
        } else {
            const refs = which === "one" ? [reference] : [...this.selected];
            if (!refs.length) {
                this.status.set({ kind: "error", key: "ws.need_selection" });
                return;
            }
            body.references = refs;
        }
        this.status.set({ key: "ws.counting" });
        const r = await this.post("/reviews", { ...body, dry_run: true });
        if (!r)
            return;
        if (r.status !== 200) {
            this.refused(r);
            return;
        }
        this.errors.clear();
        const count = r.body.count;
        if (count === 0) {
            // a row's member that would not change: rejected already, or no longer a member
            if (which === "one" && !(await this.stillMember(reference)))
                await this.memberGone(reference);
            else
                this.status.set({ kind: "info", key: "ws.nothing" });
            return;
        }
        // a decision moves every member whose status differs from it (docs/workspace.md): on a
        // filter that does not name a status, it also overturns the members decided the other
        // way, which the confirmation says rather than hide them in the count
        const other = decision === "verified" ? "rejected" : "verified";
        let overturned = 0;
        if (body.filter && !body.filter.status) {
            const o = await this.post("/reviews",
                { ...body, filter: { ...body.filter, status: other }, dry_run: true });
            if (!o)
                return;
            if (o.status !== 200) {
                this.refused(o);
                return;
            }
            overturned = o.body.count;
        }
        this.status.clear();
        // a row's decision names its member (the box opens under its row: a screen reader hears
        // the question, not the rows around it)
        const named = which === "one" ? "_named" : "";
        const text = () => (decision === "verified"
            ? t("ws.confirm_verify" + named, { count: formatNumber(count), reference })
            : rejection ? rejection.text(reference)
            : t("ws.confirm_reject" + named, { count: formatNumber(count), reference, reason: t("ws.reason." + body.reason) })
                + noteSaid())
            + (overturned > 0 ? " " + t("ws.confirm_overturn_" + decision, { count: formatNumber(overturned) }) : "");
        const back = which === "one" ? this.rowButton(reference, decision === "verified" ? "verify" : "reject", "reject")
            : () => $(`ml-${decision === "verified" ? "verify" : "reject"}-${which === "filter" ? "all" : "selected"}`);
        this.confirm(text, () => t("ws.confirm_yes", { count: formatNumber(count) }), back, async () => {
            if (rejection) {
                if (!rejection.chosen())
                    return false;   // asked at its field; the confirmation stays open
                body.reason = rejection.select.value;
                const note = rejection.note.value.trim();
                if (note)
                    body.note = note;
            }
            const done = await this.decide("/reviews", { ...body, expected_count: count });
            if (done === false)
                return false;
            if (!done)
                return;
            if (done.status === 409 && problemName(done) === "count-changed") {
                this.status.set({ kind: "error", key: "ws.count_changed" });
                return;
            }
            if (done.status !== 200) {
                this.refused(done);
                return;
            }
            this.selected.clear();
            await this.refresh();   // the list's own line says if it could not be read
            this.status.set({ kind: "success", key: "ws.done_review", params: { count: formatNumber(done.body.count) } });
            this.onChanged();
        }, rejection?.field, which === "one" ? reference : null);
        rejection?.select.addEventListener("change", () => this.renderConfirm());
    }

    // One row's rejection, asked in its confirmation: its reason, none chosen until the
    // volunteer chooses one (a default would be sent unseen; Yes without one says so at it), and
    // its message to the claimant, empty unless typed there (the claimant reads it).
    rowRejection() {
        const select = el("select", { id: "ml-confirm-reason", "aria-describedby": "ml-confirm-text" },
            el("option", { value: "" }), ...REJECT_REASONS.map((x) => el("option", { value: x })));
        const label = el("label", { for: "ml-confirm-reason" });
        const error = el("p", { id: "ml-confirm-reason-error", class: "error-msg", hidden: true });
        const note = el("textarea", { id: "ml-confirm-note", rows: "2", maxlength: "1000",
            "aria-describedby": "ml-confirm-note-hint" });
        const noteLabel = el("label", { for: "ml-confirm-note" });
        const noteHint = el("p", { id: "ml-confirm-note-hint", class: "hint" });
        const field = el("div", {}, el("div", { class: "field" }, label, error, select),
            el("div", { class: "field" }, noteLabel, noteHint, note));
        return {
            select, field, note,
            text: (reference) => {
                label.textContent = t("ws.f.reject_reason", { reference });
                noteLabel.textContent = t("ws.f.note_named", { reference });
                noteHint.textContent = t("ws.f.note_hint");
                select.options[0].textContent = t("ws.choose_reason");
                for (const o of [...select.options].slice(1))
                    o.textContent = t("ws.reason." + o.value);
                error.textContent = t("ws.need_reason");
                return select.value ? t("ws.confirm_reject_named", { reference, reason: t("ws.reason." + select.value) })
                    : t("ws.confirm_reject_ask", { reference });
            },
            chosen: () => {
                const ok = select.value !== "";
                error.hidden = ok;
                select.setAttribute("aria-invalid", String(!ok));
                select.setAttribute("aria-describedby", ok ? "ml-confirm-text" : "ml-confirm-reason-error ml-confirm-text");
                if (!ok)
                    select.focus();
                return ok;
            },
        };
    }

    askRemove(reference) {
        this.closeConfirm();
        const select = el("select", { id: "ml-remove-reason", "aria-describedby": "ml-confirm-text" },
            ...REMOVAL_REASONS.map((x) => el("option", { value: x })));
        // its own label, seen (the rejection's reason above is another choice)
        const label = el("label", { for: "ml-remove-reason" });
        const field = el("div", { class: "field" }, label, select);
        const text = () => {
            label.textContent = t("ws.f.removal_reason");
            for (const o of select.options)
                o.textContent = t("ws.reason." + o.value);
            return t("ws.confirm_remove", { reference, reason: t("ws.reason." + select.value) });
        };
        this.confirm(text, () => t("ws.confirm_remove_yes"), this.afterRemoval(reference), async () => {
            const done = await this.decide(`/members/${encodeURIComponent(reference)}/removal`, { reason: select.value });
            if (done === false)
                return false;
            if (!done)
                return;
            if (done.status === 404) {
                await this.memberGone(reference);
                return;
            }
            if (done.status !== 200) {
                this.status.set(refusalMessage(done));
                return;
            }
            this.selected.delete(reference);
            await this.refresh();
            this.status.set({ kind: "success", key: "ws.done_remove", params: { reference } });
            this.onChanged();
        }, field, reference);
        select.addEventListener("change", () => this.renderConfirm());
    }

    // A refusal of the filter (a malformed reference, a date): at its field when the problem
    // names it, else in words.
    refused(r) {
        // a reference the server cannot read, whichever way it says so: "like RC-7K3M-Q9XD"
        const list = fieldErrors(r, FILTER_FIELDS)?.map((e) => (e.field === "reference"
            ? { ...e, code: "invalid-format" } : e));
        if (list) {
            this.status.clear();
            this.errors.show(list, { focus: true });
        } else {
            this.errors.clear();
            this.status.set(refusalMessage(r));
        }
    }

    // The confirmation of a review or a removal. text(), yes(): its words, said again in the
    // page's language when it changes; back(): the control it was asked from, where the focus
    // returns once it is closed (run done, or Cancel). The focus lands on extra's choice (the
    // removal's reason) when there is one: on the button, Enter removed with the first reason,
    // the choice skipped unseen. row: the reference of the row it is about, under which it opens.
    confirm(text, yes, back, run, extra, row = null) {
        this.pending = { run, text, yes, back, row };
        const box = $("ml-confirm");
        box.querySelector(".confirm-extra")?.remove();
        if (extra) {
            extra.classList.add("confirm-extra");
            box.insertBefore(extra, box.lastElementChild);
        }
        const rows = Array.from($("ml-rows").rows).filter((r) => r !== this.confirmRow);
        const placed = this.placeConfirm(rows);
        if (placed !== rows)
            rows[placed.indexOf(this.confirmRow) - 1].after(this.confirmRow);
        this.renderConfirm();
        box.hidden = false;
        (extra?.querySelector("select") ?? $("ml-confirm-yes")).focus();
    }

    renderConfirm() {
        if (!this.pending)
            return;
        $("ml-confirm-text").textContent = this.pending.text();
        $("ml-confirm-yes").textContent = this.pending.yes();
        const unsent = $("ml-confirm-unsent");
        unsent.hidden = !this.pending.unsent;
        unsent.textContent = this.pending.unsent ? t("ws.confirm_unsent") : "";
    }

    // A row's button, found again once the rows are drawn anew (after a review, a refresh): the
    // first of acts the row still has (a rejection lifted, its Verify is gone: its Reject).
    rowButton(reference, ...acts) {
        return () => acts.map((act) => $("ml-rows")
            .querySelector(`tr[data-reference="${CSS.escape(reference)}"] button[data-act="${act}"]`)).find(Boolean);
    }

    // Where the focus goes once a removal's confirmation closes: on the row's Remove while the
    // row is there (cancelled, refused); the row gone, on the Remove of the row that took its
    // place (the next), else of the one before it (it was the last), else on the list's line
    // ("No member matches."), while the line above the filters says politely what was done:
    // the members' heading sits above the filters, and on a phone a reader lost their place.
    afterRemoval(reference) {
        const index = this.rows.findIndex((m) => m.reference === reference);
        return () => {
            const same = this.rowButton(reference, "remove")();
            if (same)
                return same;
            const rows = $("ml-rows").rows;
            const row = rows.length ? rows[Math.min(Math.max(index, 0), rows.length - 1)] : null;
            if (row)
                return row.querySelector('button[data-act="remove"]');
            const line = $("ml-list-line");
            line.tabIndex = -1;
            return line;
        };
    }

    // The focus after a confirmation closed: on the control it was asked from when it is still
    // shown, else (a member removed, the bulk buttons hidden by an empty list) on the list's
    // heading; never left on the hidden box, where a keyboard would start again from the top.
    focusBack(back) {
        const target = back?.();
        if (target && target.offsetParent !== null)
            target.focus();
        else
            $("member-list-h3").focus();
    }

    closeConfirm() {
        this.pending = null;
        $("ml-confirm").hidden = true;
        $("ml-confirm").querySelector(".confirm-extra")?.remove();
        this.placeConfirm([]);   // back above the list, where the selection's are asked
    }

    // A row's question (its rejection, removal, Verify) is asked in a row of its own right under
    // its row, spanning the table (as an inline edit row, or the WAI-ARIA disclosure pattern:
    // what a control opens follows it): above the list, on a 360 px phone it opened 2,400 px
    // from row 40, and the volunteer lost their place; once closed, the focus goes back to the
    // row (focusBack). The selection's and the filter's, and a row's whose row is not listed
    // (gone meanwhile), are asked above the list. rows: the rows to draw; returns them with
    // the question's row after its member's (the list drawn anew, a language change: it stays).
    placeConfirm(rows) {
        const box = $("ml-confirm");
        const ref = this.pending?.row;
        const tr = ref ? rows.find((r) => r.dataset.reference === ref) : null;
        if (!tr) {
            this.confirmRow.remove();
            if (box.parentElement !== $("ml-bulk"))
                $("ml-bulk").append(box);
            return rows;
        }
        const td = this.confirmRow.firstElementChild;
        td.colSpan = $("ml-table").tHead.rows[0].cells.length;
        if (box.parentElement !== td)
            td.append(box);
        const at = rows.indexOf(tr) + 1;
        return [...rows.slice(0, at), this.confirmRow, ...rows.slice(at)];
    }

    // The answer, or null when the key was refused (the page asks for it again) or, said on the
    // line under the filters, no answer came; undefined instead of the latter with unsent (a
    // confirmation, which says it itself). key: the Idempotency-Key (a confirmation's Yes
    // pressed again sends the same: a decision that reached the server is answered as it was,
    // not made twice).
    async post(path, body, key = idempotencyKey(), unsent = false) {
        try {
            const r = await this.call("POST", this.base() + path,
                { body, headers: { "Idempotency-Key": key } });
            return r.status === 401 ? null : r;
        } catch (e) {
            if (!(e instanceof NetworkError))
                throw e;
            if (unsent)
                return undefined;
            this.status.set(genericProblem(e));
            return null;
        }
    }

    // A confirmation's decision sent; false when no answer came (the connection lost): the
    // question stays open, its reason and message kept, and says so; Yes sends it again under
    // the same Idempotency-Key while the body is the same (another reason chosen meanwhile is
    // another request). Typed into a row's question under row 40, a message to the claimant was
    // lost with it, the line saying why screens up, above the filters.
    async decide(path, body) {
        const p = this.pending;
        const json = JSON.stringify(body);
        if (p && p.sent?.json !== json)
            p.sent = { json, key: idempotencyKey() };
        const done = await this.post(path, body, p?.sent.key, true);
        if (done === undefined && p && this.pending === p) {
            p.unsent = true;
            this.renderConfirm();
            return false;
        }
        this.closeConfirm();
        return done;
    }

    // --- one member's claim ------------------------------------------------------------------

    // Whether reference is still a member: the list filtered on it (not the member's claim,
    // whose read is audited); a failed read counts as still there (the caller says no more).
    async stillMember(reference) {
        try {
            const q = new URLSearchParams({ limit: "1", reference });
            const r = await this.call("GET", `${this.base()}/members?${q}`);
            return r.status !== 200 || !Array.isArray(r.body?.data) || r.body.data.length > 0;
        } catch (e) {
            if (!(e instanceof NetworkError))
                throw e;
            return true;
        }
    }

    // A member listed here and no longer in the action (removed by another volunteer, the
    // mandate revoked from /my-claim): its claim or its removal answers 404, its rejection
    // counts none. Said in words, the list read again without it, its claim (if shown) closed.
    async memberGone(reference) {
        this.selected.delete(reference);
        if ($("ml-detail").dataset.reference === reference)
            $("ml-detail").hidden = true;
        const current = await this.refresh();
        // "the list is shown as it is now" only when it is (else its line says why not)
        this.status.set({ kind: "error", key: current ? "ws.member_gone" : "ws.member_gone_unlisted",
            params: { reference } });
    }

    // The currency of a member's incident: the page's incident, else read (an incident closed
    // since is not in the page's list); null when it cannot be read.
    async currencyOf(slug) {
        if (this.incident?.slug === slug)
            return this.incident.currency;
        try {
            const r = await this.call("GET", `/v1/incidents/${encodeURIComponent(slug)}`);
            return r.status === 200 ? r.body?.currency ?? null : null;
        } catch (e) {
            if (!(e instanceof NetworkError))
                throw e;
            return null;
        }
    }

    // The member's claim closed (its Close, Escape within it): the focus back on the reference
    // that opened it, while its row is listed.
    closeDetail() {
        const detail = $("ml-detail");
        detail.hidden = true;
        this.detail = null;   // its personal data kept no longer than shown
        this.focusBack(this.rowButton(detail.dataset.reference, "open"));
    }

    async openMember(reference) {
        let r;
        try {
            r = await this.call("GET", `${this.base()}/members/${encodeURIComponent(reference)}`);
        } catch (e) {
            if (!(e instanceof NetworkError))
                throw e;
            this.status.set(genericProblem(e));
            return;
        }
        if (r.status === 401)
            return;
        if (r.status === 404) {
            this.memberGone(reference);
            return;
        }
        if (r.status !== 200 || !r.body) {
            this.status.set(refusalMessage(r));
            return;
        }
        // whether the claimant confirmed the address: the list's row says it (the member view
        // does not); a row no longer listed leaves it unsaid
        const listed = this.rows.find((m) => m.reference === reference);
        this.detail = { reference, body: r.body, currency: await this.currencyOf(r.body.claim.incident),
            emailConfirmed: listed ? listed.email_confirmed : null };
        this.renderDetail();
        $("ml-detail").dataset.reference = reference;
        $("ml-detail").hidden = false;
        $("ml-detail").focus();
    }

    // The member's claim opened, in the page's language (drawn again when it changes).
    renderDetail() {
        const { reference, body, currency, emailConfirmed } = this.detail;
        const { claim, review, duplicate_attempts: dup } = body;
        const p = claim.claimant || {};
        const a = p.address || {};
        const h = claim.harms || {};
        const row = (key, value, cls) => el("div", {}, el("dt", { text: t(key) }), el("dd", { class: cls }, value || "—"));
        // what the claimant says happened, read before a decision (incomplete, not affected)
        const harms = ["phishing", "identity_theft", "distress"].filter((k) => h[k]).map((k) => t("ws.d.harm." + k));
        // at its top, beside its heading, and kept in sight while the claim is scrolled through
        // (dashboard.css): at its foot, a phone's finger reached it sixteen facts down
        const close = el("button", { type: "button", class: "button secondary small", text: t("ws.close") });
        close.addEventListener("click", () => this.closeDetail());
        $("ml-detail").replaceChildren(
            el("div", { class: "detail-head" }, el("h4", { text: t("ws.detail_h4", { reference }) }), close),
            el("p", { class: "hint-plain", text: t("ws.detail_audit") }),
            el("dl", { class: "facts" },
                // first: the facts below are read with them in mind (at the foot, on a phone
                // they came seventeen facts down)
                row("ws.d.risk", riskText(body.risk)),
                row("ws.d.name", [p.given_name, p.family_name].filter(Boolean).join(" ")),
                row("ws.d.email", p.email),
                ...(typeof emailConfirmed === "boolean"
                    ? [row("ws.d.email_confirmed", t(emailConfirmed ? "ws.email.yes" : "ws.email.no"))] : []),
                row("ws.d.phone", p.phone),
                row("ws.d.address", [a.line1, a.line2, a.postal_code, a.city, countryName(a.country)].filter(Boolean).join(", ")),
                row("ws.d.birth_date", p.birth_date ? formatDate(p.birth_date) : null),
                row("ws.d.categories", categoriesText(claim.data_categories || [])),
                row("ws.d.harms", harms.length ? harms.join(", ") : t("ws.d.harms_none")),
                row("ws.d.loss", currency ? formatMoney(h.documented_loss ?? 0, currency)
                    : t("ws.d.minor_units", { value: formatNumber(h.documented_loss ?? 0) })),
                row("ws.d.hours", formatNumber(h.hours_spent ?? 0)),
                row("ws.d.description", h.description, "prewrap"),
                row("ws.d.payment", t("ws.pay." + claim.payment_preference)),
                row("ws.d.submitted", formatDateTime(claim.created_at)),
                ...(claim.mandate ? [row("ws.d.mandated", formatDateTime(claim.mandate.mandated_at))] : []),
                row("ws.d.review", t("status." + review.status)),
                ...(review.reason ? [row("ws.d.reason", t("ws.reason." + review.reason))] : []),
                ...(review.note ? [row("ws.d.note", review.note)] : []),
                ...(review.correctable_until ? [row("ws.d.correctable", formatDateTime(review.correctable_until))] : []),
                row("ws.d.history", historyFacts(review.history)),
                // none refused: "0", not "0 (dates: —)"
                row("ws.d.duplicates", dup.count === 0 ? formatNumber(0) : t("ws.d.duplicates_value",
                    { count: formatNumber(dup.count), dates: dup.dates.map(formatDate).join(", ") || "—" }))));
    }
}
