// SPDX-License-Identifier: AGPL-3.0-or-later
// Writes api/web/country_names.c: the names of the codes of web/static/countries.js in French
// and English, from Node.js's ICU (Intl.DisplayNames, as the scripts show them), each language
// sorted by its own collation (Intl.Collator). Run from the repository's root:
//   node scripts/gen/country_names.mjs > api/web/country_names.c
import { readFileSync } from "node:fs";

const src = readFileSync("web/static/countries.js", "utf8");
const codes = src.match(/COUNTRY_CODES = \(([\s\S]*?)\)\.split/)[1]
    .replace(/["+\s]+/g, " ").trim().split(" ");
const fr = new Intl.DisplayNames(["fr"], { type: "region" });
const en = new Intl.DisplayNames(["en"], { type: "region" });
const q = (s) => JSON.stringify(s);
let out = `/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Country names for the pages (the address <select>), in French and English, generated from
 * the ICU data of Node.js (Intl.DisplayNames, as the scripts show them) for the codes of
 * web/static/countries.js; each language listed in its own alphabetical order (Intl.Collator).
 * Regenerate with the command in docs/web-forms.md when the codes change. */
#include "web/country_names.h"

const struct web_country web_countries[] = {
`;
for (const c of codes)
    out += `    {"${c}", ${q(fr.of(c))}, ${q(en.of(c))}},\n`;
out += `};

const size_t web_n_countries = sizeof web_countries / sizeof web_countries[0];

/* indexes into web_countries, sorted by name in each language */
const unsigned short web_country_order_fr[] = {
`;
const idx = codes.map((c, i) => i);
const order = (names, coll) => [...idx].sort((a, b) => coll.compare(names.of(codes[a]), names.of(codes[b])));
const rows = (a) => {
    let s = "";
    for (let i = 0; i < a.length; i += 16)
        s += "    " + a.slice(i, i + 16).join(", ") + ",\n";
    return s;
};
out += rows(order(fr, new Intl.Collator("fr"))) + "};\n\nconst unsigned short web_country_order_en[] = {\n"
    + rows(order(en, new Intl.Collator("en"))) + "};\n";
process.stdout.write(out);
