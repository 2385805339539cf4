// SPDX-License-Identifier: AGPL-3.0-or-later
// What every page shares: start-up (language switch, texts, title), calls to the API,
// locale formatting, and small DOM helpers. No page keeps a credential anywhere but in
// a JavaScript variable of its own module.
import { CURRENCIES } from "./currencies.js";
import { LANGUAGES, applyI18n, lang, languageName, locale, onLanguageChange, setLanguage, t } from "./i18n.js";

// The order of docs/api.md §8.6; categories are always shown in it.
export const CATEGORIES = ["name", "email", "phone", "postal_address", "birth_date", "password",
    "financial", "national_id", "health", "order_history", "location", "biometric"];

// Minor units of an ISO 4217 code: the server's table (currencies.js, generated from
// api/domain/currency.c), 2 for a code it does not know.
export function currencyDecimals(code) {
    return Object.hasOwn(CURRENCIES, code) ? CURRENCIES[code] : 2;
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

// --- Amounts as typed ---------------------------------------------------------------------
// The server's rule for the page without JavaScript (api/domain/amount_typed.c, docs/web-forms.md
// "Amounts as typed"), to the letter, so that an amount means the same with the script on and
// off (tests/integration/test_amount_parity.py runs both on one table). No floating point:
// digits are added up one by one, at most 10^15, well inside what a Number holds exactly.

// What people write for a currency beside an amount, and the currencies it may mean; the keys
// in lower case (the server compares without case, ASCII only).
const AMOUNT_MARKERS = {
    "€": ["EUR"], euros: ["EUR"], euro: ["EUR"], "us$": ["USD"],
    $: ["USD", "CAD", "AUD", "NZD", "HKD", "SGD", "MXN"], "£": ["GBP"], "₩": ["KRW"],
    "원": ["KRW"], "¥": ["JPY", "CNY"], "￥": ["JPY", "CNY"], "₹": ["INR"],
};
const AMOUNT_TYPED_MAX = 64; // UTF-8 bytes, as the server counts them
const AMOUNT_MAX = 1_000_000_000_000_000; // minor units, amount_text.c's bound
const isDigit = (c) => c >= "0" && c <= "9";
const isSeparator = (c) => c === " " || c === "\u00a0" || c === "\u202f"; // groups digits
const isBlank = (c) => c === "\t" || isSeparator(c);
const isNumberChar = (c) => isDigit(c) || c === "," || c === ".";

function trimBlanks(s) {
    let b = 0, e = s.length;
    while (b < e && isBlank(s[b]))
        b++;
    while (e > b && isBlank(s[e - 1]))
        e--;
    return s.slice(b, e);
}

// The currency marker against currency: 1 the incident's, 0 another's, -1 not one.
function markerIs(text, currency) {
    const key = text.replace(/[A-Z]/g, (c) => c.toLowerCase());
    if (Object.hasOwn(AMOUNT_MARKERS, key))
        return AMOUNT_MARKERS[key].includes(currency) ? 1 : 0;
    const code = key.toUpperCase();
    if (!/^[a-z]{3}$/.test(key) || !Object.hasOwn(CURRENCIES, code))
        return -1;
    return code === currency ? 1 : 0;
}

// s (trimmed) without a currency marker at its start or its end: [1 none or the incident's,
// 0 another currency's, -1 something else beside the number; what is left, trimmed].
function dropMarker(s, currency) {
    if (s !== "" && !isNumberChar(s[0])) {
        let p = 0;
        while (p < s.length && !isNumberChar(s[p]) && !isBlank(s[p]))
            p++;
        return [markerIs(s.slice(0, p), currency), trimBlanks(s.slice(p))];
    }
    if (s !== "" && !isNumberChar(s[s.length - 1])) {
        let p = s.length;
        while (p > 0 && !isNumberChar(s[p - 1]) && !isBlank(s[p - 1]))
            p--;
        return [markerIs(s.slice(p), currency), trimBlanks(s.slice(0, p))];
    }
    return [1, s];
}

// Whether the digits between grouping marks make groups of three after a first of 1-3.
function groupsOk(s, mark) {
    let run = 0, first = true;
    for (const c of s) {
        if (c === mark) {
            if (run === 0 || (first ? run > 3 : run !== 3))
                return false;
            first = false;
            run = 0;
        } else if (isDigit(c)) {
            run++;
        } else {
            return false;
        }
    }
    return first || run === 3;
}

// s (marks, digits, blanks) as plain "digits[.digits]" (blanks kept), or null.
function plainAmount(s, decimalMark, decimals) {
    let commas = 0, dots = 0, lastComma = -1, lastDot = -1;
    for (let i = 0; i < s.length; i++) {
        if (s[i] === ",")
            [commas, lastComma] = [commas + 1, i];
        else if (s[i] === ".")
            [dots, lastDot] = [dots + 1, i];
    }
    let dec = -1;     // the decimal mark's place, -1: none
    let group = null; // the grouping mark, null: blanks only
    if (commas > 0 && dots > 0) {
        dec = Math.max(lastComma, lastDot);
        group = s[dec] === "," ? "." : ",";
        if ((s[dec] === "," ? commas : dots) !== 1)
            return null;
    } else if (commas + dots > 1) {
        group = commas > 0 ? "," : ".";
    } else if (commas + dots === 1) {
        const mark = lastComma >= 0 ? lastComma : lastDot;
        const three = /^[0-9]{3}$/.test(s.slice(mark + 1));
        if (!three || (decimals > 0 && s[mark] === decimalMark))
            dec = mark;
        else if (decimals === 3)
            return null; // 1.234 KWD: 1.234 or 1 234, both amounts
        else
            group = s[mark];
    }
    if (group !== null && !groupsOk(s.slice(0, dec >= 0 ? dec : s.length), group))
        return null;
    let out = "";
    for (let i = 0; i < s.length; i++) {
        if (i === dec)
            out += ".";
        else if (s[i] !== group)
            out += s[i];
    }
    return out;
}

// amount_text_parse: digits, grouped by separators, one "," or "." then at most `decimals`
// digits, blanks around; minor units up to 10^15, or null.
function plainToMinor(s, decimals) {
    let units = 0, digits = 0, fracDigits = 0, inFraction = false, i = 0;
    while (i < s.length && isBlank(s[i]))
        i++;
    for (; i < s.length; i++) {
        const c = s[i];
        if (isDigit(c)) {
            if (inFraction && ++fracDigits > decimals)
                return null;
            if (units > (AMOUNT_MAX - 10) / 10)
                return null;
            units = units * 10 + (c.charCodeAt(0) - 48);
            digits++;
        } else if ((c === "," || c === ".") && !inFraction && digits > 0 && decimals > 0) {
            inFraction = true;
        } else if (!(isSeparator(c) && !inFraction && digits > 0 && isDigit(s[i + 1] || ""))) {
            break;
        }
    }
    while (i < s.length && isBlank(s[i]))
        i++;
    if (i < s.length || digits === 0 || (inFraction && fracDigits === 0))
        return null;
    for (let k = fracDigits; k < decimals; k++) {
        if (units > AMOUNT_MAX / 10)
            return null;
        units *= 10;
    }
    return units;
}

// An amount as a person types it on a page whose decimal mark is decimalMark ("," French,
// "." English), in currency (ISO 4217) of `decimals` decimals: { minor } in minor units, or
// { error } with the page's code: "other-currency" (a sign or code of another currency),
// "invalid-format" (not an amount, or not one unambiguously).
export function readTypedAmount(text, decimalMark, currency, decimals = currencyDecimals(currency)) {
    const bad = { error: "invalid-format" };
    const typed = String(text);
    if (new TextEncoder().encode(typed).length > AMOUNT_TYPED_MAX)
        return bad;
    const [marker, s] = dropMarker(trimBlanks(typed), currency);
    // a sign on either side is one marker at most: "€ 50 €" is not an amount
    if (marker < 0 || s === "" || !isNumberChar(s[0]) || !isNumberChar(s[s.length - 1]))
        return bad;
    if (marker === 0)
        return { error: "other-currency" };
    const plain = plainAmount(s, decimalMark, decimals);
    const minor = plain === null ? null : plainToMinor(plain, decimals);
    return minor === null ? bad : { minor };
}

// Whether a postal code, trimmed, has its country's form (f: claim.js's postalForm, from the
// server's list: { digits, spaceAfter }): the digits, one space allowed after the first
// spaceAfter of them ("75 001"). The port of api/domain/postal_codes.c postal_code_fits.
export function postalCodeFits(f, code) {
    let digits = 0;
    for (let i = 0; i < code.length; i++) {
        if (code[i] >= "0" && code[i] <= "9")
            digits++;
        else if (!(code[i] === " " && f.spaceAfter > 0 && digits === f.spaceAfter && code[i - 1] !== " "))
            return false;
    }
    return digits === f.digits;
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
