// SPDX-License-Identifier: AGPL-3.0-or-later
// Enhances the claim form the server renders (api/handlers/page_claim_form.c), which works
// without this script: a plain POST /claim answered by the receipt or by the form again with
// its errors. With the script the same form is checked in the page first (the phone and the
// amount by the server's own rules, web/static/phone.js and common.js readTypedAmount), then
// sent to the JSON API, POST /v1/incidents/{slug}/claims, with an Idempotency-Key: the one
// the server put in the form for its first body, a new one for each other body, the same one
// when the same body is sent again (a double click, a retry after a network error or a 503)
// — never two claims. 201 shows the receipt in place; 422 puts each error beside its field
// (web/static/forms.js); 409/429/503 and network failures get a message, and everything typed
// is kept.
//
// The controls are named after the API's members ("claimant.address.city"), so the body is
// built from their names, as the server does for the plain post (api/handlers/claim_form.c).
import { lang, t } from "./i18n.js";
import { NetworkError, StatusLine, api, el, exampleAmount, formatMoney, problemName,
    postalCodeFits, readTypedAmount, retryAfter } from "./common.js";
import { FormErrors, validationErrors } from "./forms.js";
import { normalizePhone } from "./phone.js";

const form = document.getElementById("claim-form");
const PAGE_CONTROLS = new Set(["incident", "action", "lang", "idempotency_key", "sent"]);
const BOXES = new Set(["harms.phishing", "harms.identity_theft", "harms.distress"]);
const DESCRIPTION_MAX = 4000;
const LOSS_MAX = 10_000_000_000;

function newKey() {
    if (crypto.randomUUID)
        return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}

function yesterday() {
    const d = new Date();
    d.setDate(d.getDate() - 1);
    const p = (n) => String(n).padStart(2, "0");
    return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

// name → value(s) of what the form would send, as the browser's own submission.
function fields() {
    const out = new Map();
    for (const [name, value] of new FormData(form)) {
        if (!out.has(name))
            out.set(name, []);
        out.get(name).push(String(value));
    }
    return out;
}

function put(body, name, value) {
    const parts = name.split(".");
    let o = body;
    for (const p of parts.slice(0, -1))
        o = o[p] = o[p] || {};
    o[parts[parts.length - 1]] = value;
}

// The loss as the server's page reads it (api/domain/amount_typed.c): in the incident's
// currency, with the page language's decimal mark ("1 234,56 €" in French, "€1,234.56" in
// English); the API itself takes minor units only.
function readLoss(text) {
    return readTypedAmount(text, document.documentElement.lang === "fr" ? "," : ".", currency());
}

function currency() {
    return form.dataset.currency || "EUR";
}

function buildBody(f) {
    const body = {};
    for (const [name, values] of f) {
        if (PAGE_CONTROLS.has(name))
            continue;
        const v = values[0].trim();
        if (name === "data_categories")
            put(body, name, values);
        else if (BOXES.has(name))
            put(body, name, true);
        else if (name === "harms.description")
            values[0] !== "" && put(body, name, values[0]);
        else if (v === "")
            continue;
        else if (name === "harms.hours_spent")
            put(body, name, /^\d+$/.test(v) ? parseInt(v, 10) : v);
        else if (name === "harms.documented_loss")
            put(body, name, readLoss(values[0]).minor ?? v);
        else
            put(body, name, v);
    }
    if (!body.action_id)
        delete body.mandate_text_version;
    body.lang = document.documentElement.lang === "en" ? "en" : "fr"; // the messages' language
    return body;
}

// Whether the country chosen has no postal codes (Hong Kong, Qatar...): the server's list,
// which it writes on the select (api/domain/postal_codes.c).
function noPostalCode() {
    const select = form.elements["claimant.address.country"];
    return (select.dataset.noPostalCode || "").split(" ").includes(select.value);
}

// The form of the postal codes of the country chosen, where it is certain ("FR:5:2:75001":
// 5 digits, a space allowed after 2, an example), or null: the server's list and rule, which
// it writes on the select (api/domain/postal_codes.c postal_code_fits).
function postalForm() {
    const select = form.elements["claimant.address.country"];
    for (const entry of (select.dataset.postalForms || "").split(" ")) {
        const [country, digits, spaceAfter, example] = entry.split(":");
        if (country === select.value)
            return { digits: Number(digits), spaceAfter: Number(spaceAfter), example };
    }
    return null;
}

// The postal code's question follows the country: optional, and said so, where there is none.
function followCountry() {
    const input = form.elements["claimant.address.postal_code"];
    const optional = noPostalCode();
    input.required = !optional;
    const label = form.querySelector('label[for="postal_code"]');
    if (label)
        label.textContent = t(optional ? "f.postal_code_optional" : "f.postal_code");
}

// The checks a person expects from the page itself; the server checks everything again.
function clientErrors(f) {
    const out = [];
    const one = (name) => ((f.get(name) || [""])[0]).trim();
    for (const name of ["claimant.given_name", "claimant.family_name", "claimant.email",
        "claimant.address.line1", "claimant.address.postal_code", "claimant.address.city",
        "claimant.address.country"]) {
        if (one(name) === "" && !(name === "claimant.address.postal_code" && noPostalCode()))
            out.push({ field: name, code: "required" });
    }
    const email = form.elements["claimant.email"];
    if (one("claimant.email") !== "" && email.validity.typeMismatch)
        out.push({ field: "claimant.email", code: "invalid-format" });
    const postal = postalForm();
    const code = one("claimant.address.postal_code");
    if (code !== "" && postal && !postalCodeFits(postal, code))
        out.push({ field: "claimant.address.postal_code", code: "invalid-format" });
    const phone = one("claimant.phone");
    if (phone !== "" && !normalizePhone(phone, one("claimant.address.country")))
        out.push({ field: "claimant.phone", code: "invalid-format" });
    const birth = form.elements["claimant.birth_date"];
    if (birth.validity.badInput)
        out.push({ field: "claimant.birth_date", code: "invalid-format" });
    else if (birth.value && (birth.value < "1900-01-01" || birth.value > yesterday()))
        out.push({ field: "claimant.birth_date", code: "out-of-range" });
    if (!f.has("data_categories"))
        out.push({ field: "data_categories", code: "too-short" });
    // as typed, blanks included, as the server's page reads it: blanks alone are no amount
    const loss = (f.get("harms.documented_loss") || [""])[0];
    if (loss !== "") {
        const read = readLoss(loss);
        if (read.error)
            out.push({ field: "harms.documented_loss", code: read.error });
        else if (read.minor > LOSS_MAX)
            out.push({ field: "harms.documented_loss", code: "out-of-range" });
    }
    const hours = one("harms.hours_spent");
    if (hours !== "" && !/^\d+$/.test(hours))
        out.push({ field: "harms.hours_spent", code: "invalid-format" });
    else if (hours !== "" && parseInt(hours, 10) > 1000)
        out.push({ field: "harms.hours_spent", code: "out-of-range" });
    if (Array.from(one("harms.description")).length > DESCRIPTION_MAX)
        out.push({ field: "harms.description", code: "too-long" });
    if (!f.has("payment_preference"))
        out.push({ field: "payment_preference", code: "required" });
    if (!f.has("privacy_notice_version"))
        out.push({ field: "privacy_notice_version", code: "required" });
    return out;
}

// Hidden inputs of a form posting the claim's credentials to /my-claim (form: what it does).
function credentials(what, code, body) {
    return [["form", what], ["lang", code], ["reference", body.reference], ["token", body.token]]
        .map(([name, value]) => el("input", { type: "hidden", name, value }));
}

// As the server's receipt: the language switch keeps the token on show (/my-claim's "keep")
// instead of the claim form's switch, whose form is gone.
function keepOnLanguageSwitch(body) {
    for (const a of document.querySelectorAll(".lang-switch .lang-button")) {
        const code = a.getAttribute("lang");
        a.replaceWith(el("form", { method: "post", action: `/my-claim?lang=${code}` },
            ...credentials("keep", code, body),
            el("button", { type: "submit", class: "lang-button", lang: code,
                "aria-current": a.getAttribute("aria-current"), text: a.textContent })));
    }
    // the page's hidden copy of the form's button (web/layout.c: Enter sends the form) goes
    // with the form: it named a form no longer there
    for (const b of document.querySelectorAll('button[form="claim-form"]'))
        b.remove();
}

function showReceipt(body) {
    const main = document.getElementById("main");
    const slug = form.elements.incident.value;
    const action = form.elements.action ? form.elements.action.value : null;
    const joined = action && body.action_id === action;
    // as the server's receipt: whether the mandate was given, and to whom (the server's line,
    // its names each in their <bdi>: one written right to left keeps its order)
    const line = document.getElementById("mandate-joined");
    const mandateLine = joined && line ? [...line.cloneNode(true).childNodes]
        : [t("claimform.next_no_action")];
    const secrets = el("dl", { class: "secrets" },
        el("div", {}, el("dt", { text: t("receipt.reference") }),
            el("dd", {}, el("code", { id: "receipt-reference", text: body.reference }))),
        el("div", {}, el("dt", { text: t("receipt.token") }),
            el("dd", {}, el("code", { id: "receipt-token", class: "token", text: body.token })),
            el("dd", { id: "receipt-token-hint", class: "hint", text: t("receipt.token_hint") })));
    const next = el("ol", { class: "next-steps" },
        el("li", { text: t("claimform.next_email",
            { email: form.elements["claimant.email"].value.trim() }) }),
        el("li", { text: t("claimform.next_verify") }),
        el("li", {}, ...mandateLine),
        el("li", {}, el("a", { href: joined ? `/a/${encodeURIComponent(action)}` : `/i/${encodeURIComponent(slug)}`,
            text: t(joined ? "claimform.next_action_link" : "claimform.next_actions_link") })));
    // as the server's receipt: the compensation chosen, in the words of its option within a
    // sentence
    const chosen = form.elements.payment_preference ? form.elements.payment_preference.value : "";
    const payment = chosen === "voucher" || chosen === "cash"
        ? el("p", { id: "receipt-payment", text: t(`receipt.payment_${chosen}`) })
        : null;
    const h1 = el("h1", { id: "receipt-h2", tabindex: "-1", text: t("receipt.h2") });
    const section = el("section", { id: "receipt", class: "receipt", "aria-labelledby": "receipt-h2" },
        h1, secrets, el("p", { class: "warning", text: t("receipt.keep") }), payment,
        el("h2", { text: t("claimform.next_h2") }), next,
        el("p", { text: t("claimform.come_back", { url: `${location.origin}/my-claim${
            lang() === "fr" ? "" : `?lang=${lang()}`}` }) }),
        // as the server's receipt: "See my claim" opens it with what the page holds (a post,
        // the token out of the address)
        el("form", { id: "receipt-open", method: "post", action: `/my-claim?lang=${lang()}` },
            ...credentials("open", lang(), body),
            el("p", { class: "actions" }, el("button", { type: "submit", class: "button primary",
                text: t("receipt.my_claim") }))));
    main.replaceChildren(section);
    keepOnLanguageSwitch(body);
    document.title = `${t("receipt.h2")} — ${t("site.name")}`;
    h1.focus();
    window.scrollTo(0, 0);
}

// The moment a wait of Retry-After ends, in seconds since 1970 by the server's clock (the
// answer's Date; the browser's clock without one): "sent" keeps the moment, not the length,
// so that a language switch made later says what is left of the wait.
function waitEnds(r) {
    const date = Date.parse(r.headers.get("Date") || "");
    return Math.floor((Number.isNaN(date) ? Date.now() : date) / 1000) + retryAfter(r);
}

// The form was sent and refused: its language switch says so again, as the server's refused
// form does (its hidden "sent"; api/handlers/page_claim.c): "1", the errors of what is typed
// then; or the refusal that was no field's ("duplicate", "rate_limited:1796000000"), its
// message again with the same status.
function markSent(what = "1") {
    if (form.elements.sent)
        form.elements.sent.value = what;
    else
        form.append(el("input", { type: "hidden", name: "sent", value: what }));
}

// The page's title starts with "Error: " while the form stands refused, as the server's
// refused form does (api/web/layout.c): the first words a screen reader says of the tab, and
// the page's title in its history.
function titleSaysError() {
    const prefix = t("errors.prefix");
    if (!document.title.startsWith(prefix))
        document.title = prefix + document.title;
}

function enhance() {
    const formStatus = new StatusLine(document.getElementById("form-status"));
    const submit = document.getElementById("submit");
    const notice = document.getElementById("form-notice");
    const errors = new FormErrors(form, document.getElementById("error-summary"), () => ({
        example: exampleAmount(currency()),
        max: formatMoney(LOSS_MAX, currency()),
        currency: currency(), // "Enter the amount in EUR, the currency of this incident"
        digits: postalForm()?.digits, // "Enter the postal code as 5 digits, like 75001"
        postcode: postalForm()?.example,
    }));
    let attempt = { body: null, key: form.elements.idempotency_key.value };
    let inFlight = false;
    form.elements["claimant.birth_date"].max = yesterday();
    form.elements["claimant.address.country"].addEventListener("change", followCountry);
    followCountry();

    form.addEventListener("submit", async (ev) => {
        // the language switch is a button of this form: the server shows the form again in
        // the other language with what was typed (POST /claim's switch_lang), as without
        // this script
        if (ev.submitter && ev.submitter.name === "switch_lang")
            return;
        ev.preventDefault();
        if (inFlight)
            return;
        if (notice)
            notice.remove();
        formStatus.clear();
        const f = fields();
        const local = clientErrors(f);
        if (local.length) {
            markSent();
            titleSaysError();
            errors.show(local, { focus: true });
            return;
        }
        const text = JSON.stringify(buildBody(f));
        if (attempt.body !== null && attempt.body !== text)
            attempt = { body: text, key: newKey() };
        attempt.body = text;
        inFlight = true;
        submit.disabled = true;
        form.setAttribute("aria-busy", "true");
        let r;
        try {
            r = await api("POST", `/v1/incidents/${encodeURIComponent(form.elements.incident.value)}/claims`,
                { body: text, headers: { "Idempotency-Key": attempt.key } });
        } catch (e) {
            if (!(e instanceof NetworkError))
                throw e;
            r = null;
        } finally {
            inFlight = false;
            submit.disabled = false;
            form.setAttribute("aria-busy", "false");
        }
        if (r === null) {
            errors.clear();
            titleSaysError();
            formStatus.set({ kind: "error", key: "claim.err.network" });
            return;
        }
        answer(r, errors, formStatus);
    });
}

function answer(r, errors, formStatus) {
    const name = problemName(r);
    const list = validationErrors(r);
    if (r.status === 201 && r.body && r.body.reference && r.body.token) {
        showReceipt(r.body);
        return;
    }
    titleSaysError(); // refused (the receipt above has a title of its own)
    if (list) {
        markSent();
        errors.show(list, { focus: true });
        return;
    }
    errors.clear();
    let message, sent = "1";
    if (r.status === 409 && name === "duplicate-claim") {
        message = { kind: "error", key: "claim.err.duplicate",
            link: { href: "/my-claim", key: "claim.err.duplicate_link" } };
        sent = "duplicate";
    } else if (r.status === 409 && name === "incident-closed") {
        message = { kind: "error", key: "claim.err.closed", link: { href: "/", key: "claim.back_to_list" } };
        sent = "closed";
    } else if (r.status === 409) {
        message = { kind: "error", key: "claim.err.in_use" };
        sent = "in_use";
    } else if (r.status === 429) {
        message = { kind: "error", key: "claim.err.rate_limited",
            params: { seconds: retryAfter(r), count: retryAfter(r) } };
        sent = `rate_limited:${waitEnds(r)}`;
    } else if (r.status === 503) {
        message = { kind: "error", key: "claim.err.unavailable",
            params: { seconds: retryAfter(r), count: retryAfter(r) } };
        sent = `unavailable:${waitEnds(r)}`;
    } else {
        message = { kind: "error", key: "claim.err.other", params: { status: r.status } };
    }
    markSent(sent);
    formStatus.set(message);
    document.getElementById("form-status").scrollIntoView({ block: "center" });
}

if (form)
    enhance();
