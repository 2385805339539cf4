// SPDX-License-Identifier: AGPL-3.0-or-later
// The claim form (docs/api.md §9) of the incident named by ?incident=<slug>; with &action=<id>
// (the link an association shares), it offers that action's mandate (GET
// /v1/actions/{id}/mandate): the text is shown, and only a ticked box sends `action_id` and
// the text's version with the claim.
//
// Submission: POST /v1/incidents/{slug}/claims with an Idempotency-Key made for the exact
// body sent; the same body sent again (a double click, a retry after a network error or a
// 503) reuses the key, so the server answers it once and replays that answer: never two
// claims. 201 shows the reference and the token (once); 422 puts each error at its field;
// 409/429/503 and network failures get a message, and everything typed is kept.
import { lang, onLanguageChange, t } from "./i18n.js";
import {
    CATEGORIES, NetworkError, StatusLine, api, categoryLabel, currencyDecimals, el,
    exampleAmount, formatMoney, initPage, parseAmount, problemName, retryAfter,
} from "./common.js";
import { COUNTRY_CODES, DEFAULT_COUNTRY } from "./countries.js";
import { FormErrors, fillCountries, indexOf, validationErrors } from "./forms.js";
import { incidentFacts } from "./incidents.js";
import { actionOfAddress, fetchOffer, renderOffer } from "./mandate.js";

initPage("title.claim");

const SLUG_RE = /^[a-z0-9][a-z0-9-]{1,62}[a-z0-9]$/;
const DESCRIPTION_MAX = 4000;
const LOSS_MAX = 10_000_000_000; // minor units (docs/api.md §8.1)

const $ = (id) => document.getElementById(id);
const form = $("claim-form");
const submitButton = $("submit");
const pageStatus = new StatusLine($("page-status"));
const formStatus = new StatusLine($("form-status"));
const copyStatus = new StatusLine($("copy-status"));
const mandateStatus = new StatusLine($("mandate-status"));

let incident = null;
let sentCategories = [];   // the data_categories array of the last submission
let attempt = null;        // {body, key}: the Idempotency-Key of a body
let inFlight = false;
let receipt = null;
let offer = null;          // the mandate the link offers (GET /v1/actions/{id}/mandate)

const errors = new FormErrors(form, $("error-summary"), (e) => {
    const params = {
        example: incident ? exampleAmount(incident.currency) : "",
        max: incident ? formatMoney(LOSS_MAX, incident.currency) : "",
    };
    const i = indexOf(e.field);
    if (e.field.startsWith("data_categories[") && i !== null && i < sentCategories.length)
        params.item = categoryLabel(sentCategories[i]);
    return params;
});

function newKey() {
    if (crypto.randomUUID)
        return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}

function keyFor(bodyText) {
    if (!attempt || attempt.body !== bodyText)
        attempt = { body: bodyText, key: newKey() };
    return attempt.key;
}

// --- the incident ----------------------------------------------------------------------------

function renderIncident() {
    const box = $("incident-box");
    if (!incident) {
        box.hidden = true;
        return;
    }
    box.hidden = false;
    box.replaceChildren(
        el("p", { class: "controller", text: incident.controller }),
        el("h2", { id: "incident-title", text: incident.title }),
        incidentFacts(incident, { authority: true }));
}

function renderCategories() {
    const holder = $("categories");
    const checked = new Set(Array.from(holder.querySelectorAll("input:checked"), (i) => i.value));
    holder.replaceChildren();
    for (const code of CATEGORIES.filter((c) => incident.data_categories.includes(c))) {
        const id = "cat-" + code;
        holder.append(el("div", { class: "check" },
            el("input", { id, type: "checkbox", name: "data_categories", value: code,
                checked: checked.has(code) }),
            el("label", { for: id, text: categoryLabel(code) })));
    }
}

// The texts that depend on the incident or on the language beyond the dictionary.
function renderDynamic() {
    if (!incident)
        return;
    renderIncident();
    renderCategories();
    $("documented_loss-label").textContent = t("f.documented_loss", { currency: incident.currency });
    $("documented_loss-hint").textContent = t("f.documented_loss_hint",
        { example: exampleAmount(incident.currency) });
    $("privacy-label").textContent = t("privacy.accept", { version: incident.privacy_notice_version });
    fillCountries($("country"), COUNTRY_CODES, lang(), DEFAULT_COUNTRY);
    updateCounter(false);
    renderMandate();
    renderReceipt();
}

// --- the mandate offered by the link ---------------------------------------------------------

function renderMandate() {
    const group = $("mandate-group");
    group.hidden = !offer;
    if (!offer)
        return;
    renderOffer(offer, { intro: $("mandate-intro"), label: $("mandate-text-label"),
        text: $("mandate-text") });
    $("mandate-label").textContent = t("mandate.accept", { association: offer.association.name });
}

// The offer of ?action=<id> for this incident; none (and a note) when the action does not
// take mandates any more or belongs to another incident. A failure to load it leaves the
// form usable without a mandate.
async function loadOffer() {
    const id = actionOfAddress();
    if (!id)
        return;
    offer = await fetchOffer(id, incident.slug);
    if (offer)
        renderMandate();
    else
        mandateStatus.set({ kind: "info", key: "mandate.unavailable" });
}

async function loadIncident() {
    const slug = new URLSearchParams(window.location.search).get("incident") || "";
    if (!SLUG_RE.test(slug)) {
        pageStatus.set({ kind: "error", key: slug ? "claim.not_found" : "claim.no_incident",
            link: { href: "/", key: "claim.back_to_list" } });
        return;
    }
    pageStatus.set({ key: "common.loading" });
    let r;
    try {
        r = await api("GET", "/v1/incidents/" + encodeURIComponent(slug));
    } catch (e) {
        if (!(e instanceof NetworkError))
            throw e;
        pageStatus.set({ kind: "error", key: "problem.network",
            action: { key: "common.retry", run: loadIncident } });
        return;
    }
    if (r.status === 404) {
        pageStatus.set({ kind: "error", key: "claim.not_found",
            link: { href: "/", key: "claim.back_to_list" } });
        return;
    }
    if (r.status !== 200 || !r.body) {
        pageStatus.set({ kind: "error", key: "problem.generic", params: { status: r.status },
            action: { key: "common.retry", run: loadIncident } });
        return;
    }
    incident = r.body;
    renderDynamic();
    if (incident.status !== "open") {
        pageStatus.set({ kind: "error", key: "claim.closed",
            link: { href: "/", key: "claim.back_to_list" } });
        return;
    }
    pageStatus.clear();
    form.hidden = false;
    await loadOffer();
}

// --- the body and the browser's checks -------------------------------------------------------

const value = (id) => $(id).value;
const trimmed = (id) => $(id).value.trim();

function yesterday() {
    const d = new Date();
    d.setDate(d.getDate() - 1);
    const p = (n) => String(n).padStart(2, "0");
    return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

function codePoints(s) {
    return Array.from(s).length;
}

// The checks a person expects from the page itself; the server checks everything again.
function clientErrors() {
    const out = [];
    const need = (id, field) => {
        if (trimmed(id) === "")
            out.push({ field, code: "required" });
    };
    need("given_name", "claimant.given_name");
    need("family_name", "claimant.family_name");
    need("email", "claimant.email");
    if (trimmed("email") !== "" && $("email").validity.typeMismatch)
        out.push({ field: "claimant.email", code: "invalid-format" });
    const birth = $("birth_date");
    if (birth.validity.badInput)
        out.push({ field: "claimant.birth_date", code: "invalid-format" });
    else if (birth.value && (birth.value < "1900-01-01" || birth.value > yesterday()))
        out.push({ field: "claimant.birth_date", code: "out-of-range" });
    need("line1", "claimant.address.line1");
    need("postal_code", "claimant.address.postal_code");
    need("city", "claimant.address.city");
    need("country", "claimant.address.country");
    if (!form.querySelector("#categories input:checked"))
        out.push({ field: "data_categories", code: "too-short" });
    const loss = trimmed("documented_loss");
    if (loss !== "") {
        const minor = parseAmount(loss, currencyDecimals(incident.currency));
        if (minor === null)
            out.push({ field: "harms.documented_loss", code: "invalid-format" });
        else if (minor > LOSS_MAX)
            out.push({ field: "harms.documented_loss", code: "out-of-range" });
    }
    const hours = $("hours_spent");
    if (hours.validity.badInput || (hours.value !== "" && !/^\d+$/.test(hours.value)))
        out.push({ field: "harms.hours_spent", code: "invalid-format" });
    else if (hours.value !== "" && parseInt(hours.value, 10) > 1000)
        out.push({ field: "harms.hours_spent", code: "out-of-range" });
    if (codePoints(value("description")) > DESCRIPTION_MAX)
        out.push({ field: "harms.description", code: "too-long" });
    if (!form.querySelector("input[name=payment]:checked"))
        out.push({ field: "payment_preference", code: "required" });
    if (!$("privacy").checked)
        out.push({ field: "privacy_notice_version", code: "required" });
    return out;
}

function buildBody() {
    const optional = (id) => (trimmed(id) === "" ? undefined : trimmed(id));
    const categories = Array.from(form.querySelectorAll("#categories input:checked"), (i) => i.value);
    const loss = trimmed("documented_loss");
    const hours = value("hours_spent");
    const payment = form.querySelector("input[name=payment]:checked");
    const body = {
        claimant: {
            given_name: trimmed("given_name"),
            family_name: trimmed("family_name"),
            email: trimmed("email"),
            phone: optional("phone"),
            birth_date: optional("birth_date"),
            address: {
                line1: trimmed("line1"),
                line2: optional("line2"),
                postal_code: trimmed("postal_code"),
                city: trimmed("city"),
                country: value("country"),
            },
        },
        data_categories: categories,
        harms: {
            phishing: $("phishing").checked,
            identity_theft: $("identity_theft").checked,
            distress: $("distress").checked,
            documented_loss: loss === "" ? 0 : parseAmount(loss, currencyDecimals(incident.currency)),
            hours_spent: hours === "" ? 0 : parseInt(hours, 10),
            description: value("description"),
        },
        payment_preference: payment ? payment.value : undefined,
        privacy_notice_version: $("privacy").checked ? incident.privacy_notice_version : undefined,
        action_id: offer && $("mandate").checked ? offer.action_id : undefined,
        mandate_text_version: offer && $("mandate").checked ? offer.mandate_text_version : undefined,
    };
    return body; // JSON.stringify leaves the undefined members out
}

// --- submission ------------------------------------------------------------------------------

function setBusy(busy) {
    inFlight = busy;
    submitButton.disabled = busy;
    submitButton.dataset.i18n = busy ? "claim.submitting" : "claim.submit";
    submitButton.textContent = t(submitButton.dataset.i18n);
    form.setAttribute("aria-busy", String(busy));
}

async function submit(ev) {
    ev.preventDefault();
    if (inFlight || !incident)
        return;
    formStatus.clear();
    const local = clientErrors();
    if (local.length) {
        errors.show(local, { focus: true });
        return;
    }
    const body = buildBody();
    const text = JSON.stringify(body);
    const key = keyFor(text);
    sentCategories = body.data_categories;
    setBusy(true);
    let r;
    try {
        r = await api("POST", `/v1/incidents/${encodeURIComponent(incident.slug)}/claims`,
            { body: text, headers: { "Idempotency-Key": key } });
    } catch (e) {
        setBusy(false);
        if (!(e instanceof NetworkError))
            throw e;
        errors.clear();
        formStatus.set({ kind: "error", key: "claim.err.network" });
        submitButton.focus({ preventScroll: true }); // it lost the focus while disabled
        return;
    }
    setBusy(false);
    answer(r);
}

function answer(r) {
    const name = problemName(r);
    const list = validationErrors(r);
    if (r.status === 201 && r.body && r.body.reference && r.body.token) {
        errors.clear();
        showReceipt(r.body);
        return;
    }
    if (list) {
        formStatus.clear();
        errors.show(list, { focus: true });
        return;
    }
    errors.clear();
    let message;
    if (r.status === 409 && name === "duplicate-claim")
        message = { kind: "error", key: "claim.err.duplicate",
            link: { href: offer ? `/my-claim?action=${encodeURIComponent(offer.action_id)}` : "/my-claim",
                key: offer ? "claim.err.duplicate_link_mandate" : "claim.err.duplicate_link" } };
    else if (r.status === 409 && name === "incident-closed")
        message = { kind: "error", key: "claim.err.closed",
            link: { href: "/", key: "claim.back_to_list" } };
    else if (r.status === 409 && name === "idempotency-key-in-use")
        message = { kind: "error", key: "claim.err.in_use" };
    else if (r.status === 429)
        message = { kind: "error", key: "claim.err.rate_limited", params: { seconds: retryAfter(r) } };
    else if (r.status === 503)
        message = { kind: "error", key: "claim.err.unavailable", params: { seconds: retryAfter(r) } };
    else
        message = { kind: "error", key: "claim.err.other", params: { status: r.status } };
    formStatus.set(message);
    submitButton.focus({ preventScroll: true });
    $("form-status").scrollIntoView({ block: "center" });
}

// --- the receipt -----------------------------------------------------------------------------

function showReceipt(body) {
    receipt = { reference: body.reference, token: body.token, status: body.status,
        joined: offer && body.action_id === offer.action_id ? offer : null };
    form.reset();
    form.hidden = true;
    attempt = null;
    renderReceipt();
    $("receipt").hidden = false;
    $("receipt-h2").focus();
    $("receipt").scrollIntoView({ block: "start" });
}

function renderReceipt() {
    if (!receipt)
        return;
    $("receipt-reference").textContent = receipt.reference;
    $("receipt-token").textContent = receipt.token;
    $("receipt-status").textContent = t("receipt.status", { status: t("status." + receipt.status) })
        + (receipt.joined ? " " + t("receipt.joined", { association: receipt.joined.association.name,
            title: receipt.joined.title }) : "");
}

async function copyReceipt() {
    if (!receipt)
        return;
    const text = t("receipt.clipboard", receipt);
    try {
        await navigator.clipboard.writeText(text);
        copyStatus.set({ kind: "success", key: "receipt.copied" });
    } catch {
        const range = document.createRange();
        range.selectNodeContents($("receipt").querySelector(".secrets"));
        const sel = window.getSelection();
        sel.removeAllRanges();
        sel.addRange(range);
        copyStatus.set({ kind: "error", key: "receipt.copy_failed" });
    }
}

// --- the description counter -----------------------------------------------------------------

let liveTimer = null;

function updateCounter(announce) {
    const left = DESCRIPTION_MAX - codePoints(value("description"));
    const text = t("f.description_count", { n: left, max: DESCRIPTION_MAX });
    const counter = $("description-count");
    counter.textContent = text;
    counter.classList.toggle("counter-low", left < 200);
    if (announce) {
        // screen readers hear the count once typing pauses, not at every key
        clearTimeout(liveTimer);
        liveTimer = setTimeout(() => { $("description-live").textContent = text; }, 1500);
    }
}

// --- wiring ----------------------------------------------------------------------------------

$("birth_date").max = yesterday();
fillCountries($("country"), COUNTRY_CODES, lang(), DEFAULT_COUNTRY);
updateCounter(false);
form.addEventListener("submit", submit);
$("description").addEventListener("input", () => updateCounter(true));
$("copy").addEventListener("click", copyReceipt);
$("print").addEventListener("click", () => window.print());
onLanguageChange(renderDynamic);
loadIncident();
