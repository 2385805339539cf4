// SPDX-License-Identifier: AGPL-3.0-or-later
// The simulate tab: another scheme tried on the action's members (POST
// /v1/compensation/simulate, nothing stored), its totals drawn as the summary is, and the
// simulation saved as CSV for counsel (inputs, then every figure, one "field,value" per line).
import { t } from "./i18n.js";
import { NetworkError, StatusLine, el, formatNumber, genericProblem } from "./common.js";
import { validationErrors } from "./forms.js";
import { summaryCharts } from "./dashboard-charts.js";

const $ = (id) => document.getElementById(id);

function csvCell(v) {
    const s = v === null || v === undefined ? "" : String(v);
    return /[",\n;]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

// [path, value] of every scalar in a JSON document, depth first ("components.base").
function flatten(obj, prefix = "", out = []) {
    if (obj !== null && typeof obj === "object") {
        for (const [k, v] of Object.entries(obj))
            flatten(v, prefix ? `${prefix}.${k}` : k, out);
    } else {
        out.push([prefix, obj]);
    }
    return out;
}

export class SimulatePanel {
    constructor({ call }) {
        this.call = call;
        this.action = null;
        this.incident = null;
        this.result = null;
        this.scheme = null;
        this.status = new StatusLine($("sim-status"));
        $("sim-form").addEventListener("submit", (ev) => {
            ev.preventDefault();
            this.run();
        });
        $("sim-csv").addEventListener("click", () => this.download());
    }

    show(action, incident) {
        if (this.action && this.action.id === action.id)
            return;
        this.action = action;
        this.incident = incident;
        this.result = null;
        $("sim-body").replaceChildren();
        $("sim-csv").hidden = true;
        this.status.clear();
        // start from the incident's scheme when it has one
        const s = incident && incident.scheme ? incident.scheme : null;
        const set = (id, v) => { $(id).value = v === null || v === undefined ? "" : String(v); };
        set("sim-base", s ? s.base_amount : 3000);
        set("sim-voucher", s && s.vouchers && s.vouchers[0] ? s.vouchers[0].amount : 0);
        set("sim-cash-ratio", s ? s.cash_alternative_ratio : "");
        set("sim-supplement", s && s.category_supplements ? s.category_supplements.password ?? 0 : 0);
        set("sim-loss-cap", s && s.documented_loss && s.documented_loss.reimburse ? s.documented_loss.cap_per_claimant : 0);
        set("sim-hourly", s && s.time_spent ? s.time_spent.hourly_rate : 0);
        set("sim-hours", s && s.time_spent ? s.time_spent.max_hours : 0);
        set("sim-fund-cap", s ? s.fund_cap : "");
    }

    schemeOfForm() {
        const n = (id) => ($(id).value.trim() === "" ? null : Number($(id).value));
        const voucher = n("sim-voucher") || 0;
        const lossCap = n("sim-loss-cap") || 0;
        const supplement = n("sim-supplement") || 0;
        return {
            currency: (this.incident && this.incident.currency) || "EUR",
            base_amount: n("sim-base") || 0,
            category_supplements: supplement ? { password: supplement } : {},
            documented_loss: { reimburse: lossCap > 0, cap_per_claimant: lossCap },
            time_spent: { hourly_rate: n("sim-hourly") || 0, max_hours: n("sim-hours") || 0 },
            fund_cap: n("sim-fund-cap"),
            vouchers: voucher ? [{ name: "voucher", amount: voucher }] : [],
            cash_alternative_ratio: $("sim-cash-ratio").value.trim() || null,
        };
    }

    async run() {
        if (!this.action)
            return;
        const scheme = this.schemeOfForm();
        this.status.set({ key: "ws.sim.running" });
        let r;
        try {
            r = await this.call("POST", "/v1/compensation/simulate", { body: { action_id: this.action.id, scheme } });
        } catch (e) {
            if (!(e instanceof NetworkError))
                throw e;
            this.status.set(genericProblem(e));
            return;
        }
        if (r.status === 401)
            return;
        if (r.status !== 200 || !r.body) {
            const list = validationErrors(r);
            this.status.set(list ? { kind: "error", key: "dash.err.conflict", params: { status: r.status } } : genericProblem(r));
            return;
        }
        this.result = r.body;
        this.scheme = scheme;
        this.status.set({ kind: "success", key: "ws.sim.done", params: { eligible: formatNumber(r.body.eligible) } });
        $("sim-body").replaceChildren(...summaryCharts(r.body, "action"));
        $("sim-csv").hidden = false;
    }

    download() {
        if (!this.result)
            return;
        const lines = [["field", "value"], ...flatten({ scheme: this.scheme }), ...flatten(this.result)];
        const text = lines.map((row) => row.map(csvCell).join(",")).join("\r\n") + "\r\n";
        const url = URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" }));
        const a = el("a", { href: url, download: `simulation-${this.action.id}.csv` });
        document.body.append(a);
        a.click();
        a.remove();
        setTimeout(() => URL.revokeObjectURL(url), 1000);
    }
}
