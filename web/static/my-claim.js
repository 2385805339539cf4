// SPDX-License-Identifier: AGPL-3.0-or-later
// A claimant's own claim (docs/api.md §9.5): reference + token → GET /v1/claims/{reference} with
// Authorization: Bearer <token>; correction of the contact details by merge patch; withdrawal
// after a confirmation; the mandate: given later to the action of the page's ?action=<id> (the
// link an association shares) by `PATCH {"action_id", "mandate_text_version"}`, or revoked by
// `PATCH {"action_id": null}` after a confirmation. The token lives in the `session` variable of this module only: never
// in the address, in storage, or left in the form once the claim is open.
import { lang, onLanguageChange, t } from "./i18n.js";
import {
    NetworkError, StatusLine, api, CATEGORIES, el, formatDate, formatDateTime,
    formatMoney, genericProblem, initPage, problemName,
} from "./common.js";
import { COUNTRY_CODES, DEFAULT_COUNTRY } from "./countries.js";
import { FormErrors, fillCountries, validationErrors } from "./forms.js";
import { categoryTags } from "./incidents.js";
import { actionOfAddress, fetchOffer, renderOffer } from "./mandate.js";

initPage("title.my_claim");

const REFERENCE_RE = /^RC-[0-9A-Z]{4}-[0-9A-Z]{4}$/;
const TOKEN_RE = /^[A-Za-z0-9_-]{32,}$/;

const $ = (id) => document.getElementById(id);
const accessForm = $("access-form");
const correctForm = $("correct-form");
const accessStatus = new StatusLine($("access-status"));
const claimStatus = new StatusLine($("claim-status"));
const correctStatus = new StatusLine($("correct-status"));
const mandateStatus = new StatusLine($("mandate-status"));
const accessErrors = new FormErrors(accessForm, $("access-errors"));
const correctErrors = new FormErrors(correctForm, $("correct-errors"));

let session = null;   // {reference, token}
let claim = null;     // the claim view
let incident = null;  // the incident of the claim (for its title and currency), if found
let offer = null;     // the mandate of ?action=<id> on the claim's incident, if it takes some
let busy = false;

// "rc 7k3m q9xd", "RC7K3MQ9XD" → "RC-7K3M-Q9XD"
function normalizeReference(text) {
    const s = text.toUpperCase().replace(/[\s-]/g, "");
    return /^RC[0-9A-Z]{8}$/.test(s) ? `RC-${s.slice(2, 6)}-${s.slice(6)}` : text.trim().toUpperCase();
}

function claimPath() {
    return "/v1/claims/" + encodeURIComponent(session.reference);
}

function setBusy(button, on, busyKey, idleKey) {
    busy = on;
    button.disabled = on;
    button.dataset.i18n = on ? busyKey : idleKey;
    button.textContent = t(button.dataset.i18n);
}

// --- opening the claim -----------------------------------------------------------------------

async function open(ev) {
    ev.preventDefault();
    if (busy)
        return;
    accessStatus.clear();
    const reference = normalizeReference($("reference").value);
    const token = $("token").value.trim();
    const problems = [];
    if (reference === "")
        problems.push({ field: "reference", code: "required" });
    else if (!REFERENCE_RE.test(reference))
        problems.push({ field: "reference", code: "invalid-format" });
    if (token === "")
        problems.push({ field: "token", code: "required" });
    else if (!TOKEN_RE.test(token))
        problems.push({ field: "token", code: "invalid-format" });
    accessErrors.show(problems, { focus: true });
    if (problems.length)
        return;
    $("reference").value = reference;
    setBusy($("open"), true, "my.opening", "my.open");
    let r;
    try {
        r = await api("GET", "/v1/claims/" + encodeURIComponent(reference), { token });
    } catch (e) {
        if (!(e instanceof NetworkError))
            throw e;
        accessStatus.set(genericProblem(e));
        return;
    } finally {
        setBusy($("open"), false, "my.opening", "my.open");
        $("open").focus(); // it lost the focus while disabled
    }
    if (r.status === 401 || r.status === 404) {
        accessStatus.set({ kind: "error", key: "my.not_found" });
        $("token").focus();
        return;
    }
    if (r.status !== 200 || !r.body) {
        accessStatus.set(genericProblem(r));
        return;
    }
    session = { reference: r.body.reference || reference, token };
    $("token").value = "";       // kept in `session` only from now on
    $("show-token").checked = false;
    $("token").type = "password";
    claim = r.body;
    incident = null;
    claimStatus.clear();
    correctStatus.clear();
    correctErrors.clear();
    mandateStatus.clear();
    offer = null;
    fillCorrection();
    render();
    $("access").hidden = true;
    $("claim").hidden = false;
    $("claim-h2").focus();
    $("claim").dataset.incident = "loading";
    loadIncident(claim.incident);
    loadOffer();
}

async function loadOffer() {
    const id = actionOfAddress();
    if (!id || !claim)
        return;
    const slug = claim.incident;
    const found = await fetchOffer(id, slug);
    if (claim && claim.incident === slug) {
        offer = found;
        renderMandatePanel();
    }
}

// #claim's data-incident says where this stands (loading, loaded, missing): the view is drawn
// a second time, with the incident's title and currency, once it is loaded.
async function loadIncident(slug) {
    let state = "missing";
    try {
        const r = await api("GET", "/v1/incidents/" + encodeURIComponent(slug));
        if (r.status === 200 && r.body && claim && claim.incident === slug) {
            incident = r.body;
            render();
            state = "loaded";
        }
    } catch {
        // the claim is shown without the incident's title: nothing more to do
    }
    if (claim && claim.incident === slug)
        $("claim").dataset.incident = state;
}

function close() {
    session = null;
    claim = null;
    incident = null;
    offer = null;
    $("mandate-panel").hidden = true;
    correctForm.reset();
    $("claim-body").replaceChildren();
    delete $("claim").dataset.incident;
    $("claim").hidden = true;
    $("access").hidden = false;
    $("reference").value = "";
    accessStatus.set({ kind: "info", key: "my.closed" });
    $("reference").focus();
}

// Lost access (401/404 on a later call): back to the form.
function lostAccess() {
    close();
    accessStatus.set({ kind: "error", key: "my.not_found" });
}

// --- showing it ------------------------------------------------------------------------------

function row(labelKey, value) {
    return el("div", {}, el("dt", { text: t(labelKey) }), el("dd", {}, value));
}

function yesNo(b) {
    return t(b ? "common.yes" : "common.no");
}

function render() {
    if (!claim)
        return;
    const c = claim.claimant || {};
    const a = c.address || {};
    const withdrawn = claim.status === "withdrawn";
    $("claim-h2").textContent = t("my.claim_h2", { reference: claim.reference });

    const incidentText = incident ? `${incident.controller} — ${incident.title}` : claim.incident;
    const summary = el("dl", { class: "facts claim-facts" },
        row("my.incident", incidentText),
        row("my.status", el("span", {},
            el("span", { class: "badge badge-" + claim.status, id: "claim-status-value",
                dataset: { status: claim.status }, text: t("status." + claim.status) }),
            " ", el("span", { class: "hint-plain", text: t("status." + claim.status + "_help") }))),
        claim.status_reason ? row("my.reason", claim.status_reason) : null,
        row("my.submitted", formatDateTime(claim.created_at)),
        claim.updated_at && claim.updated_at !== claim.created_at && !withdrawn
            ? row("my.updated", formatDateTime(claim.updated_at)) : null,
        withdrawn && claim.withdrawn_at ? row("my.withdrawn_at", formatDateTime(claim.withdrawn_at)) : null);

    const address = [a.line1, a.line2, [a.postal_code, a.city].filter(Boolean).join(" "),
        a.country ? countryName(a.country) : null].filter(Boolean);
    const you = el("dl", { class: "facts" },
        row("my.name", [c.given_name, c.family_name].filter(Boolean).join(" ")),
        row("cat.email", c.email || t("common.not_given")),
        row("cat.phone", c.phone || t("common.not_given")),
        row("cat.birth_date", c.birth_date ? formatDate(c.birth_date) : t("common.not_given")),
        row("cat.postal_address", el("span", { class: "address" }, ...address.flatMap((l, i) => (i ? [el("br"), l] : [l])))));

    const h = claim.harms || {};
    const currency = incident ? incident.currency : null;
    const loss = currency ? formatMoney(h.documented_loss || 0, currency) : String(h.documented_loss || 0);
    const harms = el("dl", { class: "facts" },
        row("harm.phishing", yesNo(h.phishing)),
        row("harm.identity_theft", yesNo(h.identity_theft)),
        row("harm.distress", yesNo(h.distress)),
        row("my.harm_loss", loss),
        row("my.harm_hours", String(h.hours_spent || 0)),
        row("my.harm_description", h.description ? el("span", { class: "prewrap", text: h.description })
            : t("common.none")));

    const m = claim.mandate;
    const mandate = m ? t("my.mandate_yes", { date: formatDateTime(m.mandated_at), version: m.mandate_text_version })
        : t("my.mandate_none");

    $("claim-body").replaceChildren(
        summary,
        el("h3", { text: t("my.you_h3") }), you,
        el("h3", { text: t("my.data_h3") }),
        categoryTags(CATEGORIES.filter((x) => (claim.data_categories || []).includes(x))),
        el("h3", { text: t("my.harms_h3") }), harms,
        el("dl", { class: "facts" },
            row("my.payment", t("pay." + claim.payment_preference)),
            row("my.mandate", mandate)));

    $("correct").hidden = withdrawn;
    $("withdraw").hidden = withdrawn;
    renderMandatePanel();
}

// --- the mandate -----------------------------------------------------------------------------

// Given: it can be revoked. None: the offer of the page's link, if any, can be accepted.
function renderMandatePanel() {
    const withdrawn = !claim || claim.status === "withdrawn";
    const given = !withdrawn && claim.mandate;
    const offered = !withdrawn && !claim.mandate && offer;
    $("mandate-panel").hidden = !given && !offered;
    $("mandate-given").hidden = !given;
    $("mandate-offer").hidden = !offered;
    if (offered) {
        renderOffer(offer, { intro: $("mandate-intro"), label: $("mandate-text-label"),
            text: $("mandate-text") });
        const give = $("mandate-give");
        if (!give.disabled)
            give.textContent = t("my.mandate_give", { association: offer.association.name });
    }
}

async function patchMandate(body, button, busyKey, idleKey, idleParams) {
    if (busy || !session)
        return null;
    busy = true;
    button.disabled = true;
    button.textContent = t(busyKey);
    try {
        return await api("PATCH", claimPath(), { body, token: session.token,
            contentType: "application/merge-patch+json" });
    } catch (e) {
        if (!(e instanceof NetworkError))
            throw e;
        mandateStatus.set(genericProblem(e));
        return null;
    } finally {
        busy = false;
        button.disabled = false;
        button.textContent = t(idleKey, idleParams);
    }
}

async function giveMandate() {
    if (!offer)
        return;
    const chosen = offer;
    const r = await patchMandate({ action_id: chosen.action_id,
        mandate_text_version: chosen.mandate_text_version }, $("mandate-give"),
    "my.mandate_giving", "my.mandate_give", { association: chosen.association.name });
    if (!r)
        return;
    if (r.status === 200 && r.body) {
        claim = r.body;
        render();
        mandateStatus.set({ kind: "success", key: "my.mandate_given", params: { title: chosen.title } });
        $("mandate-h3").focus();
    } else if (r.status === 401 || r.status === 404) {
        lostAccess();
    } else if (r.status === 409 && problemName(r) === "already-in-action") {
        mandateStatus.set({ kind: "error", key: "my.mandate_in_other" });
    } else if (r.status === 422 && validationErrors(r)) {
        // the offer changed meanwhile (text version, deadline): read it again
        mandateStatus.set({ kind: "error", key: "mandate.unavailable" });
        offer = null;
        loadOffer();
    } else {
        mandateStatus.set(genericProblem(r));
    }
}

function askRevoke() {
    $("mandate-revoke").parentElement.hidden = true;
    $("mandate-revoke-confirm").hidden = false;
    $("mandate-revoke-h").focus();
}

function cancelRevoke() {
    $("mandate-revoke-confirm").hidden = true;
    $("mandate-revoke").parentElement.hidden = false;
    $("mandate-revoke").focus();
}

async function revokeMandate() {
    const r = await patchMandate({ action_id: null }, $("mandate-revoke-yes"),
        "my.mandate_revoking", "my.mandate_revoke_yes");
    if (!r)
        return;
    if (r.status === 200 && r.body) {
        claim = r.body;
        $("mandate-revoke-confirm").hidden = true;
        $("mandate-revoke").parentElement.hidden = false;
        render();
        claimStatus.set({ kind: "success", key: "my.mandate_revoked" });
        $("claim-h2").focus();
    } else if (r.status === 401 || r.status === 404) {
        lostAccess();
    } else {
        mandateStatus.set(genericProblem(r));
    }
}

function countryName(code) {
    try {
        return new Intl.DisplayNames([lang()], { type: "region" }).of(code) || code;
    } catch {
        return code;
    }
}

// --- correcting ------------------------------------------------------------------------------

const CORRECTABLE = [
    ["c-email", ["email"]], ["c-phone", ["phone"]],
    ["c-line1", ["address", "line1"]], ["c-line2", ["address", "line2"]],
    ["c-postal_code", ["address", "postal_code"]], ["c-city", ["address", "city"]],
    ["c-country", ["address", "country"]],
];

function current(path) {
    let v = claim.claimant;
    for (const k of path)
        v = v == null ? null : v[k];
    return v == null ? "" : String(v);
}

function fillCorrection() {
    fillCountries($("c-country"), COUNTRY_CODES, lang(), current(["address", "country"]) || DEFAULT_COUNTRY);
    for (const [id, path] of CORRECTABLE)
        $(id).value = current(path);
}

async function correct(ev) {
    ev.preventDefault();
    if (busy || !session)
        return;
    correctStatus.clear();
    const patch = {};
    const problems = [];
    for (const [id, path] of CORRECTABLE) {
        const now = $(id).value.trim();
        if (now === current(path))
            continue;
        const optional = path[path.length - 1] === "phone" || path[path.length - 1] === "line2";
        if (now === "" && !optional) {
            problems.push({ field: "claimant." + path.join("."), code: "required" });
            continue;
        }
        let target = patch;
        for (const k of path.slice(0, -1))
            target = target[k] = target[k] || {};
        target[path[path.length - 1]] = now === "" ? null : now;
    }
    if (problems.length) {
        correctErrors.show(problems, { focus: true });
        return;
    }
    correctErrors.clear();
    if (!Object.keys(patch).length) {
        correctStatus.set({ kind: "info", key: "my.correct_nothing" });
        return;
    }
    setBusy($("correct-save"), true, "my.correct_saving", "my.correct_save");
    let r;
    try {
        r = await api("PATCH", claimPath(), { body: { claimant: patch }, token: session.token,
            contentType: "application/merge-patch+json" });
    } catch (e) {
        if (!(e instanceof NetworkError))
            throw e;
        correctStatus.set(genericProblem(e));
        return;
    } finally {
        setBusy($("correct-save"), false, "my.correct_saving", "my.correct_save");
        $("correct-save").focus({ preventScroll: true }); // it lost the focus while disabled
    }
    const list = validationErrors(r);
    if (r.status === 200 && r.body) {
        claim = r.body;
        fillCorrection();
        render();
        correctStatus.set({ kind: "success", key: "my.corrected" });
    } else if (list) {
        correctErrors.show(list, { focus: true });
    } else if (r.status === 401 || r.status === 404) {
        lostAccess();
    } else if (r.status === 409 && problemName(r) === "duplicate-claim") {
        correctStatus.set({ kind: "error", key: "my.correct_duplicate" });
    } else if (r.status === 409 && problemName(r) === "claim-withdrawn") {
        correctStatus.set({ kind: "error", key: "my.claim_withdrawn" });
        reload();
    } else {
        correctStatus.set(genericProblem(r));
    }
}

async function reload() {
    try {
        const r = await api("GET", claimPath(), { token: session.token });
        if (r.status === 200 && r.body) {
            claim = r.body;
            render();
        }
    } catch {
        // the view stays as it was
    }
}

// --- withdrawing -----------------------------------------------------------------------------

function askWithdraw() {
    $("withdraw-start").parentElement.hidden = true;
    $("withdraw-confirm").hidden = false;
    $("withdraw-h").focus();
}

function cancelWithdraw() {
    $("withdraw-confirm").hidden = true;
    $("withdraw-start").parentElement.hidden = false;
    $("withdraw-start").focus();
}

async function withdraw() {
    if (busy || !session)
        return;
    setBusy($("withdraw-yes"), true, "my.withdrawing", "my.withdraw_yes");
    let r;
    try {
        r = await api("DELETE", claimPath(), { token: session.token });
    } catch (e) {
        if (!(e instanceof NetworkError))
            throw e;
        claimStatus.set(genericProblem(e));
        return;
    } finally {
        setBusy($("withdraw-yes"), false, "my.withdrawing", "my.withdraw_yes");
        $("withdraw-yes").focus({ preventScroll: true }); // it lost the focus while disabled
    }
    if (r.status === 200 && r.body) {
        claim = r.body;
        $("withdraw-confirm").hidden = true;
        $("withdraw-start").parentElement.hidden = false;
        render();
        claimStatus.set({ kind: "success", key: "my.withdrawn_done" });
        $("claim-h2").focus();
    } else if (r.status === 401 || r.status === 404) {
        lostAccess();
    } else {
        claimStatus.set(genericProblem(r));
    }
}

// --- wiring ----------------------------------------------------------------------------------

fillCountries($("c-country"), COUNTRY_CODES, lang(), DEFAULT_COUNTRY);
accessForm.addEventListener("submit", open);
correctForm.addEventListener("submit", correct);
$("show-token").addEventListener("change", (e) => { $("token").type = e.target.checked ? "text" : "password"; });
$("close").addEventListener("click", close);
$("withdraw-start").addEventListener("click", askWithdraw);
$("withdraw-no").addEventListener("click", cancelWithdraw);
$("withdraw-yes").addEventListener("click", withdraw);
$("mandate-give").addEventListener("click", giveMandate);
$("mandate-revoke").addEventListener("click", askRevoke);
$("mandate-revoke-no").addEventListener("click", cancelRevoke);
$("mandate-revoke-yes").addEventListener("click", revokeMandate);
onLanguageChange(() => {
    fillCountries($("c-country"), COUNTRY_CODES, lang(), DEFAULT_COUNTRY);
    render();
});
