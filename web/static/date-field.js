// SPDX-License-Identifier: AGPL-3.0-or-later
// Date fields in the page's language. A browser's <input type=date> writes its date in the
// browser's own format ("mm/dd/yyyy" on an American browser, whatever the page's language), and
// takes only what that format allows: a French volunteer reads and types "jj/mm/aaaa". So each
// such field becomes a text field in the page's format (its order from the page's locale, its
// letters from the catalogue: "jj/mm/aaaa", "dd/mm/yyyy"), said in a hint, and a button beside
// it opens the browser's own calendar (showPicker on a hidden date input: on a phone, its
// date wheel), whose choice is written back in the page's format. The field accepts the day,
// month and year separated by "/", ".", "-" or a space, a year of two digits (20xx), the
// month's name ("7 décembre 2026"), eight digits ("07122026") and ISO 8601 ("2026-12-07"); a time after the date for a
// date and time ("31/01/2030 12:00", "12h00"). The forms read it through dateValue: the ISO
// value ("2026-12-07", "2030-01-31T12:00"), "" when empty, null when it cannot be read.
import { locale, onLanguageChange, t } from "./i18n.js";
import { el } from "./common.js";

const fields = new Set();

// The order of day, month and year in the page's locale: ["day", "month", "year"] in French.
function order() {
    const parts = new Intl.DateTimeFormat(locale(), { day: "2-digit", month: "2-digit", year: "numeric" })
        .formatToParts(new Date(Date.UTC(2026, 11, 24)));
    const o = parts.map((p) => p.type).filter((x) => x === "day" || x === "month" || x === "year");
    return o.length === 3 ? o : ["day", "month", "year"];
}

// The format as letters of the page's language ("jj/mm/aaaa"), with "hh:mm" for a time.
export function formatLetters(withTime = false) {
    const letters = { day: t("date.dd"), month: t("date.mm"), year: t("date.yyyy") };
    return order().map((p) => letters[p]).join("/") + (withTime ? " " + t("date.hhmm") : "");
}

const pad = (n, w = 2) => String(n).padStart(w, "0");

// ISO ("2026-12-07" or "2026-12-07T09:30") as the field writes it ("07/12/2026 09:30").
export function formatIso(iso) {
    const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?/.exec(iso || "");
    if (!m)
        return iso || "";
    const value = { day: m[3], month: m[2], year: m[1] };
    return order().map((p) => value[p]).join("/") + (m[4] ? ` ${m[4]}:${m[5]}` : "");
}

// A month's name or its abbreviation, in the page's language or in English ("déc.", "dec"):
// its number, or 0.
function monthOf(word) {
    const norm = (s) => s.normalize("NFD").replace(/[\u0300-\u036f.]/g, "").toLowerCase();
    const w = norm(word);
    if (w.length < 3)
        return 0;
    for (const loc of [locale(), "en"]) {
        for (let m = 1; m <= 12; m++) {
            const name = norm(new Intl.DateTimeFormat(loc, { month: "long", timeZone: "UTC" })
                .format(new Date(Date.UTC(2026, m - 1, 1))));
            if (name.startsWith(w))
                return m;
        }
    }
    return 0;
}

function validDay(y, m, d) {
    if (y < 1000 || y > 9999 || m < 1 || m > 12 || d < 1)
        return false;
    return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

// What was typed, as ISO: "" when empty, null when it is no date (or no time, withTime).
export function parseDate(text, withTime = false) {
    let s = String(text || "").trim();
    if (!s)
        return "";
    // a time at the end: "12:00", "12h00", "12 h", "9h"
    let time = null;
    const tm = /(?:^|[\sT,à]+)(\d{1,2})\s*(?:[:h]\s*(\d{2})?|\s*h)$/i.exec(s);
    if (withTime && tm) {
        time = [+tm[1], tm[2] === undefined ? 0 : +tm[2]];
        s = s.slice(0, tm.index).trim();
    }
    let y, m, d;
    const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
    if (iso) {
        [y, m, d] = [+iso[1], +iso[2], +iso[3]];
    } else {
        // "07122026": eight digits, in the page's order
        const compact = /^\d{8}$/.test(s) ? order().map((p) => (p === "year" ? 4 : 2)) : null;
        const parts = compact ? compact.map((w, i) => s.slice(compact.slice(0, i).reduce((a, b) => a + b, 0),
            compact.slice(0, i + 1).reduce((a, b) => a + b, 0))) : s.split(/[\s/.\-,]+/).filter(Boolean);
        if (parts.length !== 3)
            return null;
        const named = parts.findIndex((p) => /\p{L}/u.test(p));
        if (named >= 0) {
            // "7 décembre 2026", "December 7, 2026": the name is the month, the 4-digit number the year
            m = monthOf(parts[named]);
            const nums = parts.filter((_, i) => i !== named);
            if (!m || !nums.every((p) => /^\d+$/.test(p)))
                return null;
            const yi = nums.findIndex((p) => p.length === 4);
            if (yi < 0)
                return null;
            y = +nums[yi];
            d = +nums[1 - yi];
        } else {
            if (!parts.every((p) => /^\d+$/.test(p)))
                return null;
            const value = {};
            order().forEach((p, i) => { value[p] = parts[i]; });
            if (value.year.length === 2)
                value.year = "20" + value.year;
            if (value.year.length !== 4 || value.day.length > 2 || value.month.length > 2)
                return null;
            [y, m, d] = [+value.year, +value.month, +value.day];
        }
    }
    if (!validDay(y, m, d))
        return null;
    const date = `${pad(y, 4)}-${pad(m)}-${pad(d)}`;
    if (!withTime)
        return date;
    if (!time)
        return null;
    if (time[0] > 23 || time[1] > 59)
        return null;
    return `${date}T${pad(time[0])}:${pad(time[1])}`;
}

// The ISO value of a date field ("" empty, null unreadable); of any other input, its value.
export function dateValue(input) {
    if (!fields.has(input))
        return input.value;
    return parseDate(input.value, input.dataset.dateKind === "datetime-local");
}

// Writes an ISO value in the field, in the page's format.
export function setDateValue(input, iso) {
    input.value = fields.has(input) ? formatIso(iso || "") : iso || "";
    input.dataset.iso = iso || "";
}

// The hint that says the format, and the picker's button's name, in the page's language.
function label(input) {
    const withTime = input.dataset.dateKind === "datetime-local";
    const format = formatLetters(withTime);
    const hint = document.getElementById(`${input.id}-format`);
    hint.textContent = t("date.format", { format });
    input.placeholder = format;
    const button = input.parentElement.querySelector(".date-pick");
    if (button) {
        const name = document.querySelector(`label[for="${CSS.escape(input.id)}"]`)?.textContent || "";
        button.textContent = t("date.pick");
        button.setAttribute("aria-label", t("date.pick_named", { field: name }));
    }
}

// Turns an <input type=date> (or datetime-local) into a date field of the page's language.
// Its id, name and place stay: labels, error messages and tests find it as before.
export function dateField(input) {
    const kind = input.type === "datetime-local" ? "datetime-local" : "date";
    const iso = input.value;
    input.type = "text";
    input.dataset.dateKind = kind;
    // a phone's keypad of digits with a separator ("." on an iPhone's, which has no "/")
    input.setAttribute("inputmode", kind === "date" ? "decimal" : "text");
    input.setAttribute("autocomplete", "off");
    input.setAttribute("spellcheck", "false");
    input.classList.add("date-text");
    fields.add(input);
    setDateValue(input, iso);
    // the format, said before the field (and read with it: FormErrors links every hint)
    const hint = el("p", { class: "hint date-format", id: `${input.id}-format` });
    input.before(hint);
    // the browser's calendar, where it has one it can open on demand
    const picker = el("input", { type: kind, tabindex: "-1", "aria-hidden": "true", class: "date-proxy" });
    if (typeof picker.showPicker === "function") {
        const button = el("button", { type: "button", class: "button secondary small date-pick" });
        button.addEventListener("click", () => {
            const v = dateValue(input);
            picker.value = v || "";
            try {
                picker.showPicker();
            } catch {
                input.focus();   // refused (no user activation): the field stays to type in
            }
        });
        picker.addEventListener("change", () => {
            if (!picker.value)
                return;
            setDateValue(input, picker.value);
            input.dispatchEvent(new Event("input", { bubbles: true }));
            input.focus();
        });
        const wrap = el("span", { class: "date-wrap" });
        input.replaceWith(wrap);
        wrap.append(input, " ", button, picker);
    }
    // what is typed stays the same date when the language changes its order ("12/07" → "07/12")
    input.addEventListener("input", () => {
        input.dataset.iso = dateValue(input) || "";
    });
    input.addEventListener("change", () => {
        const v = dateValue(input);
        if (v)
            setDateValue(input, v);   // "7.12.26" written back as "07/12/2026"
    });
    input.dataset.iso = dateValue(input) || "";
    label(input);
}

// Every date field of root; called once, before the forms are used.
export function dateFields(root = document) {
    for (const input of root.querySelectorAll('input[type="date"], input[type="datetime-local"]'))
        dateField(input);
}

onLanguageChange(() => {
    for (const input of fields) {
        // a date read in the former order is written in the new one; an unreadable text stays
        if (input.dataset.iso && input.value.trim())
            setDateValue(input, input.dataset.iso);
        label(input);
    }
});
