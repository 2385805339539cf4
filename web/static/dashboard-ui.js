// SPDX-License-Identifier: AGPL-3.0-or-later
// Small pieces of the workspace: the action's tabs (WAI-ARIA tabs pattern: arrows, Home, End;
// one panel shown, so that on a phone no part is more than a few screens), copy buttons, and
// the rule of a list read again (LatestRead).
import { t } from "./i18n.js";
import { el } from "./common.js";

// Wires the tablist; onShow(panelId, how) runs when a tab is shown, how saying who chose it: "click",
// "key" (the arrows, Home, End) or undefined (the page itself). Returns show(tabId).
export function wireTabs(tablist, onShow) {
    const tabs = Array.from(tablist.querySelectorAll("[role=tab]"));
    const show = (tab, focus = false, how = undefined) => {
        for (const x of tabs) {
            const on = x === tab;
            x.setAttribute("aria-selected", String(on));
            x.tabIndex = on ? 0 : -1;
            document.getElementById(x.getAttribute("aria-controls")).hidden = !on;
        }
        if (focus)
            tab.focus();
        onShow?.(tab.getAttribute("aria-controls"), how);
    };
    for (const tab of tabs) {
        tab.addEventListener("click", () => show(tab, false, "click"));
        tab.addEventListener("keydown", (ev) => {
            const i = tabs.indexOf(tab);
            const to = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 }[ev.key];
            if (to === undefined)
                return;
            ev.preventDefault();
            show(tabs[(to + tabs.length) % tabs.length], true, "key");
        });
    }
    return (id) => show(document.getElementById(id));
}

// Escape within a confirmation box is its Cancel, pressed (the focus goes where Cancel sends it):
// a keyboard that pressed Escape to drop a question was left in it, as a phone's Back is not.
export function escapeCancels(box, cancel) {
    box.addEventListener("keydown", (ev) => {
        if (ev.key !== "Escape" || box.hidden || cancel.hidden || cancel.disabled)
            return;
        ev.preventDefault();
        cancel.click();
    });
}

// A button after `target` (an element whose text is copied) saying "Copied" for a moment.
export function copyButton(target, whatKey) {
    const b = el("button", { type: "button", class: "button secondary small copy",
        text: t("ws.copy"), "aria-label": t("ws.copy_named", { what: t(whatKey) }) });
    const say = el("span", { class: "copy-said", role: "status" });
    b.addEventListener("click", async () => {
        try {
            await navigator.clipboard.writeText(target.textContent.trim());
            say.textContent = t("ws.copied");
        } catch {
            // no clipboard (insecure context, denied): select the text for a manual copy
            const range = document.createRange();
            range.selectNodeContents(target);
            const sel = window.getSelection();
            sel.removeAllRanges();
            sel.addRange(range);
            say.textContent = t("ws.copy_failed");
        }
    });
    return el("span", { class: "copy-wrap" }, b, say);
}

// A list read again may be asked for again before its answer comes (a poll and Refresh, the tab
// shown then Apply, a page turned twice): only the last read asked for is shown, else an older
// answer drawn last would stand as current. region is aria-busy from a read's start to the end
// of the last one's handling: "not yet what you asked for" for a screen reader, and the page's
// own sign, for the browser tests, that what the region shows is that answer (or says why not).
// Its data-reads-handled counts the answers handled, drawn or set aside as older: the sign that
// an older answer, come last, was handled (and not drawn).
export class LatestRead {
    constructor(region) {
        this.region = region;
        this.asked = 0;
        this.handled = 0;
    }

    // A read begins: its ticket. latest(): no read was asked for since; end(): its answer
    // handled (in a finally), which ends the busy state if it is the last read.
    start() {
        const seq = ++this.asked;
        this.region.setAttribute("aria-busy", "true");
        return {
            latest: () => seq === this.asked,
            end: () => {
                this.region.dataset.readsHandled = String(++this.handled);
                if (seq === this.asked)
                    this.region.setAttribute("aria-busy", "false");
            },
        };
    }

    // read(ticket) as a read of its own: started, then ended whatever it does; its result.
    async run(read) {
        const ticket = this.start();
        try {
            return await read(ticket);
        } finally {
            ticket.end();
        }
    }
}

// The Try again of a read refused, said on a status line. Its press reads again, and the line
// then says "Loading…" in its place: the button, which had the focus, is gone, and a keyboard
// would start again from the page's top. The focus goes first to the heading of what is read
// (made focusable by script only: it is not a stop of the Tab order). With at (the status line
// that held the button) it stays where the button was, on that line ("Loading…"), and once read
// goes to list if the line is gone, the heading last: where a heading sits above a form (the
// members' filters), it would take a phone's reader screens back up.
export function retryAction(headingId, run, key = "common.retry", { at = null, list = null } = {}) {
    return { key, run: async () => {
        const heading = document.getElementById(headingId);
        const here = at || heading;
        here.tabIndex = -1;
        here.focus();
        const result = await run();
        if (document.activeElement === here || document.activeElement === document.body)
            refocus(here, list, heading);
        return result;
    } };
}

// The focus, when the control that had it was disabled or hidden meanwhile (a button busy while
// its answer comes, "Next page" on the last page), goes to the first of candidates still shown
// and usable (a heading is made focusable by script), rather than to the page's top.
export function refocus(...candidates) {
    // hidden: a status line with nothing to say keeps a box of no size (style.css), not shown
    const usable = (e) => e && !e.disabled && !e.closest("[hidden]") && e.getClientRects().length > 0;
    const a = document.activeElement;
    if (a && a !== document.body && usable(a))
        return;
    const target = candidates.find(usable);
    if (!target)
        return;
    if (/^(H\d|TABLE|DIV)$/.test(target.tagName) && !target.hasAttribute("tabindex"))
        target.tabIndex = -1;
    target.focus();
}

// A table's rows drawn anew (a poll of the notices' progress every 2 s, a list read again, a
// language change) while the focus is on one of their controls: it stays on the same control
// of the same row (rowKey: a row's dataset key), or goes to fallback if that row or control is
// gone, instead of falling to the page's top under the keyboard. What a page carries from row
// to row ([data-carried]: the members' selection bar, a row's question under it) is no row's
// control: the caller keeps its focus.
export function redrawRows(tbody, rowKey, rows, fallback) {
    const controls = (tr) => Array.from(tr.querySelectorAll("button, input, select, a[href]"))
        .filter((c) => !c.closest("[data-carried]"));
    const a = document.activeElement;
    const tr = a && a !== tbody && tbody.contains(a) && !a.closest("[data-carried]") ? a.closest("tr") : null;
    const was = tr ? { key: tr.dataset[rowKey], at: controls(tr).indexOf(a) } : null;
    tbody.replaceChildren(...rows);
    if (!was)
        return;
    const row = Array.from(tbody.rows).find((r) => r.dataset[rowKey] === was.key);
    refocus(row ? controls(row)[was.at] : null, fallback);
}
