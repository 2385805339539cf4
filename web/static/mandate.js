// SPDX-License-Identifier: AGPL-3.0-or-later
// The mandate an action offers (GET /v1/actions/{id}/mandate), shared by the claim form (a
// mandate given with the claim) and "My claim" (a mandate given later): the link an
// association shares carries the action's id as ?action=<id>.
import { t } from "./i18n.js";
import { NetworkError, api, formatDateTime } from "./common.js";

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// The ?action=<id> of the page's address, or null.
export function actionOfAddress() {
    const id = new URLSearchParams(window.location.search).get("action");
    return id || null;
}

// The offer of action id on incident slug, or null when there is none to show: the action
// does not take mandates now, belongs to another incident, or could not be read.
export async function fetchOffer(id, slug) {
    if (!id || !UUID_RE.test(id))
        return null;
    let r;
    try {
        r = await api("GET", `/v1/actions/${encodeURIComponent(id)}/mandate`);
    } catch (e) {
        if (!(e instanceof NetworkError))
            throw e;
        return null;
    }
    return r.status === 200 && r.body && r.body.incident === slug ? r.body : null;
}

// Fills the offer's texts into elements of the page: who represents, for what and until
// when (intro), the version (label) and the text itself (paragraphs kept by CSS).
export function renderOffer(offer, { intro, label, text }) {
    intro.textContent = t("mandate.intro", {
        association: offer.association.name, approval: offer.association.approval_reference,
        title: offer.title, basis: t("basis." + offer.legal_basis), counsel: offer.counsel_name,
        deadline: formatDateTime(offer.opt_in_deadline) });
    label.textContent = t("mandate.text_label", { version: offer.mandate_text_version });
    text.textContent = offer.mandate_text;
}
