// SPDX-License-Identifier: AGPL-3.0-or-later
// The API's refusals in the workspace's words (docs/workspace.md "Refusals"). A problem
// document (RFC 9457, docs/api.md §5) that lists its fields (`errors[]`: a 422
// validation-error of a body, a 400 invalid-parameter of a query) is shown at those fields;
// one that does not is a sentence saying what to do, by its name. A volunteer never reads a
// bare status code for something they typed: only a server's own failure (5xx) gives its
// number, for whoever they report it to.
import { genericProblem, NetworkError, problemName } from "./common.js";

// 409s whose words the workspace has (dash.err.<name>).
const CONFLICTS = ["approval-lapsed", "action-not-open", "invalid-transition",
    "idempotency-key-in-use", "already-exists"];
// Refusals of what was sent, without fields (ws.refused.<name>).
const REFUSED = ["malformed-json", "payload-too-large", "uri-too-long", "invalid-parameter",
    "invalid-cursor", "count-changed"];

// The field errors of an answer: the errors[] of any problem document, each field renamed by
// rename (a query parameter's name → the form's data-field; "references" → …), or null.
export function fieldErrors(r, rename = {}) {
    if (!r || r instanceof NetworkError || r.status < 400 || r.status >= 500 || !r.body
        || !Array.isArray(r.body.errors))
        return null;
    const list = r.body.errors.filter((e) => e && typeof e.field === "string" && typeof e.code === "string")
        .map((e) => {
            const base = e.field.replace(/\[\d+\]$/, "");
            return base in rename ? { ...e, field: rename[base] } : e;
        });
    return list.length ? list : null;
}

// The status line of a refusal (or of no answer at all).
export function refusalMessage(r) {
    if (r instanceof NetworkError)
        return genericProblem(r);
    const name = problemName(r);
    if (r.status === 409 && CONFLICTS.includes(name))
        return { kind: "error", key: "dash.err." + name };
    if (r.status === 404)
        return { kind: "error", key: "dash.err.not-found" };
    if (REFUSED.includes(name))
        return { kind: "error", key: "ws.refused." + name };
    if (r.status >= 400 && r.status < 500 && r.status !== 429)
        return { kind: "error", key: "ws.refused.other" };
    return genericProblem(r);
}
