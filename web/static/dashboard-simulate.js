// SPDX-License-Identifier: AGPL-3.0-or-later
// The simulate tab: another scheme tried on the action's members (POST
// /v1/compensation/simulate, nothing stored), its totals drawn as the summary is, and the
// simulation saved as CSV for counsel (inputs, then every figure, one "field,value" per line).
// A scheme the server refuses (422) is shown at its fields, as every form of the workspace.
import { onLanguageChange, t } from "./i18n.js";
import {
    NetworkError, StatusLine, el, formatMoney, formatNumber,
} from "./common.js";
import { FormErrors } from "./forms.js";
import { fieldErrors, refusalMessage } from "./dashboard-refusal.js";
import { onNarrowChange, summaryCharts } from "./dashboard-charts.js";
import { LatestRead } from "./dashboard-ui.js";
import { schemeFacts } from "./dashboard-action.js";

const $ = (id) => document.getElementById(id);

// A cell of the simulation's CSV: a text a spreadsheet would run as a formula (a voucher's
// name "=…") marked with ', as the export's cells are (docs/api.md §12.2), then quoted.
function csvCell(v) {
    let s = v === null || v === undefined ? "" : String(v);
    if (typeof v === "string" && /^[=+\-@\t\r]/.test(s))
        s = "'" + s;
    return /[",\n\r;]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
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

// The form's fields, row by row, built here (web/dashboard.html holds only their place):
// id: the control; field: its wrapper's data-field, where the server's errors about it land
// (a wrapper takes its field's sub-paths too, forms.js); range: the field a whole number
// outside [min, max] is refused at (docs/api.md §8.1: amounts 0–10¹², hours 0–1000, a fund cap
// from 1); the cash ratio is a decimal, no whole number. A figure outside its range, or one that
// is no whole number, gets one message at its field, in the page's language, whether the page
// or the server finds it: typed past what JSON carries exactly it would come back as a bare
// 400, and "1.5" or "1-2" (the browser's badInput, an empty value) would be sent as nothing.
// An empty figure is asked for ("0 for none"), rather than sent as 0 unsaid; only the fund cap
// (optional: its label says that empty is none) may be left empty.
const AMOUNT_MAX = 1e12;
const amount = (id, field, label, more = {}) => ({ id, field, label, range: field, min: 0, max: AMOUNT_MAX, ...more });
const SIM_ROWS = [
    [amount("sim-base", "scheme.base_amount", "ws.sim.base"),
        amount("sim-voucher", "scheme.vouchers", "ws.sim.voucher"),
        { id: "sim-cash-ratio", field: "scheme.cash_alternative_ratio", label: "ws.sim.cash_ratio" }],
    [amount("sim-supplement", "scheme.category_supplements", "ws.sim.supplement",
        { range: "scheme.category_supplements.password" }),
    amount("sim-loss-cap", "scheme.documented_loss", "ws.sim.loss_cap",
        { range: "scheme.documented_loss.cap_per_claimant" }),
    amount("sim-hourly", "scheme.time_spent.hourly_rate", "ws.sim.hourly"),
    amount("sim-hours", "scheme.time_spent.max_hours", "ws.sim.hours", { max: 1000, money: false }),
    amount("sim-fund-cap", "scheme.fund_cap", "ws.sim.fund_cap", { min: 1, optional: true })]];
// [control, the scheme's field the server names, least, most, may be empty] of each
// whole-number field
const NUMBER_FIELDS = SIM_ROWS.flat().filter((f) => f.range)
    .map((f) => [f.id, f.range, f.min, f.max, Boolean(f.optional)]);
// the amounts (hours are none): each says under it what it is in money ("3000": "That is €30.00")
const MONEY_FIELDS = SIM_ROWS.flat().filter((f) => f.range && f.money !== false).map((f) => f.id);
// how long the typing of an amount pauses before a screen reader is told its figure in money
const SAY_AFTER_MS = 700;

// The fields' markup, as every form of the page writes it (forms.js): a wrapper naming its
// field and label, the label, the error line, the control. Labels follow the language through
// data-i18n.
function buildFields(box) {
    box.replaceChildren(...SIM_ROWS.map((row) => el("div", { class: "field-row" }, ...row.map((f) => {
        const control = f.range
            ? el("input", { id: f.id, type: "number", min: String(f.min), max: f.max === AMOUNT_MAX ? null : String(f.max),
                step: "1", inputmode: "numeric", class: "input-medium" })
            : el("input", { id: f.id, type: "text", inputmode: "decimal", maxlength: "6", class: "input-medium" });
        // an amount's hint: the figure in money, as typed (the unit is the currency's smallest:
        // "30" typed for 30 euros is 0.30 €, said at once under it, not after the last field).
        // Read with its field (aria-describedby), not live: six live hints spoke six lines
        // naming no field when the tab filled them or the language changed, and one line per
        // keystroke while typing ("0.03 €", "0.30 €", "3.00 €"…); #sim-money-said says the
        // figure typed once the typing pauses (SAY_AFTER_MS)
        const money = MONEY_FIELDS.includes(f.id)
            ? el("p", { class: "hint sim-money", id: `${f.id}-money` }) : null;
        return el("div", { class: "field grow", dataset: { field: f.field, labelKey: f.label } },
            el("label", { for: f.id, text: t(f.label), dataset: { i18n: f.label } }),
            el("p", { class: "error-msg", id: `${f.id}-error`, hidden: true }),
            control, money);
    }))));
}

// The field error of a number outside its range, its bounds in the reader's digits.
function rangeError([, field, min, max]) {
    return { field, code: "number-range", min, max };
}

// The cash ratio as the API reads it ("0.75", docs/api.md §8.1: above 0, up to 1, 4 decimals
// at most), a comma taken for the decimal point as French writes it ("0,75"); "" when empty,
// null when no such ratio.
const RATIO_FIELD = "scheme.cash_alternative_ratio";
function cashRatio() {
    const typed = $("sim-cash-ratio").value.trim().replace(",", ".");
    if (typed === "")
        return "";
    return /^(0\.\d{1,4}|1(\.0{1,4})?)$/.test(typed) && Number(typed) > 0 ? typed : null;
}

// The field error of a whole-number field left empty (optional ones aside), or null.
function numberError(f) {
    const [id, , min, max, optional] = f;
    const input = $(id);
    if (input.closest(".field").hidden)
        return null;
    if (input.validity.badInput)
        return rangeError(f);
    const typed = input.value.trim();
    if (typed === "")
        return optional ? null : { ...rangeError(f), code: "number-required" };
    const v = Number(typed);
    return Number.isSafeInteger(v) && v >= min && v <= max ? null : rangeError(f);
}

// A server's error at a number field said as the page says it (the voucher's own amounts,
// vouchers[i].amount, included); other errors as they come.
function asRangeError(e) {
    const f = NUMBER_FIELDS.find(([, field]) => e.field === field || e.field.startsWith(field + "["));
    if (e.field === RATIO_FIELD)   // its bounds and its format: one message, as the page's
        return { ...e, code: "invalid-format" };
    return f && ["out-of-range", "invalid-type"].includes(e.code) ? rangeError(f) : e;
}

// The sum of a scheme's vouchers (0 without any).
function voucherSum(scheme) {
    const list = scheme && Array.isArray(scheme.vouchers) ? scheme.vouchers : [];
    return list.reduce((sum, v) => sum + v.amount, 0);
}

export class SimulatePanel {
    constructor({ call }) {
        this.call = call;
        this.action = null;
        this.incident = null;
        this.result = null;
        this.scheme = null;
        this.runs = new LatestRead($("simulate")); // the last simulation asked for is drawn
        buildFields($("sim-fields"));   // before FormErrors, which links them to their hints
        this.status = new StatusLine($("sim-status"));
        this.errors = new FormErrors($("sim-form"), $("sim-errors"), (e) => (e.min !== undefined
            ? { min: formatNumber(e.min), max: formatNumber(e.max) } : {}));
        $("sim-form").addEventListener("submit", (ev) => {
            ev.preventDefault();
            this.run();
        });
        $("sim-csv").addEventListener("click", () => this.download());
        this.sayTimer = null;
        $("sim-form").addEventListener("input", (ev) => {
            this.moneyHint(ev.target.id);
            this.sayMoney(ev.target.id);
        });
        onLanguageChange(() => {
            this.unitHint();
            this.drawResult();
        });
        onNarrowChange(() => this.drawResult());
    }

    // What the whole numbers of the form are, in the incident's own currency: cents of a euro
    // but won of the Korean won (no minor unit), so an example of each
    unitHint() {
        const currency = (this.incident && this.incident.currency) || "EUR";
        $("sim-minor-units").textContent = t("ws.sim.minor_units",
            { currency, example: formatMoney(1000, currency) });
        for (const id of MONEY_FIELDS)
            this.moneyHint(id);
    }

    // Under an amount, what it is in money; nothing while it is no whole number (its error says
    // so at Simulate) or empty (the fund cap: none).
    moneyHint(id) {
        if (!MONEY_FIELDS.includes(id))
            return;
        const currency = (this.incident && this.incident.currency) || "EUR";
        const typed = $(id).value.trim();
        const v = Number(typed);
        $(`${id}-money`).textContent = typed !== "" && Number.isSafeInteger(v) && v >= 0
            ? t("ws.sim.in_money", { money: formatMoney(v, currency) }) : "";
    }

    // The figure typed in money, said once to a screen reader when the typing pauses: its
    // hint is read with the field on focus, but not while the person types in it.
    sayMoney(id) {
        clearTimeout(this.sayTimer);
        if (!MONEY_FIELDS.includes(id))
            return;
        this.sayTimer = setTimeout(() => {
            if (document.activeElement && document.activeElement.id === id)
                $("sim-money-said").textContent = $(`${id}-money`).textContent;
        }, SAY_AFTER_MS);
    }

    show(action, incident) {
        if (this.action && this.action.id === action.id)
            return;
        clearTimeout(this.sayTimer);
        $("sim-money-said").textContent = "";
        this.action = action;
        this.incident = incident;
        this.result = null;
        $("sim-body").replaceChildren();
        $("sim-csv").hidden = true;
        this.status.clear();
        this.errors.clear();
        this.fill();
        // an incident closed since is not among the open ones the page lists: read it
        if (!incident)
            this.readIncident(action);
    }

    async readIncident(action) {
        let r;
        try {
            r = await this.call("GET", `/v1/incidents/${encodeURIComponent(action.incident)}`);
        } catch (e) {
            if (!(e instanceof NetworkError))
                throw e;
            return; // the form keeps its defaults; Simulate says what the server answers
        }
        if (r.status !== 200 || !r.body || this.action !== action)
            return;
        this.incident = r.body;
        this.fill();
    }

    // The form from the incident's scheme (defaults without one).
    fill() {
        const incident = this.incident;
        const s = incident && incident.scheme ? incident.scheme : null;
        const set = (id, v) => { $(id).value = v === null || v === undefined ? "" : String(v); };
        set("sim-base", s ? s.base_amount : 3000);
        // the vouchers add up to the base amount (the API refuses them otherwise): the field
        // holds their sum, and sends them as they are while it is unchanged (schemeOfForm)
        set("sim-voucher", voucherSum(s));
        set("sim-cash-ratio", s ? s.cash_alternative_ratio : "");
        // a supplement per exposed password only where the incident exposed passwords: elsewhere
        // no claimant can declare one and the figure would change nothing
        $("sim-supplement").closest(".field").hidden = !this.passwordsExposed();
        set("sim-supplement", s && s.category_supplements ? s.category_supplements.password ?? 0 : 0);
        set("sim-loss-cap", s && s.documented_loss && s.documented_loss.reimburse ? s.documented_loss.cap_per_claimant : 0);
        set("sim-hourly", s && s.time_spent ? s.time_spent.hourly_rate : 0);
        set("sim-hours", s && s.time_spent ? s.time_spent.max_hours : 0);
        set("sim-fund-cap", s ? s.fund_cap : "");
        this.unitHint();   // the amounts as money, now that they are the incident's
    }

    passwordsExposed() {
        return Boolean(this.incident && (this.incident.data_categories || []).includes("password"));
    }

    schemeOfForm() {
        const n = (id) => ($(id).value.trim() === "" ? null : Number($(id).value));
        const voucher = n("sim-voucher") || 0;
        const own = this.incident && this.incident.scheme ? this.incident.scheme.vouchers : null;
        const lossCap = n("sim-loss-cap") || 0;
        // the incident's supplements for other categories are sent as they are (the form offers
        // the password's only), so that its own scheme simulates as it stands
        const supplements = { ...(this.incident?.scheme?.category_supplements || {}) };
        delete supplements.password;
        const supplement = this.passwordsExposed() ? n("sim-supplement") || 0 : 0;
        if (supplement)
            supplements.password = supplement;
        return {
            currency: (this.incident && this.incident.currency) || "EUR",
            base_amount: n("sim-base") || 0,
            category_supplements: supplements,
            documented_loss: { reimburse: lossCap > 0, cap_per_claimant: lossCap },
            time_spent: { hourly_rate: n("sim-hourly") || 0, max_hours: n("sim-hours") || 0 },
            fund_cap: n("sim-fund-cap"),
            vouchers: !voucher ? []
                : voucher === voucherSum(this.incident && this.incident.scheme) ? own
                    : [{ name: "voucher", amount: voucher }],
            cash_alternative_ratio: cashRatio() || null,
        };
    }

    async run() {
        if (!this.action)
            return;
        const local = NUMBER_FIELDS.map(numberError).filter(Boolean);
        if (cashRatio() === null)
            local.push({ field: RATIO_FIELD, code: "invalid-format" });
        // the summary lists them in the form's order
        const order = SIM_ROWS.flat().map((f) => f.range ?? f.field);
        local.sort((x, y) => order.indexOf(x.field) - order.indexOf(y.field));
        if (local.length) {
            this.status.clear();
            this.errors.show(local, { focus: true });
            return;
        }
        // only the answer to the last run on the action shown is drawn: another action chosen
        // meanwhile, or Simulate pressed again, and an earlier answer coming late is dropped
        await this.runs.run((ticket) => this.simulate(ticket));
    }

    async simulate(ticket) {
        const scheme = this.schemeOfForm();
        const action = this.action;
        const current = () => this.action === action && ticket.latest();
        this.status.set({ key: "ws.sim.running" });
        let r;
        try {
            r = await this.call("POST", "/v1/compensation/simulate", { body: { action_id: action.id, scheme } });
        } catch (e) {
            if (!(e instanceof NetworkError))
                throw e;
            r = e;
        }
        if (r.status === 401 || !current())
            return;
        const list = fieldErrors(r)?.map(asRangeError) ?? null;
        if (r instanceof NetworkError || list || r.status !== 200 || !r.body) {
            // the figures and CSV of an earlier scheme are not this form's any more
            this.result = null;
            $("sim-body").replaceChildren();
            $("sim-csv").hidden = true;
        }
        if (list) {
            this.status.clear();
            this.errors.show(list, { focus: true });
            return;
        }
        if (r.status !== 200 || !r.body) {
            this.errors.clear();
            this.status.set(refusalMessage(r));
            this.bringStatusIntoSight();
            return;
        }
        this.errors.clear();
        this.result = r.body;
        this.scheme = scheme;
        this.status.set({ kind: "success", key: "ws.sim.done", params: { count: r.body.eligible,
            eligible: formatNumber(r.body.eligible) } });
        this.drawResult();
        $("sim-csv").hidden = false;
        this.bringStatusIntoSight();
    }

    // The line saying what the run did, scrolled to when it is out of sight (the focus stays
    // where it is): on a phone, the Go key pressed in the base amount ran the simulation and
    // nothing on the screen changed, its answer and figures seven fields below.
    bringStatusIntoSight() {
        const line = $("sim-status").getBoundingClientRect();
        if (line.top < 0 || line.bottom > window.innerHeight)
            $("sim-status").scrollIntoView({ block: "start" });
    }

    // The scheme's totals first, the fund cap's effect in words among them, as the summary
    // says them: a cap typed here showed only charts, the awards' reduction nowhere in words.
    drawResult() {
        if (this.result)
            $("sim-body").replaceChildren(el("dl", { id: "sim-totals", class: "facts" }, ...schemeFacts(this.result, "sim")),
                ...summaryCharts(this.result, "action"));
    }

    download() {
        if (!this.result)
            return;
        const lines = [["field", "value"], ...flatten({ scheme: this.scheme }), ...flatten(this.result)];
        const text = lines.map((row) => row.map(csvCell).join(",")).join("\r\n") + "\r\n";
        // with the byte order mark, as the export: without it a spreadsheet reads the file as
        // Windows-1252, and a voucher's name "Café" as "CafÃ©"
        const url = URL.createObjectURL(new Blob(["\uFEFF" + text], { type: "text/csv;charset=utf-8" }));
        const a = el("a", { href: url, download: `simulation-${this.action.id}.csv` });
        document.body.append(a);
        a.click();
        a.remove();
        setTimeout(() => URL.revokeObjectURL(url), 1000);
    }
}
