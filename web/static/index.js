// SPDX-License-Identifier: AGPL-3.0-or-later
// The home page: what recours is, and the incidents open for claims (GET /v1/incidents,
// cursor pages of 100 behind a "Show more" button).
import { onLanguageChange } from "./i18n.js";
import { NetworkError, StatusLine, fetchIncidents, initPage } from "./common.js";
import { incidentCard } from "./incidents.js";

initPage("title.index");

const list = document.getElementById("incidents");
const more = document.getElementById("more");
const status = new StatusLine(document.getElementById("incidents-status"));
const incidents = [];
let next = null;

// All the cards (a change of language), or only those of the page just received.
function render(from = 0) {
    const cards = incidents.slice(from).map(incidentCard);
    if (from === 0)
        list.replaceChildren(...cards);
    else
        list.append(...cards);
    more.hidden = !next;
}

async function load(cursor) {
    list.setAttribute("aria-busy", "true");
    more.disabled = true;
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
        list.setAttribute("aria-busy", "false");
        more.disabled = false;
    }
}

more.addEventListener("click", () => load(next));
onLanguageChange(() => render(0));
load(null);
