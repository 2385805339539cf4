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
import { LatestRead, retryAction } from "./dashboard-ui.js";

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

// The drawing's text: 13 units high, at most ~8.5 units per character's width (digits of DejaVu
// Sans, the widest sans-serif a Debian browser falls back on), so that a line is measured before
// it is drawn.
const CHAR_W = 8.5;
const LINE_H = 16;

// A drawing fills its box's width, so its units shrink with the box: 520 units across a phone's
// ~290 px made 13-unit text 7 px high. On a narrow screen the drawings are 340 units wide
// (text ~11 px); they are drawn again when the screen crosses that width (onNarrowChange).
const NARROW = window.matchMedia("(max-width: 47.99rem)");
const drawingWidth = () => (NARROW.matches ? 340 : 520);

export function onNarrowChange(redraw) {
    NARROW.addEventListener("change", redraw);
}

// A label in lines of at most `chars` characters, cut between words (a word longer than a line
// stays whole on its own line: the drawing is as wide as it needs, see barsSvg). A no-break
// space is no place to cut ("Supplément : …" in French) and stays as it is.
function labelLines(label, chars) {
    const lines = [];
    let line = "";
    for (const word of String(label).split(/[^\S\u00a0\u202f]+/)) {
        if (line && (line + " " + word).length > chars) {
            lines.push(line);
            line = word;
        } else {
            line = line ? line + " " + word : word;
        }
    }
    lines.push(line);
    return lines;
}

// items: [{label, value (number or numeric string), text (the value as shown)}]. Each label is
// drawn whole on its own line(s) above its bar, never shortened: "Projection si tous
// réclamaient" beside a figure in the hundreds of billions had no room on a phone, and a
// label cut to "Projection if all cla…" names nothing. The bar's length leaves room for the
// widest figure after it.
function barsSvg(items, titleId) {
    const width = drawingWidth();
    const barH = 14;
    const valueW = Math.max(...items.map((x) => String(x.text).length), 1) * CHAR_W + 8;
    const barMax = Math.max(40, width - valueW);
    const max = Math.max(1, ...items.map((x) => Number(x.value) || 0));
    const rows = items.map((x) => ({ x, lines: labelLines(x.label, Math.floor(width / CHAR_W)) }));
    const h = rows.reduce((sum, r) => sum + r.lines.length * LINE_H + barH + 12, 4);
    const wide = Math.max(width, ...rows.flatMap((r) => r.lines.map((l) => l.length * CHAR_W)));
    const svg = svgEl("svg", { viewBox: `0 0 ${Math.ceil(wide)} ${h}`, role: "img", "aria-labelledby": titleId,
        class: "chart-svg", preserveAspectRatio: "xMinYMin meet" });
    let y = 4;
    for (const { x, lines } of rows) {
        const label = svgEl("text", { x: 0, y: y + 12, class: "chart-label" });
        lines.forEach((line, i) => label.append(svgEl("tspan", { x: 0, dy: i ? LINE_H : 0 }, line)));
        y += lines.length * LINE_H;
        const w = Math.max(1, Math.round(((Number(x.value) || 0) / max) * barMax));
        svg.append(label,
            svgEl("rect", { x: 0, y, width: w, height: barH, rx: 2, class: "chart-bar" }),
            svgEl("text", { x: w + 6, y: y + barH - 2, class: "chart-value" }, x.text));
        y += barH + 12;
    }
    return svg;
}

// Columns over time: [{label (date), value, text}]
function columnsSvg(items, titleId) {
    const width = drawingWidth();
    const h = 180;
    const base = 150;   // the columns stand on it, their tops at most at 20, under the top figure
    const max = Math.max(1, ...items.map((x) => Number(x.value) || 0));
    const step = (width - 40) / Math.max(1, items.length);
    const svg = svgEl("svg", { viewBox: `0 0 ${width} ${h}`, role: "img", "aria-labelledby": titleId,
        class: "chart-svg", preserveAspectRatio: "xMinYMin meet" });
    // the scale's top figure starts at the left edge: anchored at its end, a wide one ran off it
    svg.append(svgEl("line", { x1: 30, y1: base, x2: width - 6, y2: base, class: "chart-axis" }),
        svgEl("text", { x: 0, y: 14, class: "chart-value" }, formatNumber(max)));
    items.forEach((x, i) => {
        const bh = Math.round(((Number(x.value) || 0) / max) * (base - 20));
        const bx = 34 + i * step;
        svg.append(svgEl("rect", { x: bx, y: base - bh, width: Math.max(1, step - 2), height: Math.max(bh, 1),
            class: "chart-bar" }));
    });
    // the first and the last label under the axis; the last on a line of its own when both do
    // not fit side by side (ranges of money on a phone), once when they are the same column
    if (items.length) {
        const first = items[0].label;
        const last = items[items.length - 1].label;
        svg.append(svgEl("text", { x: 0, y: base + 18, class: "chart-label" }, first));
        if (items.length > 1) {
            const apart = (first.length + last.length) * CHAR_W + 16 <= width;
            svg.append(svgEl("text", { x: width, y: base + (apart ? 18 : 36), "text-anchor": "end",
                class: "chart-label" }, last));
            if (!apart)
                svg.setAttribute("viewBox", `0 0 ${width} ${h + 18}`);
        }
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
    // people and money each on a scale of their own: on one, a projection in cents dwarfed the
    // counts (500 million affected drawn as long as 3 claims), and an incident of ten people
    // drew its ten and its three alike
    out.push(figure(`take-up-${scope}`, t("ws.chart.take_up", sc), [
        { key: "eligible", label: t("ws.c.eligible"), value: s.eligible, text: formatNumber(s.eligible) },
        { key: "affected", label: t("ws.c.affected"), value: s.affected_count, text: formatNumber(s.affected_count) }]));
    const projected = s.projection_if_all_claimed?.total_after_cap;
    if (s.total_after_cap !== null && s.total_after_cap !== undefined && projected !== null && projected !== undefined)
        out.push(figure(`amounts-${scope}`, t("ws.chart.amounts", sc), [
            { key: "total", label: t("ws.c.total"), value: s.total_after_cap, text: money(s.total_after_cap) },
            { key: "projection", label: t("ws.c.projection"), value: projected, text: money(projected) }]));
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
        this.drawn = null;      // the action whose charts are drawn
        this.reads = new LatestRead(document.getElementById("charts")); // the last one's drawn
        onNarrowChange(() => this.render());
    }

    // Only the last load asked for is drawn: an action's charts still on their way when another
    // action is chosen (or the tab shown again) are not drawn under it when they come.
    async load(action) {
        await this.reads.run((ticket) => this.read(action, ticket));
    }

    async read(action, ticket) {
        // another action's charts are not left under this one's heading while it loads
        if (this.drawn !== action.id)
            this.clear();
        this.status.set({ key: "ws.charts_loading" });
        const id = encodeURIComponent(action.id);
        try {
            const [mine, incident, timeline] = await Promise.all([
                this.call("GET", `/v1/actions/${id}/compensation`),
                this.call("GET", `/v1/incidents/${encodeURIComponent(action.incident)}/compensation`),
                this.call("GET", `/v1/actions/${id}/timeline`)]);
            if (!ticket.latest())
                return;
            const bad = [mine, incident, timeline].find((r) => r.status !== 200 || !r.body);
            if (bad) {
                if (bad.status !== 401)
                    this.unread(action, bad);
                return;
            }
            this.docs = { mine: mine.body, incident: incident.body, perDay: timeline.body.members_per_day };
        } catch (e) {
            if (!(e instanceof NetworkError))
                throw e;
            if (ticket.latest())
                this.unread(action, e);
            return;
        }
        this.drawn = action.id;
        this.status.clear();
        this.render();
    }

    clear() {
        this.docs = null;
        this.drawn = null;
        this.body.replaceChildren();
    }

    // A read refused or unanswered: the charts drawn before are not this answer's (a review
    // done since, they would show the counts before it): gone, the refusal said, Try again.
    unread(action, refusal) {
        this.clear();
        this.status.set({ ...genericProblem(refusal), action: retryAction("charts-h3", () => this.load(action)) });
    }

    render() {
        if (!this.docs)
            return;
        this.body.replaceChildren(
            ...summaryCharts(this.docs.mine, "action", { perDay: this.docs.perDay }),
            ...summaryCharts(this.docs.incident, "incident"));
    }
}
