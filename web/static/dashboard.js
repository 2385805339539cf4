// SPDX-License-Identifier: AGPL-3.0-or-later
// The associations' page (docs/product.md §1, docs/workspace.md): open actions, gather mandated
// claims, review members, watch the summary drawn, simulate, export for counsel. The API key
// lives in the `apiKey` variable of this module and in this tab's sessionStorage (so that a
// reload within the tab keeps it: docs/decisions.md "Workspace: the key in sessionStorage"),
// never in localStorage, a cookie, the address or a log. Every call goes through call(),
// where a 401 (wrong or revoked key) forgets the key and asks for it again.
//
// This file: the key, the open incidents, the association's actions (GET /v1/actions, cursor
// pages) and the form that opens one (POST /v1/actions, one Idempotency-Key per submission
// attempt). The selected action: its facts, additions, totals and exports in
// dashboard-action.js; its members in dashboard-members.js; charts in dashboard-charts.js;
// simulation in dashboard-simulate.js; the public record in dashboard-record.js; notices to
// the members in dashboard-notices.js; tabs and copy buttons in dashboard-ui.js.
import { onLanguageChange, t } from "./i18n.js";
import {
    NetworkError, StatusLine, api, categoriesText, el, fetchIncidents, formatDate,
    formatDateTime, formatNumber, genericProblem, initPage, problemName,
} from "./common.js";
import { FormErrors } from "./forms.js";
import { ActionPanel, idempotencyKey } from "./dashboard-action.js";
import { fieldErrors, refusalMessage } from "./dashboard-refusal.js";
import { ChartsPanel } from "./dashboard-charts.js";
import { MembersTab } from "./dashboard-members.js";
import { RecordTab } from "./dashboard-record.js";
import { NoticesTab } from "./dashboard-notices.js";
import { SimulatePanel } from "./dashboard-simulate.js";
import { LatestRead, redrawRows, refocus, retryAction, wireTabs } from "./dashboard-ui.js";
import { dateFields, dateValue } from "./date-field.js";
import { readPlace, writePlace } from "./dashboard-place.js";

initPage("title.dashboard");
// before any form links its hints: the date fields in the page's language (date-field.js)
dateFields();

const $ = (id) => document.getElementById(id);
const keyForm = $("key-form");
/* hidden in the page for a browser without JavaScript */
$("key-panel").hidden = false;
$("incidents-panel").hidden = false;
const keyErrors = new FormErrors(keyForm, $("key-errors"));
const keyStatus = new StatusLine($("key-status"));
const status = new StatusLine($("incidents-status"));
const actionsStatus = new StatusLine($("actions-status"));
const openForm = $("open-form");
const openErrors = new FormErrors(openForm, $("open-errors"));
const openStatus = new StatusLine($("open-status"));

const incidents = [];
let next = null;
// The association's API key: this variable, and this tab's sessionStorage under KEY_SLOT.
let apiKey = null;
const KEY_SLOT = "recours.dashboard.key";

function keepKey(key) {
    try {
        if (key)
            window.sessionStorage.setItem(KEY_SLOT, key);
        else
            window.sessionStorage.removeItem(KEY_SLOT);
    } catch {
        // storage refused (private mode, policy): the key lasts as long as the page
    }
}

function keptKey() {
    try {
        return window.sessionStorage.getItem(KEY_SLOT);
    } catch {
        return null;
    }
}
let actions = [];
let actionsNext = null;
const actionsReads = new LatestRead($("actions-list")); // the last read asked for is shown
let selectedId = null;
let openAttempt = null;   // {body, key}: kept only while the answer to that body is unknown
let openBusy = false;

// --- the key and the calls made with it ------------------------------------------------------

// A call with the key; a 401 forgets the key (the caller sees the 401 and stops there).
async function call(method, path, opts = {}) {
    const r = await api(method, path, { ...opts, token: apiKey });
    if (r.status === 401)
        keyRefused();
    return r;
}

function keyRefused() {
    apiKey = null;
    keepKey(null);
    selectedId = null;
    panel.close();
    // the members' filter and pages go with the key, as "Forget the key" does: a reference
    // searched for is a member's, not to stay in a tab whose key no longer works
    members.close({ forget: true });
    notices.close();
    $("workspace").hidden = true;
    $("forget-key").hidden = true;
    keyStatus.set({ kind: "error", key: "dash.key_refused" });
    $("api_key").focus();
    keyForm.scrollIntoView({ block: "start" });
}

// Tries key: the actions are listed with it, or it is refused (the message is shown).
// byEnter: the key was sent by Enter in its field, which is emptied: accepted, the focus goes on
// to the actions' heading (left in the empty field, a phone's keyboard stayed up over the
// actions). Pressed, the button keeps it, as every button disabled while its answer comes
// (docs/workspace.md): "Forget the key" is beside it.
async function useKey(v, { byEnter = false } = {}) {
    apiKey = v;
    $("use-key").disabled = true;
    keyStatus.set({ key: "dash.key_checking" });
    const ok = await loadActions(null, { first: true });
    $("use-key").disabled = false;
    refocus($("use-key"));   // pressed, it lost the focus while disabled
    if (!ok) {
        keepKey(null);
        return;
    }
    keepKey(v);
    $("forget-key").hidden = false;
    $("workspace").hidden = false;
    keyStatus.set({ kind: "success", key: "dash.key_kept" });
    if (byEnter && document.activeElement === $("api_key"))
        $("actions-h2").focus();   // a place named by the address takes it on (restorePlace)
    // a reload, a bookmark, the key asked again: the action and tab the address names
    if (readPlace().id)
        await restorePlace();
}

keyForm.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const v = $("api_key").value.trim();
    if (!v) {
        keyErrors.show([{ field: "api_key", code: "required" }], { focus: true });
        return;
    }
    keyErrors.clear();
    // Enter in the field leaves the focus in it; a press of the button is on the button
    const byEnter = document.activeElement === $("api_key");
    $("api_key").value = "";
    await useKey(v, { byEnter });
});

$("forget-key").addEventListener("click", () => {
    apiKey = null;
    keepKey(null);
    members.close({ forget: true });
    writePlace(null, null, false);   // the next key's holder starts from their list
    actions = [];
    selectedId = null;
    panel.close();
    $("workspace").hidden = true;
    $("forget-key").hidden = true;
    keyStatus.set({ kind: "info", key: "dash.key_forgotten" });
    $("api_key").focus();
});

// --- the open incidents ----------------------------------------------------------------------

// All the rows (a change of language), or only those of the page just received.
function render(from = 0) {
    // data-label: the column's name, shown before each cell when the table is stacked (phone)
    const cell = (col, content, cls) => el("td", { class: cls, dataset: { label: t("dash.col." + col) } }, content);
    const rows = incidents.slice(from).map((inc) => el("tr", { dataset: { slug: inc.slug } },
        cell("controller", inc.controller),
        cell("incident", inc.title),
        cell("disclosed", formatDate(inc.disclosed_on), "nowrap"),
        cell("affected", formatNumber(inc.affected_count), "num"),
        cell("categories", categoriesText(inc.data_categories)),
        cell("slug", el("code", { text: inc.slug }))));
    if (from === 0)
        $("incidents-rows").replaceChildren(...rows);
    else
        $("incidents-rows").append(...rows);
    $("incidents-table").hidden = incidents.length === 0;
    $("more").hidden = !next;
    renderIncidentChoice();
}

async function load(cursor) {
    $("more").disabled = true;
    if (!incidents.length)
        status.set({ key: "common.loading" });
    try {
        const r = await fetchIncidents(cursor);
        if (r.status !== 200 || !r.body || !Array.isArray(r.body.data)) {
            status.set({ kind: "error", key: "index.load_error",
                action: retryAction("dash-incidents", () => load(cursor)) });
            return;
        }
        const from = incidents.length;
        incidents.push(...r.body.data);
        next = r.body.next || null;
        render(from);
        status.set(incidents.length ? null : { key: "index.none" });
    } catch (e) {
        if (!(e instanceof NetworkError))
            throw e;
        status.set({ kind: "error", key: "problem.network",
            action: retryAction("dash-incidents", () => load(cursor)) });
    } finally {
        $("more").disabled = false;
    }
}

function incidentBySlug(slug) {
    return incidents.find((i) => i.slug === slug) || null;
}

// The incident <select> of the open form: the open incidents listed on the page.
function renderIncidentChoice() {
    const select = $("o-incident");
    const chosen = select.value;
    select.replaceChildren(el("option", { value: "", text: t("dash.choose_incident") }),
        ...incidents.map((i) => el("option", { value: i.slug,
            text: `${i.controller} — ${i.title} (${i.slug})` })));
    select.value = incidents.some((i) => i.slug === chosen) ? chosen : "";
}

// --- the association's actions ---------------------------------------------------------------

// One page of actions (cursor null: from the start). false when the key was refused or the
// list could not be read (the message is shown), or a later read was asked for meanwhile.
async function loadActions(cursor, { first = false } = {}) {
    $("actions-more").disabled = true;
    try {
        return await actionsReads.run((ticket) => readActions(cursor, first, ticket));
    } finally {
        $("actions-more").disabled = false;
    }
}

async function readActions(cursor, first, ticket) {
    let r;
    try {
        r = await call("GET", "/v1/actions?limit=100" + (cursor ? "&cursor=" + encodeURIComponent(cursor) : ""));
    } catch (e) {
        if (!(e instanceof NetworkError))
            throw e;
        r = e;
    }
    if (r.status === 401 || !ticket.latest())
        return false;
    if (r instanceof NetworkError || r.status !== 200 || !r.body || !Array.isArray(r.body.data)) {
        if (first) {
            apiKey = null;
            keyStatus.set(genericProblem(r));
            return false;
        }
        // the list read before is not left standing beside the refusal as if it were current (an
        // action opened, a status moved since): a first page refused empties it; a next page
        // refused leaves the pages read, which the line says are not all, with Try again
        if (!cursor) {
            actions = [];
            actionsNext = null;
            renderActions();
        }
        actionsStatus.set({ ...genericProblem(r), action: retryAction("actions-h2", () => loadActions(cursor)) });
        return false;
    }
    if (!cursor)
        actions = [];
    actions.push(...r.body.data);
    actionsNext = r.body.next || null;
    renderActions();
    actionsStatus.set(actions.length ? null : { key: "dash.no_actions" });
    return true;
}

function renderActions() {
    const cell = (col, content, cls) => el("td", { class: cls, dataset: { label: t("dash.acol." + col) } }, content);
    const rows = actions.map((a) => {
        const inc = incidentBySlug(a.incident);
        const button = el("button", { type: "button", class: "button secondary small",
            text: t("dash.manage"), "aria-label": t("dash.manage_named", { title: a.title }) });
        button.addEventListener("click", () => {
            select(a.id, null, { push: true });
            $("action-h2").focus();   // its button is drawn anew: the keyboard goes on in the action
        });
        return el("tr", { dataset: { id: a.id }, class: a.id === selectedId ? "selected" : null,
            "aria-current": a.id === selectedId ? "true" : null },
        cell("title", a.title),
        cell("incident", inc ? `${inc.controller} — ${inc.title}` : el("code", { text: a.incident })),
        cell("status", t("astatus." + a.status)),
        cell("deadline", formatDateTime(a.opt_in_deadline), "nowrap"),
        cell("members", formatNumber(a.member_count), "num"),
        el("td", { class: "cell-action" }, button));
    });
    redrawRows($("actions-rows"), "id", rows, $("actions-h2"));
    $("actions-table").hidden = actions.length === 0;
    $("actions-more").hidden = !actionsNext;
}

// known: the action itself when the list may lack it (just opened, the list's read refused, an
// action of a later page named by the address); tab: the tab to show (another action: its
// members); push: the address's new place is a step of the history (Back returns here).
function select(id, known = null, { tab = null, push = false } = {}) {
    const a = actions.find((x) => x.id === id) || known;
    if (!a)
        return;
    const other = selectedId !== id;
    selectedId = id;
    renderActions();
    const inc = incidentBySlug(a.incident);
    panel.show(a, inc);
    const toTab = tab || (other ? "tab-list" : null);
    const turned = toTab !== null && toTab !== currentTab();
    if (toTab)
        showTab(toTab);   // its panel's reads start (the summary's charts, the record)
    members.show(a, inc);
    notices.show(a);
    simulate.show(a, inc);
    if (!turned && !$("panel-summary").hidden)
        charts.load(a);
    if (!turned && !$("panel-record").hidden)
        record.load(a);
    writePlace(selectedId, currentTab(), push);
}

function currentTab() {
    return $("action-tabs").querySelector("[role=tab][aria-selected=true]").id;
}

// The place the address names (a reload, Back, Forward, a bookmark): its action and tab, the
// keyboard on the tab's heading; no action named: the list; an action that is not (or no
// longer) the association's: the list, saying so. Without the key nothing is shown: the key
// entered, useKey comes here.
async function restorePlace() {
    const place = readPlace();
    if (!place.id) {
        if (selectedId)
            leaveAction();
        return;
    }
    let a = actions.find((x) => x.id === place.id);
    if (!a) {
        let r;
        try {
            r = await call("GET", `/v1/actions/${encodeURIComponent(place.id)}`);
        } catch (e) {
            if (!(e instanceof NetworkError))
                throw e;
            r = e;
        }
        if (r.status === 401 || readPlace().id !== place.id)
            return;   // the key asked again, or the address moved on meanwhile
        if (r instanceof NetworkError || r.status >= 500 || r.status === 429) {
            leaveAction({ ...genericProblem(r), action: retryAction("actions-h2", restorePlace) });
            return;
        }
        if (r.status !== 200 || !r.body || !r.body.id) {
            writePlace(null, null, false);
            leaveAction({ kind: "error", key: "dash.place_unknown" });
            return;
        }
        a = r.body;
    }
    // on a reload the incidents are read beside the key: the panel names the action's incident
    // from them ("Coupang Corp. — … (coupang-2025)", not the slug alone)
    await incidentsRead.catch(() => null);   // unread: the slug is named alone, as before
    if (readPlace().id !== place.id)
        return;   // the address moved on meanwhile
    select(a.id, a, { tab: place.tab });
    const heading = $(place.tab.replace(/^tab-/, "panel-")).querySelector("h3");
    heading.tabIndex = -1;
    heading.focus();
}

// Back to the list of actions, none selected; said: why (the action named could not be shown).
function leaveAction(said = null) {
    selectedId = null;
    panel.close();
    members.close();
    notices.close();
    renderActions();
    if (said)
        actionsStatus.set(said);
    $("actions-h2").tabIndex = -1;
    $("actions-h2").focus();
}

// The panel changed an action (members added, status moved): the list follows.
function actionChanged(updated) {
    const i = actions.findIndex((x) => x.id === updated.id);
    if (i >= 0)
        actions[i] = updated;
    renderActions();
}

const panel = new ActionPanel({ call, token: () => apiKey, onChanged: actionChanged,
    onUnauthorized: keyRefused });
const charts = new ChartsPanel({ call, status: new StatusLine($("charts-status")), body: $("charts-body") });
const members = new MembersTab({ call, onChanged: async () => {
    await panel.refresh();
    if (panel.action)
        charts.load(panel.action);
}, memberCount: () => (panel.action && panel.action.id === members.action?.id ? panel.action.member_count : null) });
const simulate = new SimulatePanel({ call });
// the record saved: the facts above the tabs and the list follow
const record = new RecordTab({ call, onChanged: (updated) => {
    actionChanged(updated);
    panel.show(updated, incidentBySlug(updated.incident));
} });
const notices = new NoticesTab({ call, currentFilter: () => members.filter(),
    describeFilter: (f) => members.describe(f) });
// Back, Forward, an address edited: the place it names (none: the list). Without the key, the
// place waits for it (useKey).
window.addEventListener("popstate", () => {
    if (apiKey && !$("workspace").hidden)
        restorePlace();
});
// the summary tab draws its charts when shown (they cost three reads); the record tab reads
// the action's record; the notices tab reads its list (and their progress) again
const showTab = wireTabs($("action-tabs"), (panelId, how) => {
    // a tab chosen by the volunteer goes in the address (a click is a step of the history; the
    // arrows walking through the tabs are not one each)
    if (how && selectedId)
        writePlace(selectedId, panelId.replace(/^panel-/, "tab-"), how === "click");
    // the members listed again: those added in "Add members" meanwhile appear (on a change of
    // action, members.show reads the new action's list itself)
    if (panelId === "panel-list" && panel.action && members.action?.id === panel.action.id)
        members.refresh();
    if (panelId === "panel-summary" && panel.action)
        charts.load(panel.action);
    if (panelId === "panel-record" && panel.action)
        record.load(panel.action);
    if (panelId === "panel-notices" && panel.action && notices.action?.id === panel.action.id)
        notices.load();
});

// --- opening an action -----------------------------------------------------------------------

// The browser's part of the checks; the server checks everything again (422 at the fields).
function openClientErrors() {
    const out = [];
    const need = (id, field) => {
        if ($(id).value.trim() === "")
            out.push({ field, code: "required" });
    };
    need("o-incident", "incident");
    need("o-title", "title");
    need("o-legal-basis", "legal_basis");
    if (dateValue($("o-deadline")) === null)
        out.push({ field: "opt_in_deadline", code: "invalid-date" });
    else
        need("o-deadline", "opt_in_deadline");
    need("o-counsel-name", "counsel_name");
    need("o-counsel-email", "counsel_email");
    if ($("o-counsel-email").value.trim() !== "" && $("o-counsel-email").validity.typeMismatch)
        out.push({ field: "counsel_email", code: "invalid-format" });
    need("o-mandate-text", "mandate_text");
    need("o-mandate-version", "mandate_text_version");
    return out;
}

// "2027-01-31T23:59" in the reader's time zone → "2027-01-31T22:59:00Z"
function deadlineUtc(local) {
    const d = new Date(local);
    if (Number.isNaN(d.getTime()))
        return local;
    return d.toISOString().replace(/\.\d{3}Z$/, "Z");
}

function openBody() {
    return {
        incident: $("o-incident").value,
        title: $("o-title").value.trim(),
        legal_basis: $("o-legal-basis").value,
        opt_in_deadline: deadlineUtc(dateValue($("o-deadline"))),
        counsel_name: $("o-counsel-name").value.trim(),
        counsel_email: $("o-counsel-email").value.trim(),
        mandate_text: $("o-mandate-text").value.trim(),
        mandate_text_version: $("o-mandate-version").value.trim(),
    };
}

function setOpenBusy(busy) {
    openBusy = busy;
    const b = $("open-submit");
    b.disabled = busy;
    b.dataset.i18n = busy ? "dash.opening" : "dash.open_submit";
    b.textContent = t(b.dataset.i18n);
    openForm.setAttribute("aria-busy", String(busy));
}

openForm.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    if (openBusy || !apiKey)
        return;
    openStatus.clear();
    const local = openClientErrors();
    if (local.length) {
        openErrors.show(local, { focus: true });
        return;
    }
    const text = JSON.stringify(openBody());
    // the same body sent again while its answer is unknown reuses the key: never two actions
    if (!openAttempt || openAttempt.body !== text)
        openAttempt = { body: text, key: idempotencyKey() };
    setOpenBusy(true);
    let r;
    try {
        r = await call("POST", "/v1/actions", { body: text,
            headers: { "Idempotency-Key": openAttempt.key } });
    } catch (e) {
        if (!(e instanceof NetworkError))
            throw e;
        openErrors.clear();
        openStatus.set({ kind: "error", key: "dash.open_network" });
        return;
    } finally {
        setOpenBusy(false);
        $("open-submit").focus({ preventScroll: true }); // it lost the focus while disabled
    }
    openAnswer(r);
});

async function openAnswer(r) {
    if (r.status === 401)
        return;
    const name = problemName(r);
    // a definite answer ends the attempt; a lost or refused-for-now one keeps its key
    if (!(r.status >= 500 || r.status === 429 || name === "idempotency-key-in-use"))
        openAttempt = null;
    const list = fieldErrors(r);
    if (r.status === 201 && r.body && r.body.id) {
        openErrors.clear();
        openForm.reset();
        renderIncidentChoice();
        openStatus.set({ kind: "success", key: "dash.opened", params: { title: r.body.title } });
        await loadActions(null);
        select(r.body.id, r.body, { push: true });
        $("action-h2").focus();
        return;
    }
    if (list) {
        openErrors.show(list, { focus: true });
        return;
    }
    openErrors.clear();
    openStatus.set(refusalMessage(r));
}

// --- wiring ----------------------------------------------------------------------------------

// "More" is hidden once the last page is listed: the focus then goes to the list's heading
$("more").addEventListener("click", async () => {
    await load(next);
    refocus($("more"), $("dash-incidents"));
});
$("actions-more").addEventListener("click", async () => {
    await loadActions(actionsNext);
    refocus($("actions-more"), $("actions-h2"));
});
onLanguageChange(() => {
    render(0);
    renderActions();
    charts.render();
});
// the first page of incidents, which a place restored waits for (the action's incident is
// named from it)
const incidentsRead = load(null);
// a reload within the tab: the key kept in sessionStorage is tried again
const kept = keptKey();
if (kept)
    useKey(kept);
