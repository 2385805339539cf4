// SPDX-License-Identifier: AGPL-3.0-or-later
// Small pieces of the workspace: the action's tabs (WAI-ARIA tabs pattern: arrows, Home, End;
// one panel shown, so that on a phone no part is more than a few screens) and copy buttons.
import { t } from "./i18n.js";
import { el } from "./common.js";

// Wires the tablist; onShow(panelId) runs when a tab is chosen. Returns show(tabId).
export function wireTabs(tablist, onShow) {
    const tabs = Array.from(tablist.querySelectorAll("[role=tab]"));
    const show = (tab, focus = false) => {
        for (const x of tabs) {
            const on = x === tab;
            x.setAttribute("aria-selected", String(on));
            x.tabIndex = on ? 0 : -1;
            document.getElementById(x.getAttribute("aria-controls")).hidden = !on;
        }
        if (focus)
            tab.focus();
        onShow?.(tab.getAttribute("aria-controls"));
    };
    for (const tab of tabs) {
        tab.addEventListener("click", () => show(tab));
        tab.addEventListener("keydown", (ev) => {
            const i = tabs.indexOf(tab);
            const to = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 }[ev.key];
            if (to === undefined)
                return;
            ev.preventDefault();
            show(tabs[(to + tabs.length) % tabs.length], true);
        });
    }
    return (id) => show(document.getElementById(id));
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
