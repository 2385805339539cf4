// SPDX-License-Identifier: AGPL-3.0-or-later
// Where the volunteer is in the workspace, kept so that a reload (a phone browser reloads a tab
// left in the background by itself), Back and Forward, and a bookmark return there: the
// selected action's id and its tab in the address's "#" (the id is public already: /a/{id}),
// "#action=<id>&tab=summary"; nothing else goes there: a filter may hold a reference someone
// typed, which is kept in the tab's sessionStorage instead (rememberState).

// The name of each tab in the address, by its tab's id.
const TAB_NAMES = {
    "tab-list": "members", "tab-add": "add", "tab-summary": "summary", "tab-simulate": "simulate",
    "tab-exports": "exports", "tab-record": "record", "tab-notices": "notices",
};

// The place the address names: {id, tab (a tab's id)}, id null when it names no action.
export function readPlace() {
    const p = new URLSearchParams(window.location.hash.slice(1));
    const id = p.get("action") || null;
    const tab = Object.keys(TAB_NAMES).find((k) => TAB_NAMES[k] === p.get("tab")) || "tab-list";
    return { id, tab };
}

// The address made to name the place (id null: no action); push makes it a step of the
// history (Back returns to the place before), else it replaces the current one.
export function writePlace(id, tab, push) {
    const hash = id ? `#action=${encodeURIComponent(id)}&tab=${TAB_NAMES[tab] || "members"}` : "";
    if (hash === window.location.hash)
        return;
    const url = window.location.pathname + window.location.search + hash;
    if (push)
        window.history.pushState(null, "", url);
    else
        window.history.replaceState(null, "", url);
}

// A small state of the tab (the members' filter and pages) in sessionStorage, as the key is:
// gone with the tab, never in the address. null when none is kept or storage is refused.
export function rememberState(slot, value) {
    try {
        if (value === null)
            window.sessionStorage.removeItem(slot);
        else
            window.sessionStorage.setItem(slot, JSON.stringify(value));
    } catch {
        // storage refused (private mode, policy): the place lasts as long as the page
    }
}

export function rememberedState(slot) {
    try {
        return JSON.parse(window.sessionStorage.getItem(slot) || "null");
    } catch {
        return null;
    }
}
