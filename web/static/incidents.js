// SPDX-License-Identifier: AGPL-3.0-or-later
// How an incident is shown (docs/api.md §10.1): company, title, disclosure date, affected count
// and exposed categories, in the current language.
import { t } from "./i18n.js";
import { CATEGORIES, categoryLabel, el, formatDate, formatNumber } from "./common.js";

function fact(labelKey, value) {
    return el("div", {}, el("dt", { text: t(labelKey) }), el("dd", {}, value));
}

export function categoryTags(codes) {
    const ul = el("ul", { class: "tags" });
    for (const c of CATEGORIES.filter((x) => (codes || []).includes(x)))
        ul.append(el("li", { text: categoryLabel(c) }));
    return ul;
}

// The facts of an incident as a <dl>.
export function incidentFacts(inc, { authority = false } = {}) {
    const dl = el("dl", { class: "facts" },
        fact("incident.disclosed", formatDate(inc.disclosed_on)),
        fact("incident.affected", formatNumber(inc.affected_count)),
        fact("incident.categories", categoryTags(inc.data_categories)));
    if (authority && inc.authority_reference)
        dl.append(fact("incident.authority", inc.authority_reference));
    return dl;
}

// The list item of an open incident, with its "Make a claim" link.
export function incidentCard(inc) {
    const titleId = "incident-" + inc.slug;
    const link = el("a", {
        class: "button primary",
        href: "/claim?incident=" + encodeURIComponent(inc.slug),
        text: t("incident.make_claim"),
        "aria-label": t("incident.make_claim_for", { controller: inc.controller, title: inc.title }),
    });
    return el("li", { class: "incident-card", dataset: { slug: inc.slug } },
        el("article", { "aria-labelledby": titleId },
            el("p", { class: "controller", text: inc.controller }),
            el("h3", { id: titleId, text: inc.title }),
            incidentFacts(inc),
            el("p", { class: "card-actions" }, link)));
}
