// SPDX-License-Identifier: AGPL-3.0-or-later
// The phone rule of the server (normalize_phone, api/domain/normalize.c) in the page, on the
// server's own dialling table (phone-plans.js, generated from api/domain/countries.c), so that
// the form refuses exactly what the API would: an international number ('+' or a call
// prefix, then a known calling code), or a national one of the address's country, its trunk
// prefix dropped where what remains has a valid length. tests/integration/test_phone_parity.py
// compares both.
import { COUNTRIES, NON_GEOGRAPHIC } from "./phone-plans.js";

const PHONE_DIGITS_MAX = 24;
const E164_MIN = 7;
const E164_MAX = 15;

const plan = (r) => ({ cc: r[1], trunk: r[2], idd: r[3], min: r[4], max: r[5], keepsZero: r[6] });
const startsWith = (s, prefix) => prefix !== "" && s.startsWith(prefix);

function digitsOf(input) {
    const s = String(input).replace(/^[ \t\n\v\f\r]+|[ \t\n\v\f\r]+$/g, "");
    const plus = s.startsWith("+");
    let digits = "";
    for (const c of s.slice(plus ? 1 : 0)) {
        if (c >= "0" && c <= "9") {
            if (digits.length === PHONE_DIGITS_MAX)
                return null;
            digits += c;
        } else if (!" .-()/".includes(c)) {
            return null;
        }
    }
    return digits ? { digits, plus } : null;
}

function nsnOk(p, n) {
    return n > 0 && n >= p.min && n <= p.max;
}

function finish(cc, rest, p) {
    const t = p.trunk.length;
    if (t > 0 && rest.length > t && startsWith(rest, p.trunk) && nsnOk(p, rest.length - t))
        rest = rest.slice(t);
    const n = rest.length;
    if (!nsnOk(p, n) || cc.length + n < E164_MIN || cc.length + n > E164_MAX)
        return null;
    if (rest[0] === "0" && !p.keepsZero)
        return null;
    if (cc === "1" && rest[0] === "1")
        return null;
    return "+" + cc + rest;
}

function forNumber(digits) {
    let merged = null;
    for (const r of COUNTRIES) {
        if (!startsWith(digits, r[1]))
            continue;
        if (!merged) {
            merged = plan(r);
        } else {
            merged.min = Math.min(merged.min, r[4]);
            merged.max = Math.max(merged.max, r[5]);
            merged.keepsZero = merged.keepsZero || r[6];
            if (merged.trunk !== r[2])
                merged.trunk = "";
        }
    }
    if (merged)
        return merged;
    const r = NON_GEOGRAPHIC.find((g) => startsWith(digits, g[1]));
    return r ? plan(r) : null;
}

function international(digits) {
    const p = forNumber(digits);
    return p ? finish(p.cc, digits.slice(p.cc.length), p) : null;
}

// The number in E.164 ("+33612345678"), or null where the server would refuse it. country:
// the address's upper-case ISO code, or "".
export function normalizePhone(input, country) {
    const d = digitsOf(input);
    if (!d)
        return null;
    if (d.plus)
        return international(d.digits);
    const row = COUNTRIES.find((r) => r[0] === country && r[1] !== "");
    if (row) {
        const p = plan(row);
        return startsWith(d.digits, p.idd) ? international(d.digits.slice(p.idd.length))
            : finish(p.cc, d.digits, p);
    }
    return startsWith(d.digits, "00") ? international(d.digits.slice(2)) : null;
}
