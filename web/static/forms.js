// SPDX-License-Identifier: AGPL-3.0-or-later
// Validation errors on a form, from the browser's own checks or from a 422 problem document
// (docs/api.md §5.2: errors[] of {field, code, message}, field paths like
// "claimant.address.postal_code" or "data_categories[1]").
//
// Markup: every field sits in a wrapper (div or fieldset; wrappers never nest) with
// data-field="<path without [i]>" and data-label-key="<dictionary key of its short name>", holding one element of
// class "error-msg" with an id, a control, and optionally a hint of class "hint" with an id.
// The wrapper's control (or the fieldset itself) gets aria-invalid and aria-describedby
// = hint + error. A summary at the top lists every error as a link to its field.
import { has, onLanguageChange, t } from "./i18n.js";
import { el } from "./common.js";

export function basePath(field) {
    return String(field || "").replace(/\[\d+\]/g, "");
}

export function indexOf(field) {
    const m = /\[(\d+)\]$/.exec(String(field || ""));
    return m ? parseInt(m[1], 10) : null;
}

export class FormErrors {
    // form: the <form>; summary: the element that receives the summary; params(error): extra
    // parameters of the messages (e.g. the category named by data_categories[i]).
    constructor(form, summary, params = () => ({})) {
        this.form = form;
        this.summary = summary;
        this.params = params;
        this.errors = [];
        onLanguageChange(() => this.render());
        // links every control to its hint from the start; but errors the server's page shows
        // (a refused form, a form switched to another language with its errors) stay as it
        // wrote them, already linked, until the next check
        if (!summary || summary.hidden)
            this.render();
    }

    wrapperOf(field) {
        let path = basePath(field);
        while (path) {
            const w = this.form.querySelector(`[data-field="${CSS.escape(path)}"]`);
            if (w)
                return w;
            const dot = path.lastIndexOf(".");
            path = dot > 0 ? path.slice(0, dot) : "";
        }
        return null;
    }

    // The control that receives focus and aria-invalid (a fieldset's first control for focus).
    static controlOf(wrapper) {
        return wrapper.querySelector("input:not([type=hidden]), select, textarea");
    }

    message(error) {
        const specific = `err.${basePath(error.field)}.${error.code}`;
        // {field}: the name as posted (unknown-field names what a forged form added), cut as
        // the server cuts it (api/handlers/page_claim_form.c field_shown)
        const chars = Array.from(String(error.field || ""));
        const field = chars.length > 40 ? `${chars.slice(0, 40).join("")}…` : chars.join("");
        const params = { field, ...this.params(error) };
        if (has(specific))
            return t(specific, params);
        if (has(`err.code.${error.code}`))
            return t(`err.code.${error.code}`, params);
        return error.message || error.code;
    }

    clear() {
        this.show([]);
    }

    // errors: [{field, code, message?}]; focus: move the focus to the summary.
    show(errors, { focus = false } = {}) {
        this.errors = errors.slice();
        // named by its title, which a div may not be without a role: a group when the focus
        // moves to it (read on arrival), else an alert (announced where the focus stays)
        this.summary.setAttribute("role", focus ? "group" : "alert");
        this.render();
        if (focus && this.errors.length) {
            this.summary.focus();
            this.summary.scrollIntoView({ block: "start" });
        }
    }

    render() {
        // fields: every wrapper back to its clean state, then the errors of each
        for (const w of this.form.querySelectorAll("[data-field]")) {
            w.classList.remove("has-error");
            const msg = w.querySelector(".error-msg");
            if (msg) {
                msg.replaceChildren();
                msg.hidden = true;
            }
            this.describe(w, false);
        }
        const byWrapper = new Map();
        const orphans = [];
        for (const e of this.errors) {
            const w = this.wrapperOf(e.field);
            if (!w) {
                orphans.push(e);
                continue;
            }
            if (!byWrapper.has(w))
                byWrapper.set(w, []);
            byWrapper.get(w).push(e);
        }
        for (const [w, list] of byWrapper) {
            w.classList.add("has-error");
            const msg = w.querySelector(".error-msg");
            if (msg) {
                msg.hidden = false;
                for (const e of list)
                    msg.append(el("span", { class: "error-line", text: this.message(e) }));
            }
            this.describe(w, true);
        }
        this.renderSummary(byWrapper, orphans);
    }

    describe(wrapper, invalid) {
        const msg = wrapper.querySelector(".error-msg");
        // every hint: a date field has its format's beside its own (date-field.js)
        const ids = Array.from(wrapper.querySelectorAll(".hint[id]"), (h) => h.id);
        if (invalid && msg && msg.id)
            ids.push(msg.id);
        const target = wrapper.tagName === "FIELDSET" ? wrapper : FormErrors.controlOf(wrapper);
        if (!target)
            return;
        if (ids.length)
            target.setAttribute("aria-describedby", ids.join(" "));
        else
            target.removeAttribute("aria-describedby");
        const control = FormErrors.controlOf(wrapper);
        if (wrapper.tagName !== "FIELDSET" && control) {
            if (invalid)
                control.setAttribute("aria-invalid", "true");
            else
                control.removeAttribute("aria-invalid");
        }
    }

    renderSummary(byWrapper, orphans) {
        const s = this.summary;
        s.replaceChildren();
        if (!this.errors.length) {
            s.hidden = true;
            return;
        }
        s.hidden = false;
        const titleId = s.id + "-title";
        s.setAttribute("aria-labelledby", titleId);
        s.append(el("h2", { id: titleId, text: t("errors.title") }));
        s.append(el("p", { text: t("errors.intro") }));
        const ul = el("ul");
        // in the page's order, as the server's summary: the API's rules find some errors
        // after others further down (the phone, read against the address's country)
        const inPageOrder = [...byWrapper].sort(([a], [b]) =>
            (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1));
        for (const [w, list] of inPageOrder) {
            const control = FormErrors.controlOf(w);
            for (const e of list) {
                const text = t(w.dataset.labelKey || "") + t("common.label_sep") + this.message(e);
                const a = el("a", { href: control ? "#" + control.id : "#", text });
                a.addEventListener("click", (ev) => {
                    ev.preventDefault();
                    if (control) {
                        control.focus();
                        w.scrollIntoView({ block: "center" });
                    }
                });
                ul.append(el("li", {}, a));
            }
        }
        for (const e of orphans)
            ul.append(el("li", { text: (e.field ? e.field + t("common.label_sep") : "") + this.message(e) }));
        s.append(ul);
    }
}

// The 422 errors of an answer, or null when it is not a validation-error problem.
export function validationErrors(resp) {
    if (resp.status !== 422 || !resp.body || !Array.isArray(resp.body.errors))
        return null;
    return resp.body.errors.filter((e) => e && typeof e.field === "string" && typeof e.code === "string");
}

// <option>s of the countries (ISO 3166-1 alpha-2 codes), named in `language` and sorted by
// name.
export function countryOptions(codes, language) {
    let names;
    try {
        names = new Intl.DisplayNames([language], { type: "region" });
    } catch {
        names = null;
    }
    const name = (c) => {
        try {
            return (names && names.of(c)) || c;
        } catch {
            return c;
        }
    };
    const collator = new Intl.Collator(language);
    return codes.map((c) => [c, name(c)]).sort((a, b) => collator.compare(a[1], b[1]))
        .map(([c, n]) => el("option", { value: c, text: n }));
}
