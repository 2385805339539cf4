// SPDX-License-Identifier: AGPL-3.0-or-later
// The associations' page, for now: an API key kept in this module's memory only (nothing uses
// it until the associations API exists) and the incidents open for claims.
import { onLanguageChange, t } from "./i18n.js";
import {
    NetworkError, StatusLine, categoriesText, el, fetchIncidents, formatDate, formatNumber,
    initPage,
} from "./common.js";
import { FormErrors } from "./forms.js";

initPage("title.dashboard");

const $ = (id) => document.getElementById(id);
const keyForm = $("key-form");
const keyErrors = new FormErrors(keyForm, $("key-errors"));
const keyStatus = new StatusLine($("key-status"));
const status = new StatusLine($("incidents-status"));
const incidents = [];
let next = null;
// The association's API key: this variable only, gone with the page.
let apiKey = null;

keyForm.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const v = $("api_key").value.trim();
    if (!v) {
        keyErrors.show([{ field: "api_key", code: "required" }], { focus: true });
        return;
    }
    keyErrors.clear();
    apiKey = v;
    $("api_key").value = "";
    $("forget-key").hidden = false;
    keyStatus.set({ kind: "success", key: "dash.key_kept" });
});

$("forget-key").addEventListener("click", () => {
    apiKey = null;
    $("forget-key").hidden = true;
    keyStatus.set({ kind: "info", key: "dash.key_forgotten" });
    $("api_key").focus();
});

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
}

async function load(cursor) {
    $("more").disabled = true;
    if (!incidents.length)
        status.set({ key: "common.loading" });
    try {
        const r = await fetchIncidents(cursor);
        if (r.status !== 200 || !r.body || !Array.isArray(r.body.data)) {
            status.set({ kind: "error", key: "index.load_error",
                action: { key: "common.retry", run: () => load(cursor) } });
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
            action: { key: "common.retry", run: () => load(cursor) } });
    } finally {
        $("more").disabled = false;
    }
}

$("more").addEventListener("click", () => load(next));
onLanguageChange(() => render(0));
load(null);
