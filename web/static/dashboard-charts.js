// SPDX-License-Identifier: AGPL-3.0-or-later
// The summary drawn (docs/workspace.md "Charts"): SVG made in the page from the API's figures
// (GET /v1/actions/{id}/compensation, GET /v1/incidents/{slug}/compensation, GET
// /v1/actions/{id}/timeline), no outside service. Every chart is a <figure> with its table
// beside it, for screen readers and for copying; the table cells carry the exact figure in
// data-value (the browser test compares them with the API's).
import { t } from "./i18n.js";
import {
    NetworkError, categoryLabel, el, formatDate, formatMoney, formatNumber, genericProblem,
} from "./common.js";

const SVG = "http://www.w3.org/2000/svg";
let chartSeq = 0;

function svgEl(tag, attrs = {}, text) {
    const n = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs))
        n.setAttribute(k, String(v));
    if (text !== undefined)
        n.textContent = text;
    return n;
}

// items: [{label, value (number or numeric string), text (the value as shown)}]
function barsSvg(items, titleId) {
    const rowH = 26;
    const labelW = 150;
    const width = 520;
    const h = Math.max(1, items.length) * rowH + 8;
    const max = Math.max(1, ...items.map((x) => Number(x.value) || 0));
    const svg = svgEl("svg", { viewBox: `0 0 ${width} ${h}`, role: "img", "aria-labelledby": titleId,
        class: "chart-svg", preserveAspectRatio: "xMinYMin meet" });
    items.forEach((x, i) => {
        const y = 4 + i * rowH;
        const w = Math.round(((Number(x.value) || 0) / max) * (width - labelW - 110));
        svg.append(
            svgEl("text", { x: labelW - 6, y: y + 17, "text-anchor": "end", class: "chart-label" },
                x.label.length > 22 ? x.label.slice(0, 21) + "…" : x.label),
            svgEl("rect", { x: labelW, y: y + 4, width: Math.max(w, 1), height: rowH - 10, rx: 2,
                class: "chart-bar" }),
            svgEl("text", { x: labelW + Math.max(w, 1) + 6, y: y + 17, class: "chart-value" }, x.text));
    });
    return svg;
}

// Columns over time: [{label (date), value, text}]
function columnsSvg(items, titleId) {
    const width = 520;
    const h = 180;
    const base = 150;
    const max = Math.max(1, ...items.map((x) => Number(x.value) || 0));
    const step = (width - 40) / Math.max(1, items.length);
    const svg = svgEl("svg", { viewBox: `0 0 ${width} ${h}`, role: "img", "aria-labelledby": titleId,
        class: "chart-svg", preserveAspectRatio: "xMinYMin meet" });
    svg.append(svgEl("line", { x1: 30, y1: base, x2: width - 6, y2: base, class: "chart-axis" }),
        svgEl("text", { x: 26, y: 14, "text-anchor": "end", class: "chart-value" }, formatNumber(max)));
    items.forEach((x, i) => {
        const bh = Math.round(((Number(x.value) || 0) / max) * (base - 20));
        const bx = 34 + i * step;
        svg.append(svgEl("rect", { x: bx, y: base - bh, width: Math.max(1, step - 2), height: Math.max(bh, 1),
            class: "chart-bar" }));
    });
    if (items.length) {
        svg.append(svgEl("text", { x: 34, y: base + 18, class: "chart-label" }, items[0].label),
            svgEl("text", { x: width - 6, y: base + 18, "text-anchor": "end", class: "chart-label" },
                items[items.length - 1].label));
    }
    return svg;
}

// A figure: caption, drawing, table of the same figures.
function figure(key, caption, items, kind = "bars") {
    const titleId = `chart-title-${++chartSeq}`;
    const table = el("table", { class: "chart-table" },
        el("caption", { class: "visually-hidden", text: caption }),
        el("thead", {}, el("tr", {}, el("th", { scope: "col", text: t("ws.chart.item") }),
            el("th", { scope: "col", class: "num", text: t("ws.chart.value") }))),
        el("tbody", {}, ...items.map((x) => el("tr", { dataset: { key: x.key ?? x.label } },
            el("th", { scope: "row", text: x.label }),
            el("td", { class: "num", dataset: { value: String(x.value) }, text: x.text })))));
    return el("figure", { class: "chart", dataset: { chart: key } },
        el("figcaption", { id: titleId, text: caption }),
        el("div", { class: "chart-pair" },
            kind === "columns" ? columnsSvg(items, titleId) : barsSvg(items, titleId),
            el("div", { class: "table-wrap" }, table)));
}

// The charts of one summary document (scope "action" or "incident").
export function summaryCharts(s, scope, { perDay } = {}) {
    const sc = { scope: t("ws.scope." + scope) };
    const money = (v) => formatMoney(Number(v), s.currency);
    const out = [];
    if (s.components) {
        const c = s.components;
        const items = [{ key: "base", label: t("ws.c.base"), value: c.base, text: money(c.base) },
            ...Object.entries(c.supplements || {}).map(([k, v]) => ({ key: "supplement." + k,
                label: t("ws.c.supplement", { category: categoryLabel(k) }), value: v, text: money(v) })),
            { key: "documented_loss", label: t("ws.c.documented_loss"), value: c.documented_loss, text: money(c.documented_loss) },
            { key: "time_spent", label: t("ws.c.time_spent"), value: c.time_spent, text: money(c.time_spent) }];
        out.push(figure(`components-${scope}`, t("ws.chart.components", sc), items));
    }
    if (Array.isArray(s.vouchers) && s.vouchers.length)
        out.push(figure(`vouchers-${scope}`, t("ws.chart.vouchers", sc), s.vouchers.map((v) => ({
            key: v.name, label: `${v.name} (${formatNumber(v.count)})`, value: v.total, text: money(v.total) }))));
    if (s.award_stats && s.award_stats.mean !== null)
        out.push(figure(`awards-${scope}`, t("ws.chart.awards", sc), ["min", "median", "mean", "max"].map((k) => ({
            key: k, label: t("ws.c." + k), value: s.award_stats[k], text: money(s.award_stats[k]) }))));
    if (s.award_stats && s.award_stats.deciles?.length) {
        // p10 … p90 (docs/api.md §11.4); a figure the cap's boundary leaves open says so
        const approx = (x, text) => (x.exact ? text : t("ws.c.approx", { value: text }));
        out.push(figure(`deciles-${scope}`, t("ws.chart.deciles", sc), s.award_stats.deciles.map((d) => ({
            key: "p" + d.percentile, label: t("ws.c.percentile", { p: d.percentile }), value: d.award,
            text: approx(d, money(d.award)) }))));
        const h = s.award_stats.histogram;
        out.push(figure(`histogram-${scope}`, t(h.exact ? "ws.chart.histogram" : "ws.chart.histogram_approx", sc),
            h.bins.map((b) => ({ key: `${b.from}-${b.to}`,
                label: b.from === b.to ? money(b.from) : t("ws.c.range", { from: money(b.from), to: money(b.to) }),
                value: b.claims, text: formatNumber(b.claims) })), "columns"));
    }
    if (perDay)
        out.push(figure("per-day", t("ws.chart.per_day"), perDay.map((d) => ({
            key: d.date, label: formatDate(d.date), value: d.members, text: formatNumber(d.members) })), "columns"));
    const counts = [{ key: "eligible", label: t("ws.c.eligible"), value: s.eligible, text: formatNumber(s.eligible) },
        { key: "affected", label: t("ws.c.affected"), value: s.affected_count, text: formatNumber(s.affected_count) }];
    if (s.total_after_cap !== null && s.projection_if_all_claimed?.total_after_cap !== null
        && s.projection_if_all_claimed)
        counts.push({ key: "total", label: t("ws.c.total"), value: s.total_after_cap, text: money(s.total_after_cap) },
            { key: "projection", label: t("ws.c.projection"), value: s.projection_if_all_claimed.total_after_cap,
                text: money(s.projection_if_all_claimed.total_after_cap) });
    out.push(figure(`take-up-${scope}`, t("ws.chart.take_up", sc), counts));
    if (s.claims_by_status)
        out.push(figure(`status-${scope}`, t("ws.chart.status", sc), Object.entries(s.claims_by_status).map(([k, v]) => ({
            key: k, label: t("status." + k), value: v, text: formatNumber(v) }))));
    const counted = (obj, label) => Object.entries(obj || {}).sort((a, b) => b[1] - a[1])
        .map(([k, v]) => ({ key: k, label: label(k), value: v, text: formatNumber(v) }));
    if (s.by_country)
        out.push(figure(`country-${scope}`, t("ws.chart.country", sc), counted(s.by_country, (k) => k)));
    if (s.by_category)
        out.push(figure(`category-${scope}`, t("ws.chart.category", sc), counted(s.by_category, categoryLabel)));
    if (s.by_payment_preference)
        out.push(figure(`payment-${scope}`, t("ws.chart.payment", sc),
            counted(s.by_payment_preference, (k) => t("ws.pay." + k))));
    if (!s.components)
        out.unshift(el("p", { class: "note", text: t("ws.no_scheme") }));
    return out;
}

// The summary tab's charts: the action's, its members per day, the incident's.
export class ChartsPanel {
    constructor({ call, status, body }) {
        this.call = call;
        this.status = status;
        this.body = body;
        this.docs = null;
    }

    async load(action) {
        this.status.set({ key: "ws.charts_loading" });
        const id = encodeURIComponent(action.id);
        try {
            const [mine, incident, timeline] = await Promise.all([
                this.call("GET", `/v1/actions/${id}/compensation`),
                this.call("GET", `/v1/incidents/${encodeURIComponent(action.incident)}/compensation`),
                this.call("GET", `/v1/actions/${id}/timeline`)]);
            const bad = [mine, incident, timeline].find((r) => r.status !== 200 || !r.body);
            if (bad) {
                if (bad.status !== 401)
                    this.status.set(genericProblem(bad));
                return;
            }
            this.docs = { mine: mine.body, incident: incident.body, perDay: timeline.body.members_per_day };
        } catch (e) {
            if (!(e instanceof NetworkError))
                throw e;
            this.status.set(genericProblem(e));
            return;
        }
        this.status.clear();
        this.render();
    }

    render() {
        if (!this.docs)
            return;
        this.body.replaceChildren(
            ...summaryCharts(this.docs.mine, "action", { perDay: this.docs.perDay }),
            ...summaryCharts(this.docs.incident, "incident"));
    }
}
