// SPDX-License-Identifier: AGPL-3.0-or-later
// The notices tab (docs/workspace.md "Notices"): write a notice in French and English (its
// kind says whether it is essential), save it and preview it as a member receives it (the
// server renders it: GET …/preview), choose its recipients (every member, or the filter of the
// Members tab), count them (a dry run), send on that count confirmed (expected_count; 409
// count-changed if the members moved meanwhile), then follow each notice's progress (queued,
// sent, failed) in the list of the action's notices, where a send in progress may be stopped
// ("Stop sending": POST …/cancel, confirmed on the count still queued) and a draft deleted
// ("Delete draft": DELETE). The tab's markup is made here and mounted in #panel-notices; its
// words are the catalogue's "notices.*" keys.
import { applyI18n, onLanguageChange, t } from "./i18n.js";
import {
    NetworkError, StatusLine, el, formatDateTime, formatNumber, genericProblem, problemName,
} from "./common.js";
import { FormErrors } from "./forms.js";
import { idempotencyKey } from "./dashboard-action.js";
import { fieldErrors, refusalMessage } from "./dashboard-refusal.js";
import { LatestRead, escapeCancels, redrawRows, retryAction } from "./dashboard-ui.js";

const KINDS = ["information", "rejection", "deadline", "payment"];
const LANGS = ["fr", "en"];
const POLL_MS = 2000; // the progress of a notice being delivered is read again this often
const $ = (id) => document.getElementById(id);

// A labelled field; control gets id and the hint's aria-describedby. path: the field of the
// notice's body whose errors it shows (forms.js: data-field, its error-msg).
function field(id, labelKey, control, hintKey, path) {
    control.id = id;
    const parts = [el("label", { for: id, "data-i18n": labelKey })];
    if (hintKey) {
        parts.push(el("p", { class: "hint", id: id + "-hint", "data-i18n": hintKey }));
        control.setAttribute("aria-describedby", id + "-hint");
    }
    parts.push(el("p", { class: "error-msg", id: id + "-error", hidden: true }));
    return el("div", { class: "field", dataset: { field: path, labelKey } }, ...parts, control);
}

export class NoticesTab {
    // call(method, path, opts): the page's API call with the key; currentFilter(): the
    // Members tab's filter as the API's fields.
    constructor({ call, currentFilter, describeFilter }) {
        this.call = call;
        this.currentFilter = currentFilter;
        this.describeFilter = describeFilter;
        this.action = null;
        this.draft = null;        // {notice, texts}: the last saved draft and what it holds
        this.previewLang = "fr";
        this.counted = null;      // {recipients, skipped, filter}: the dry run confirmed next
        this.notices = [];
        this.timer = null;
        this.busy = false;
        this.mount($("panel-notices"));
        this.status = new StatusLine($("nt-status"));
        this.errors = new FormErrors($("nt-form"), $("nt-errors"));
        this.sendStatus = new StatusLine($("nt-send-status"));
        this.listStatus = new StatusLine($("nt-list-status"));
        this.reads = new LatestRead($("nt-list")); // a poll and Refresh: the last one is shown
        this.asked = null;        // {what: "stop"|"delete", notice, queued}: the row's confirmation
        onLanguageChange(() => {
            this.fillKinds();
            this.renderPreview();
            this.renderConfirm();
            this.renderList();
            this.renderAsk();
        });
    }

    mount(panel) {
        const langBlock = (l) => el("fieldset", { class: "group" },
            el("legend", { "data-i18n": "notices.lang." + l }),
            field(`nt-subject-${l}`, `notices.subject_${l}`,
                el("input", { type: "text", maxlength: "200", required: true, lang: l }), null,
                `texts.${l}.subject`),
            field(`nt-body-${l}`, `notices.body_${l}`,
                el("textarea", { rows: "6", maxlength: "20000", required: true, lang: l }),
                "notices.body_hint", `texts.${l}.body`));
        const form = el("form", { id: "nt-form", method: "post", action: "/dashboard",
            novalidate: true, autocomplete: "off" },
        el("div", { id: "nt-errors", class: "error-summary", tabindex: "-1", hidden: true }),
        field("nt-kind", "notices.kind", el("select", {}), null, "kind"),
        ...LANGS.map(langBlock),
        el("div", { id: "nt-status", class: "status", role: "status", "aria-live": "polite", hidden: true }),
        el("p", { class: "actions" },
            el("button", { id: "nt-save", type: "submit", class: "button primary", "data-i18n": "notices.preview" })));
        const preview = el("div", { id: "nt-preview", class: "result", hidden: true },
            el("h4", { id: "nt-preview-h4", tabindex: "-1", "data-i18n": "notices.preview_h4" }),
            el("div", { class: "actions", role: "group", "data-i18n-attr": "aria-label:notices.preview_lang" },
                ...LANGS.map((l) => el("button", { type: "button", id: `nt-preview-${l}`,
                    class: "button secondary small", "data-preview-lang": l, "data-i18n": "notices.lang." + l }))),
            el("dl", { class: "facts" },
                el("div", {}, el("dt", { "data-i18n": "notices.preview_subject" }),
                    el("dd", { id: "nt-preview-subject" }))),
            // the text part as sent, its lines kept, scrollable when long (the mandate's box)
            el("div", { id: "nt-preview-text", class: "mandate-text", tabindex: "0", role: "region",
                "aria-labelledby": "nt-preview-h4" }));
        const send = el("div", { id: "nt-send", hidden: true },
            el("fieldset", { class: "group" },
                el("legend", { "data-i18n": "notices.audience" }),
                el("div", { class: "checkboxes" },
                    ...["all", "filter"].map((a) => el("div", { class: "check" },
                        el("input", { type: "radio", name: "nt-audience", id: `nt-audience-${a}`,
                            value: a, checked: a === "all" }),
                        el("label", { for: `nt-audience-${a}`, "data-i18n": "notices.audience." + a }))))),
            el("p", { class: "actions" },
                el("button", { id: "nt-count", type: "button", class: "button secondary", "data-i18n": "notices.count" })),
            el("div", { id: "nt-confirm", class: "confirm", hidden: true },
                el("p", { id: "nt-confirm-text" }),
                el("p", { class: "actions" },
                    // the focus lands here: the question is its description, read with it
                    el("button", { id: "nt-confirm-yes", type: "button", class: "button primary",
                        "aria-describedby": "nt-confirm-text" }),
                    el("button", { id: "nt-confirm-no", type: "button", class: "button secondary", "data-i18n": "notices.cancel" }))),
            el("div", { id: "nt-send-status", class: "status", role: "status", "aria-live": "polite", hidden: true }));
        const list = el("section", { id: "nt-list", "aria-labelledby": "nt-list-h4", "aria-busy": "false" },
            el("h4", { id: "nt-list-h4", tabindex: "-1", "data-i18n": "notices.past_h4" }),
            el("div", { id: "nt-list-status", class: "status", role: "status", "aria-live": "polite", hidden: true }),
            el("div", { class: "table-wrap" },
                el("table", { id: "nt-table", class: "incidents-table", hidden: true },
                    el("caption", { class: "visually-hidden", "data-i18n": "notices.caption" }),
                    el("thead", {}, el("tr", {}, ...["date", "subject", "kind", "state", "recipients", "progress", "actions"]
                        .map((c) => el("th", { scope: "col", class: c === "recipients" ? "num" : null,
                            "data-i18n": "notices.col." + c })))),
                    el("tbody", { id: "nt-rows" }))),
            // a row's stop or delete, confirmed here (the count still queued is read first)
            el("div", { id: "nt-ask", class: "confirm", hidden: true },
                el("p", { id: "nt-ask-text" }),
                el("p", { class: "actions" },
                    el("button", { id: "nt-ask-yes", type: "button", class: "button primary",
                        "aria-describedby": "nt-ask-text" }),
                    el("button", { id: "nt-ask-no", type: "button", class: "button secondary" }))),
            el("p", { class: "more" },
                el("button", { id: "nt-refresh", type: "button", class: "button secondary small", "data-i18n": "notices.refresh" })));
        panel.replaceChildren(el("section", { "aria-labelledby": "nt-h3" },
            el("h3", { id: "nt-h3", "data-i18n": "notices.h3" }),
            el("p", { class: "hint-plain", "data-i18n": "notices.intro" }),
            form, preview, send, list));
        applyI18n(panel);
        this.fillKinds();
        form.addEventListener("submit", (ev) => {
            ev.preventDefault();
            this.save();
        });
        for (const l of LANGS)
            $(`nt-preview-${l}`).addEventListener("click", () => this.preview(l));
        $("nt-count").addEventListener("click", () => this.count());
        $("nt-confirm-yes").addEventListener("click", () => this.send());
        $("nt-confirm-no").addEventListener("click", () => {
            this.counted = null;
            this.renderConfirm();
            $("nt-count").focus();
        });
        escapeCancels($("nt-confirm"), $("nt-confirm-no"));
        escapeCancels($("nt-ask"), $("nt-ask-no"));
        $("nt-refresh").addEventListener("click", () => this.load());
        $("nt-rows").addEventListener("click", (ev) => {
            const b = ev.target.closest("button[data-act]");
            if (b)
                this.ask(b.dataset.act, b.closest("tr").dataset.id);
        });
        $("nt-ask-yes").addEventListener("click", () => this.act());
        $("nt-ask-no").addEventListener("click", () => this.unask(true));
        for (const input of form.querySelectorAll("input, textarea, select"))
            input.addEventListener("input", () => this.textsChanged());
    }

    fillKinds() {
        const kind = $("nt-kind");
        const chosen = kind.value || KINDS[0];
        kind.replaceChildren(...KINDS.map((k) => el("option", { value: k, text: t("notices.kind." + k) })));
        kind.value = chosen;
    }

    // The form blank, no draft behind it: another action's, or once a notice is sent.
    blank() {
        this.draft = null;
        $("nt-form").reset();
        this.fillKinds();
        this.errors.clear();
        $("nt-preview").hidden = true;
        $("nt-send").hidden = true;
    }

    show(action) {
        const other = !this.action || this.action.id !== action.id;
        this.action = action;
        if (other) {
            this.blank();
            this.counted = null;
            this.status.clear();
            this.sendStatus.clear();
            this.asked = null;
            this.renderAsk();
            this.renderConfirm();
            // another action's notices are not listed under this one's heading meanwhile
            this.clearList();
        }
        this.load();
    }

    clearList() {
        this.notices = [];
        $("nt-table").hidden = true;
        $("nt-rows").replaceChildren();
    }

    close() {
        this.action = null;
        this.asked = null;
        clearTimeout(this.timer);
    }

    base() {
        return `/v1/actions/${encodeURIComponent(this.action.id)}/notices`;
    }

    // The form as a notice's body, and the texts it lacks as field errors.
    body() {
        const texts = {};
        const missing = [];
        for (const l of LANGS) {
            texts[l] = {};
            for (const part of ["subject", "body"]) {
                texts[l][part] = $(`nt-${part}-${l}`).value.trim();
                if (!texts[l][part])
                    missing.push({ field: `texts.${l}.${part}`, code: "required" });
            }
        }
        return { body: { kind: $("nt-kind").value, texts }, missing };
    }

    // A text changed after a save: the preview and the count are of the old draft.
    textsChanged() {
        if (!this.draft)
            return;
        this.counted = null;
        this.renderConfirm();
        $("nt-send").hidden = true;
    }

    async request(method, path, body) {
        try {
            const opts = body === undefined ? {} : { body, headers: { "Idempotency-Key": idempotencyKey() } };
            const r = await this.call(method, path, opts);
            return r.status === 401 ? null : r;
        } catch (e) {
            if (!(e instanceof NetworkError))
                throw e;
            return e;
        }
    }

    // The draft of the form: the saved one when the texts are the same, else a new one.
    async save() {
        if (this.busy || !this.action)
            return;
        const { body, missing } = this.body();
        if (missing.length) {
            this.status.clear();
            this.errors.show(missing, { focus: true });
            return;
        }
        this.errors.clear();
        const text = JSON.stringify(body);
        if (!this.draft || this.draft.texts !== text || this.draft.notice.state !== "draft") {
            this.busy = true;
            this.status.set({ key: "notices.saving" });
            const r = await this.request("POST", this.base(), text);
            this.busy = false;
            if (r === null)
                return;
            if (r instanceof NetworkError || r.status !== 201) {
                const list = fieldErrors(r);
                if (list) {
                    this.status.clear();
                    this.errors.show(list, { focus: true });
                } else {
                    this.status.set(refusalMessage(r));
                }
                return;
            }
            this.draft = { notice: r.body, texts: text };
            this.load();
        }
        this.status.set({ kind: "success", key: "notices.saved" });
        $("nt-send").hidden = false;
        await this.preview(this.previewLang);
        $("nt-preview-h4").focus();
    }

    async preview(l) {
        this.previewLang = l;
        if (!this.draft)
            return;
        const r = await this.request("GET", `${this.base()}/${encodeURIComponent(this.draft.notice.id)}/preview?lang=${l}`);
        if (r === null)
            return;
        if (r instanceof NetworkError || r.status !== 200) {
            this.status.set(genericProblem(r));
            return;
        }
        this.previewed = r.body;
        this.renderPreview();
    }

    renderPreview() {
        const p = this.previewed;
        $("nt-preview").hidden = !p;
        if (!p)
            return;
        for (const l of LANGS)
            $(`nt-preview-${l}`).setAttribute("aria-pressed", String(l === p.lang));
        $("nt-preview-subject").textContent = p.subject;
        const box = $("nt-preview-text");
        box.lang = p.lang;
        box.textContent = p.text;
    }

    // The dry run: how many would receive it.
    async count() {
        if (!this.draft || this.busy)
            return;
        const filter = $("nt-audience-filter").checked ? this.currentFilter() : null;
        const body = filter ? { dry_run: true, filter } : { dry_run: true };
        this.busy = true;
        this.sendStatus.set({ key: "notices.counting" });
        const r = await this.request("POST", `${this.base()}/${encodeURIComponent(this.draft.notice.id)}/send`, body);
        this.busy = false;
        if (r === null)
            return;
        if (r instanceof NetworkError || r.status !== 200) {
            this.sendStatus.set(this.refusal(r));
            return;
        }
        // nobody to receive it: no "Send to 0", whose press spent the notice (a notice is sent
        // once) on no one; it stays a draft, to send once members have joined
        if (r.body.recipients === 0) {
            this.counted = null;
            this.renderConfirm();
            this.sendStatus.set({ kind: "info", key: "notices.no_recipients" });
            return;
        }
        this.sendStatus.clear();
        this.counted = { recipients: r.body.recipients, skipped: r.body.skipped_opted_out, filter };
        this.renderConfirm();
        $("nt-confirm-yes").focus();
    }

    renderConfirm() {
        const c = this.counted;
        $("nt-confirm").hidden = !c;
        if (!c)
            return;
        const params = { recipients: formatNumber(c.recipients), skipped: formatNumber(c.skipped) };
        // each count its own sentence, so that each takes its _one form ("1 member will receive
        // it"); the members who stopped notices said only when there are some (none can be for
        // an essential notice, where "0 who stopped non-essential notices will not" puzzled)
        const skipped = c.skipped ? " " + t("notices.confirm_skipped", { ...params, count: c.skipped }) : "";
        // the filter counted, said: it is set on another tab, and a count alone did not say whom
        // a notice to "the members matching the filter" went to
        const described = c.filter ? this.describeFilter(c.filter) : "";
        const whom = !c.filter ? "" : " " + (described ? t("notices.confirm_filter", { filter: described })
            : t("notices.confirm_no_filter"));
        $("nt-confirm-text").textContent = t("notices.confirm", { ...params, count: c.recipients }) + whom + skipped;
        $("nt-confirm-yes").textContent = t("notices.confirm_yes", params);
    }

    refusal(r) {
        const name = r instanceof NetworkError ? "" : problemName(r);
        if (name === "count-changed")
            return { kind: "error", key: "notices.count_changed" };
        // the members left between the count and the send: nothing was sent, still a draft
        if (name === "no-recipients")
            return { kind: "info", key: "notices.no_recipients" };
        if (name === "invalid-transition")
            return { kind: "error", key: "notices.already_sent" };
        return refusalMessage(r);
    }

    // The send, on the count the user saw.
    async send() {
        const c = this.counted;
        if (!c || !this.draft || this.busy)
            return;
        const body = c.filter ? { expected_count: c.recipients, filter: c.filter }
            : { expected_count: c.recipients };
        this.busy = true;
        $("nt-confirm-yes").disabled = true;
        this.sendStatus.set({ key: "notices.sending" });
        const r = await this.request("POST", `${this.base()}/${encodeURIComponent(this.draft.notice.id)}/send`, body);
        this.busy = false;
        $("nt-confirm-yes").disabled = false;
        if (r === null)
            return;
        this.counted = null;
        this.renderConfirm();
        // the confirmation closed had the focus: it goes to what comes next, never to the page's top
        if (r instanceof NetworkError || r.status !== 202) {
            this.sendStatus.set(this.refusal(r));
            $("nt-count").focus();   // count again (the members moved), or retry
            return;
        }
        // sent: the form is blank again for the next notice (its texts left there were one
        // "Save and preview" away from a second draft of the same notice); the list shows it
        this.blank();
        this.status.set({ kind: "success", key: "notices.sent", params: { count: r.body.recipients,
            recipients: formatNumber(r.body.recipients) } });
        $("nt-list-h4").focus();     // where its progress is followed
        this.load();
    }

    // The action's notices; read again while one is being delivered. clearStatus false keeps
    // what the list's status says (the outcome of a stop or a delete).
    // Only the last read asked for is drawn (a poll's answer coming after Refresh's is older).
    async load(clearStatus = true) {
        clearTimeout(this.timer);
        if (!this.action)
            return;
        await this.reads.run((ticket) => this.read(clearStatus, ticket));
    }

    async read(clearStatus, ticket) {
        // another action chosen meanwhile: its own list is on its way, this one is not its
        const action = this.action;
        const r = await this.request("GET", this.base() + "?limit=50");
        if (r === null || this.action !== action || !ticket.latest())
            return;
        if (r instanceof NetworkError || r.status !== 200) {
            // the list read before (a send's progress in it) is not shown as this read's: gone,
            // the refusal said, and Try again reads it (and follows a send) again
            this.clearList();
            this.listStatus.set({ ...genericProblem(r), action: retryAction("nt-list-h4", () => this.load()) });
            return;
        }
        if (clearStatus)
            this.listStatus.clear();
        this.notices = r.body.data;
        this.renderList();
        if (this.notices.some((n) => n.state === "sent" && n.progress.queued > 0)
            && !$("panel-notices").hidden)
            this.timer = setTimeout(() => this.load(false), POLL_MS);
    }

    renderList() {
        const lang = document.documentElement.lang === "en" ? "en" : "fr";
        $("nt-table").hidden = this.notices.length === 0;
        if (this.notices.length === 0)
            this.listStatus.set({ key: "notices.none" });
        // each cell names its column: on a phone a row is a card of labelled cells (style.css)
        const label = (col) => t("notices.col." + col);
        redrawRows($("nt-rows"), "id", this.notices.map((n) => el("tr", { dataset: { id: n.id } },
            el("td", { class: "nowrap", dataset: { label: label("date") } }, formatDateTime(n.created_at)),
            el("td", { lang, dataset: { label: label("subject") } }, n.texts[lang].subject),
            el("td", { dataset: { label: label("kind") } }, t("notices.kind." + n.kind)),
            el("td", { class: "state", dataset: { label: label("state") } }, this.stateText(n)),
            el("td", { class: "num recipients", dataset: { label: label("recipients") } },
                n.counts ? formatNumber(n.counts.recipients) : "—"),
            el("td", { class: "progress", dataset: { label: label("progress"), sent: String(n.progress.sent),
                queued: String(n.progress.queued), failed: String(n.progress.failed),
                cancelled: String(n.progress.cancelled) } }, this.progressText(n)),
            el("td", { class: "row-actions cell-action" }, ...this.rowActions(n, lang)))), $("nt-list-h4"));
    }

    // A send whose messages are still queued is said "Sending", not "Sent": with "0 sent, 5
    // queued" beside it, "Sent" read as done to a volunteer about to tell the members.
    stateText(n) {
        return t(n.state === "sent" && n.progress.queued > 0 ? "notices.state.sending" : "notices.state." + n.state);
    }

    progressText(n) {
        const p = n.progress;
        const params = { sent: formatNumber(p.sent), queued: formatNumber(p.queued),
            failed: formatNumber(p.failed), cancelled: formatNumber(p.cancelled) };
        if (n.state === "cancelled")
            return t("notices.progress_cancelled", params);
        return n.state === "sent" ? t("notices.progress", params) : "—";
    }

    // A send in progress may be stopped, a draft deleted; each button names its notice.
    rowActions(n, lang) {
        const act = n.state === "draft" ? "delete"
            : n.state === "sent" && n.progress.queued > 0 ? "stop" : null;
        if (!act)
            return [];
        return [el("button", { type: "button", class: "button secondary small", text: t(`notices.${act}_button`),
            dataset: { act }, "aria-label": t(`notices.${act}_named`, { subject: n.texts[lang].subject }) })];
    }

    // The confirmation of a row's stop (with the count still queued, read again now) or delete.
    async ask(what, id) {
        if (this.busy || !this.action)
            return;
        let notice = this.notices.find((n) => n.id === id);
        if (!notice)
            return;
        this.listStatus.clear();
        if (what === "stop") {
            const r = await this.request("GET", `${this.base()}/${encodeURIComponent(id)}`);
            if (r === null)
                return;
            if (r instanceof NetworkError || r.status !== 200) {
                this.listStatus.set(genericProblem(r));
                return;
            }
            notice = r.body;
            if (notice.state !== "sent" || notice.progress.queued === 0) {
                this.listStatus.set({ kind: "error", key: "notices.nothing_to_stop" });
                this.load(false);
                return;
            }
        }
        this.asked = { what, notice };
        this.renderAsk();
        $("nt-ask-yes").focus();
    }

    renderAsk() {
        const a = this.asked;
        $("nt-ask").hidden = !a;
        if (!a)
            return;
        const lang = document.documentElement.lang === "en" ? "en" : "fr";
        const params = { queued: formatNumber(a.notice.progress.queued), count: a.notice.progress.queued,
            subject: a.notice.texts[lang].subject };
        $("nt-ask-text").textContent = t(`notices.${a.what}_confirm`, params);
        $("nt-ask-yes").textContent = t(`notices.${a.what}_yes`, params);
        $("nt-ask-no").textContent = t(`notices.${a.what}_no`);
    }

    // Closes the confirmation; focus back on the list when the user said no.
    unask(refocus) {
        this.asked = null;
        this.renderAsk();
        if (refocus)
            $("nt-refresh").focus();
    }

    // The confirmed stop or delete.
    async act() {
        const a = this.asked;
        if (!a || this.busy)
            return;
        const path = `${this.base()}/${encodeURIComponent(a.notice.id)}`;
        this.busy = true;
        $("nt-ask-yes").disabled = true;
        const r = a.what === "stop" ? await this.request("POST", path + "/cancel")
            : await this.request("DELETE", path);
        this.busy = false;
        $("nt-ask-yes").disabled = false;
        if (r === null)
            return;
        this.unask(false);
        const done = a.what === "stop" ? 200 : 204;
        if (r instanceof NetworkError || r.status !== done) {
            const refused = !(r instanceof NetworkError) && problemName(r) === "invalid-transition";
            this.listStatus.set(refused ? { kind: "error", key: `notices.${a.what}_refused` }
                : genericProblem(r));
        } else if (a.what === "stop") {
            this.listStatus.set({ kind: "success", key: "notices.stopped",
                params: { count: r.body.progress.cancelled, cancelled: formatNumber(r.body.progress.cancelled) } });
        } else {
            if (this.draft && this.draft.notice.id === a.notice.id) {
                this.draft = null; // the form's texts stay: saving them writes a new draft
                this.previewed = null;
                this.counted = null;
                this.renderPreview();
                this.renderConfirm();
                $("nt-send").hidden = true;
            }
            this.listStatus.set({ kind: "success", key: "notices.deleted" });
        }
        $("nt-refresh").focus();
        this.load(false);
    }
}
