// SPDX-License-Identifier: AGPL-3.0-or-later
// The language machinery of the scripts: t(key, params), the current language, the switch,
// and applyI18n(), which fills the elements marked data-i18n="key" (text) and
// data-i18n-attr="attribute:key;attribute:key".
//
// The strings are not here: they are web/i18n/<lang>.json, the catalogue the server renders
// its pages from too (api/web/catalogue.h), served at /i18n/<lang>.json. This module loads the
// current language's file before any page script runs (top-level await), and the other one
// only when the reader switches.
//
// Message keys for validation errors: err.<field path without [i]>.<code>, else
// err.code.<code> (docs/api.md §5.4 codes); the server's own English message is the last resort.

export const LANGUAGES = ["fr", "en"];
const STORAGE_KEY = "recours.lang";
const COOKIE = "lang"; // the server pages' choice (api/web/lang.h): one choice for both

function cookieLanguage() {
    const m = document.cookie.match(/(?:^|;\s*)lang=([a-z]+)/);
    return m && LANGUAGES.includes(m[1]) ? m[1] : null;
}

function storedLanguage() {
    try {
        const v = window.localStorage.getItem(STORAGE_KEY);
        return LANGUAGES.includes(v) ? v : null;
    } catch {
        return null; // storage disabled: fall back on the browser's language
    }
}

function queryLanguage() {
    const v = new URLSearchParams(window.location.search).get("lang");
    return LANGUAGES.includes(v) ? v : null;
}

// The language the server wrote the page in (<html lang>): it chose it as its pages do
// (?lang=, the cookie, then Accept-Language), the dashboard's included; following it, the
// script never turns a page it received in French into English (web/static_page.h).
function pageLanguage() {
    const v = document.documentElement.getAttribute("lang");
    return LANGUAGES.includes(v) ? v : null;
}

function browserLanguage() {
    const prefs = navigator.languages && navigator.languages.length ? navigator.languages
        : [navigator.language || "en"];
    for (const p of prefs) {
        const base = String(p).toLowerCase().split("-")[0];
        if (LANGUAGES.includes(base))
            return base;
    }
    return "fr"; // the site's default language, as the server's pages
}

const messages = {};
const loading = {};

// The catalogue of a language, fetched once (the server validates it by ETag).
function load(code) {
    if (!loading[code]) {
        loading[code] = fetch("/i18n/" + code + ".json", { headers: { Accept: "application/json" } })
            .then((res) => (res.ok ? res.json() : {}))
            .catch(() => ({}))
            .then((m) => (messages[code] = m));
    }
    return loading[code];
}

let current = queryLanguage() || cookieLanguage() || pageLanguage() || storedLanguage() || browserLanguage();
const listeners = [];
await load(current);
// the other languages in the background, so that the switch answers at once
for (const code of LANGUAGES)
    load(code);

export function lang() {
    return current;
}

// The locale for dates and numbers: the browser's own when it is of the page's language
// ("en-GB" writes 10 February 2026, "en-US" February 10, 2026), else the language itself, English
// as "en-GB": plain "en" is American, and a French browser switched to English read "December 8,
// 2026 at 3:47 AM" (the browser's further languages are no choice: Chrome lists en-US by itself).
export function locale() {
    const own = navigator.language || "";
    if (own.toLowerCase().split("-")[0] === current)
        return own;
    return current === "en" ? "en-GB" : current;
}

// t("key", {name: value}): the string of the current language, {name} replaced; an unknown
// key gives the key itself (visible, so that a gap is noticed; the server refuses to start
// with a key missing from one language, so both files have the same keys).
// A count of one (in French, of zero too) takes the key's "_one" form where it has one:
// "{count} members" / "1 member"; params.count may be already formatted ("1 000").
export function t(key, params) {
    if (params && params.count !== undefined && messages[current][key + "_one"] !== undefined) {
        const n = Number(String(params.count).replace(/\D/g, ""));
        if (new Intl.PluralRules(current).select(n) === "one")
            key += "_one";
    }
    let s = messages[current][key];
    if (s === undefined)
        return key;
    if (params)
        s = s.replace(/\{(\w+)\}/g, (m, name) => (name in params ? String(params[name]) : m));
    return s;
}

export function has(key) {
    return key in messages[current];
}

// Each language's name in itself ("Français", "English"), for the switch.
export function languageName(code) {
    return messages[current]["lang.name." + code];
}

// Fills the marked elements under root: data-i18n="key" sets the text;
// data-i18n-attr="aria-label:key;placeholder:key" sets attributes.
export function applyI18n(root = document) {
    for (const el of root.querySelectorAll("[data-i18n]"))
        el.textContent = t(el.dataset.i18n);
    for (const el of root.querySelectorAll("[data-i18n-attr]")) {
        for (const pair of el.dataset.i18nAttr.split(";")) {
            const [attr, key] = pair.split(":").map((s) => s.trim());
            if (attr && key)
                el.setAttribute(attr, t(key));
        }
    }
}

// fn() is called after every change of language (the page re-renders its dynamic parts).
export function onLanguageChange(fn) {
    listeners.push(fn);
}

export async function setLanguage(code) {
    if (!LANGUAGES.includes(code))
        return;
    await load(code);
    current = code;
    document.cookie = COOKIE + "=" + code + "; path=/; max-age=31536000; samesite=lax";
    try {
        window.localStorage.setItem(STORAGE_KEY, code);
    } catch {
        // not remembered; the choice still holds for this page
    }
    document.documentElement.lang = code;
    applyI18n();
    for (const fn of listeners)
        fn(code);
}
