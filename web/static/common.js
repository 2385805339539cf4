// SPDX-License-Identifier: AGPL-3.0-or-later
// What every page shares: start-up (language switch, texts, title), calls to the API,
// locale formatting, and small DOM helpers. No page keeps a credential anywhere but in
// a JavaScript variable of its own module.
import { LANGUAGES, applyI18n, lang, languageName, locale, onLanguageChange, setLanguage, t } from "./i18n.js";

// The order of docs/api.md §8.6; categories are always shown in it.
export const CATEGORIES = ["name", "email", "phone", "postal_address", "birth_date", "password",
    "financial", "national_id", "health", "order_history", "location", "biometric"];

// ISO 4217 minor units where they are not 2 (the server's table, api/domain/currency.c).
const MINOR_UNITS = {
    BHD: 3, BIF: 0, CLP: 0, DJF: 0, GNF: 0, IQD: 3, ISK: 0, JOD: 3, JPY: 0, KMF: 0, KRW: 0,
    KWD: 3, LYD: 3, OMR: 3, PYG: 0, RWF: 0, TND: 3, UGX: 0, VND: 0, VUV: 0, XAF: 0, XOF: 0,
    XPF: 0,
};

export function currencyDecimals(code) {
    return code in MINOR_UNITS ? MINOR_UNITS[code] : 2;
}

// Page start-up: the language switch, the texts, the title, the current menu entry.
export function initPage(titleKey) {
    document.documentElement.lang = lang();
    const group = document.getElementById("lang-switch");
    if (group) {
        for (const code of LANGUAGES) {
            const b = document.createElement("button");
            b.type = "button";
            b.className = "lang-button";
            b.dataset.lang = code;
            b.lang = code;
            b.textContent = languageName(code);
            b.addEventListener("click", () => setLanguage(code));
            group.appendChild(b);
        }
    }
    const here = window.location.pathname;
    for (const a of document.querySelectorAll(".site-nav a")) {
        if (a.getAttribute("href") === here)
            a.setAttribute("aria-current", "page");
    }
    const refresh = () => {
        document.title = t(titleKey);
        for (const b of document.querySelectorAll(".lang-button"))
            b.setAttribute("aria-pressed", String(b.dataset.lang === lang()));
    };
    onLanguageChange(refresh);
    applyI18n();
    refresh();
}

// --- the API ---------------------------------------------------------------------------------

export class NetworkError extends Error {}

// A call to the API: resolves to {status, ok, headers, body} (body: parsed JSON or null);
// rejects with NetworkError when no answer arrived at all.
export async function api(method, path, { body, token, headers = {}, contentType } = {}) {
    const h = { Accept: "application/json", ...headers };
    const init = { method, headers: h, cache: "no-store", credentials: "omit",
        redirect: "error", referrerPolicy: "no-referrer" };
    if (body !== undefined) {
        h["Content-Type"] = contentType || "application/json";
        init.body = typeof body === "string" ? body : JSON.stringify(body);
    }
    if (token)
        h.Authorization = "Bearer " + token;
    let resp;
    try {
        resp = await fetch(path, init);
    } catch (e) {
        throw new NetworkError(String(e));
    }
    let parsed = null;
    const type = resp.headers.get("Content-Type") || "";
    if (/json/.test(type)) {
        try {
            parsed = await resp.json();
        } catch {
            parsed = null;
        }
    }
    return { status: resp.status, ok: resp.ok, headers: resp.headers, body: parsed };
}

// The problem name of an RFC 9457 document ("duplicate-claim"), or "".
export function problemName(resp) {
    const type = resp.body && typeof resp.body.type === "string" ? resp.body.type : "";
    return type.slice(type.lastIndexOf("/") + 1);
}

// Retry-After in seconds (a number of seconds or an HTTP date), at least 1, default 30.
export function retryAfter(resp) {
    const v = resp.headers.get("Retry-After");
    if (v) {
        if (/^\d+$/.test(v.trim()))
            return Math.max(1, parseInt(v, 10));
        const when = Date.parse(v);
        if (!Number.isNaN(when))
            return Math.max(1, Math.ceil((when - Date.now()) / 1000));
    }
    return 30;
}

// One page of open incidents (docs/api.md §7 lists: {data, next}); cursor from the previous page.
export async function fetchIncidents(cursor) {
    const q = "/v1/incidents?limit=100" + (cursor ? "&cursor=" + encodeURIComponent(cursor) : "");
    return api("GET", q);
}

// --- formatting ------------------------------------------------------------------------------

export function formatNumber(n) {
    return new Intl.NumberFormat(locale()).format(n);
}

// "2026-02-10" as a date of the current language (read as a calendar date, no time zone); an
// RFC 3339 time ("2026-02-10T21:03:34.8Z": when a mandate was given) as its day in the
// reader's time zone.
export function formatDate(iso) {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
    if (!m) {
        const t = new Date(iso);
        return !iso || Number.isNaN(t.getTime()) ? iso || ""
            : new Intl.DateTimeFormat(locale(), { dateStyle: "long" }).format(t);
    }
    const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
    return new Intl.DateTimeFormat(locale(), { dateStyle: "long", timeZone: "UTC" }).format(d);
}

// An RFC 3339 time in the reader's time zone.
export function formatDateTime(iso) {
    const d = new Date(iso);
    if (Number.isNaN(d.getTime()))
        return iso || "";
    return new Intl.DateTimeFormat(locale(), { dateStyle: "long", timeStyle: "short" }).format(d);
}

// Minor units as an amount of the currency ("120,50 €").
export function formatMoney(minor, currency) {
    const d = currencyDecimals(currency);
    const value = minor / 10 ** d;
    try {
        return new Intl.NumberFormat(locale(), { style: "currency", currency,
            minimumFractionDigits: d, maximumFractionDigits: d }).format(value);
    } catch {
        return value.toFixed(d) + " " + currency;
    }
}

// An example amount in the currency's decimals, in the language's notation ("120.50").
export function exampleAmount(currency) {
    const d = currencyDecimals(currency);
    const value = d === 0 ? 50000 : 120.5;
    return new Intl.NumberFormat(locale(), { minimumFractionDigits: d, maximumFractionDigits: d,
        useGrouping: false }).format(value);
}

// Parses an amount typed by a person into integer minor units: digits with one decimal
// separator ("." or ",") followed by at most `decimals` digits; spaces and apostrophes may
// group thousands, and so may the separator that is not the decimal one. null if unreadable.
export function parseAmount(text, decimals) {
    let s = String(text).trim().replace(/[\s\u00a0\u202f'’]/g, "");
    if (s === "")
        return null;
    let intPart;
    let frac = "";
    const groups = (sep) => new RegExp("^\\d{1,3}(\\" + sep + "\\d{3})+$");
    const m = /^(\d[\d.,]*?)(?:([.,])(\d+))?$/.exec(s);
    if (!m)
        return null;
    if (/^\d+$/.test(s)) {
        intPart = s;
    } else if (decimals > 0 && m[2] && m[3].length <= decimals &&
               (/^\d+$/.test(m[1]) || groups(m[2] === "." ? "," : ".").test(m[1]))) {
        intPart = m[1].replace(/[.,]/g, "");
        frac = m[3];
    } else if (groups(",").test(s) || groups(".").test(s)) {
        intPart = s.replace(/[.,]/g, ""); // "50,000" or "1.234.567": thousands
    } else {
        return null;
    }
    const digits = intPart.replace(/^0+(?=\d)/, "") + frac.padEnd(decimals, "0");
    if (digits.length > 16)
        return Infinity;
    return parseInt(digits, 10);
}

export function categoryLabel(code) {
    return t("cat." + code);
}

export function categoriesText(codes) {
    const ordered = CATEGORIES.filter((c) => (codes || []).includes(c));
    return ordered.map(categoryLabel).join(t("common.list_sep"));
}

// --- DOM -------------------------------------------------------------------------------------

// el("p", {class: "x", text: "…"}, child, …)
export function el(tag, attrs = {}, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
        if (v === null || v === undefined || v === false)
            continue;
        if (k === "text")
            e.textContent = v;
        else if (k === "class")
            e.className = v;
        else if (k === "dataset")
            Object.assign(e.dataset, v);
        else
            e.setAttribute(k, v === true ? "" : v);
    }
    for (const c of children) {
        if (c !== null && c !== undefined && c !== false)
            e.append(c);
    }
    return e;
}

// A status line: {key, params, kind: "info"|"error"|"success", link: {href, key},
// action: {key, run}}; kept so that a change of language can render it again. null clears it.
export class StatusLine {
    constructor(element) {
        this.element = element;
        this.message = null;
        onLanguageChange(() => this.render());
    }

    set(message) {
        this.message = message;
        this.render();
    }

    clear() {
        this.set(null);
    }

    render() {
        const e = this.element;
        e.replaceChildren();
        e.className = "status";
        if (!this.message) {
            e.hidden = true;
            return;
        }
        const m = this.message;
        e.hidden = false;
        e.classList.add("status-" + (m.kind || "info"));
        e.append(el("span", { text: t(m.key, m.params) }));
        if (m.link) {
            e.append(" ");
            e.append(el("a", { href: m.link.href, text: t(m.link.key) }));
        }
        if (m.action) {
            const b = el("button", { type: "button", class: "button secondary small",
                text: t(m.action.key) });
            b.addEventListener("click", m.action.run);
            e.append(" ", b);
        }
    }
}

// The message of an answer that is not one of the expected ones (or of no answer at all).
export function genericProblem(respOrError) {
    if (respOrError instanceof NetworkError)
        return { kind: "error", key: "problem.network" };
    const r = respOrError;
    if (r.status === 503)
        return { kind: "error", key: "problem.unavailable", params: { seconds: retryAfter(r) } };
    if (r.status === 429)
        return { kind: "error", key: "problem.rate_limited", params: { seconds: retryAfter(r) } };
    return { kind: "error", key: "problem.generic", params: { status: r.status } };
}
