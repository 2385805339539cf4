// SPDX-License-Identifier: AGPL-3.0-or-later
// What every browser flow shares: Debian's Chromium launched through playwright-core, the
// current step named in every failure, the watch that turns a console error, page error, CSP
// violation or failed page asset into a problem, and screenshots at phone and laptop sizes
// that also catch anything sticking out sideways.
import { join } from "node:path";
import { chromium } from "playwright-core";

const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
export const VIEWPORTS = [["phone", 390, 844], ["laptop", 1280, 800]];

// The run's current step and the assertions that name it. With FLOW_VERBOSE set, each step
// is printed with its time on stdout.
export function makeSteps() {
    const started = Date.now();
    let name = "start";
    const steps = {
        set current(value) {
            if (process.env.FLOW_VERBOSE || process.env.CLAIM_FLOW_VERBOSE)
                console.log(`${((Date.now() - started) / 1000).toFixed(1)} s: ${value}`);
            name = value;
        },
        get current() {
            return name;
        },
        fail(message) {
            throw new Error(`[${name}] ${message}`);
        },
        check(condition, message) {
            if (!condition)
                steps.fail(message);
        },
        equal(actual, expected, what) {
            if (actual !== expected)
                steps.fail(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
        },
        contains(text, part, what) {
            if (!String(text).includes(part))
                steps.fail(`${what}: ${JSON.stringify(part)} not in ${JSON.stringify(text)}`);
        },
    };
    return steps;
}

export function launchBrowser() {
    return chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
}

// A context on the test server (self-signed certificate on 127.0.0.1) whose pages report CSP
// violations on the console explicitly, whatever Chromium's own wording.
export async function newContext(browser, options = {}) {
    const context = await browser.newContext({
        ignoreHTTPSErrors: true,
        viewport: { width: 1280, height: 800 },
        locale: "en-GB",
        ...options,
    });
    await context.addInitScript(() => {
        document.addEventListener("securitypolicyviolation", (e) => {
            console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI}`);
        });
    });
    return context;
}

// Switches a scripted page's language with its switch (web/static/i18n.js) and waits for the
// page's own sign that it did: <html lang> is set once the language's catalogue is there, in
// the same task as the page's texts. The catalogue is fetched in the background at load; a
// read right after the click could come before it on a busy machine.
export async function switchLanguage(page, code) {
    await page.click(`button[data-lang="${code}"]`);
    await page.locator(`html[lang="${code}"]`).waitFor({ state: "attached" });
}

// Appends to problems what must not happen on page. The API's expected refusals (401, 404,
// 409, 422) are logged by Chromium as failed loads and are not problems; a failed request is,
// unless allowFailed(req) says the test caused it; so is a page answered 4xx/5xx, unless
// allowStatus(resp) says the test caused it (a form sent back with its errors). A request to
// any other origin than the site's is a problem too: the pages load nothing from elsewhere.
// A load the browser cancelled because the page was left meanwhile (a form posted while an
// image still loaded, on a slow machine) is not: the page it served is gone; nor is the
// favicon's, cancelled when a flow closes its page: the browser fetches it for its tab after
// the page has loaded, and no page depends on it (a favicon answered 404 is still one).
// "Left" counts both a navigation begun and a document committed after the load began: the
// old document's scripts still run between the two (i18n.js fetches the other languages'
// catalogues once its own is there), and what they start then is cancelled at the commit.
export function watchPage(page, baseUrl, steps, problems, allowFailed = () => false,
    allowStatus = () => false) {
    const origin = new URL(baseUrl).origin;
    let navigations = 0;               // the main frame's navigations begun so far
    let commits = 0;                   // the main frame's documents committed so far
    let leaving = false;               // a main-frame navigation begun, not yet committed
    const begunAfter = new WeakMap();  // request → [navigations, commits, leaving] before it
    page.on("request", (req) => {
        const url = new URL(req.url());
        if (url.protocol !== "data:" && url.origin !== origin)
            problems.push(`${steps.current}: request to another origin: ${req.url()}`);
        if (req.isNavigationRequest() && req.frame() === page.mainFrame()) {
            navigations++;
            leaving = true;
        } else {
            begunAfter.set(req, [navigations, commits, leaving]);
        }
    });
    page.on("framenavigated", (frame) => {
        if (frame === page.mainFrame()) {
            commits++;
            leaving = false;
        }
    });
    // A request of the page being left: begun before a later navigation, or while one was
    // under way (the old document's script still running, e.g. a catalogue fetched in the
    // background): Chromium may report its abort before the new document's commit, so the
    // counters alone would not show it left (2 of 7 runs of the victim journey failed so).
    const pageLeft = (req) => {
        const before = begunAfter.get(req);
        return before !== undefined &&
            (before[0] < navigations || before[1] < commits || before[2]);
    };
    const leftBehind = (req) => req.failure() && req.failure().errorText === "net::ERR_ABORTED" &&
        (pageLeft(req) || new URL(req.url()).pathname === "/static/favicon.svg");
    page.on("console", (msg) => {
        if (msg.type() !== "error" && msg.type() !== "warning")
            return;
        const url = (msg.location() && msg.location().url) || "";
        if (/Failed to load resource/.test(msg.text()) && new URL(url, baseUrl).pathname.startsWith("/v1/"))
            return;
        const status = /status of (\d{3})/.exec(msg.text());
        if (status && allowStatus({ status: () => Number(status[1]), url: () => new URL(url, baseUrl).href }))
            return; // the page the test expected to be answered so (a form with its errors)
        if (msg.type() === "warning" && !/Content.Security.Policy|CSP/i.test(msg.text()))
            return;
        problems.push(`${steps.current}: console ${msg.type()}: ${msg.text()} (${url})`);
    });
    page.on("pageerror", (err) => problems.push(`${steps.current}: page error: ${err.message}`));
    page.on("response", (resp) => {
        const path = new URL(resp.url()).pathname;
        if (resp.status() >= 400 && !path.startsWith("/v1/") && !allowStatus(resp))
            problems.push(`${steps.current}: ${resp.status()} for ${path}`);
    });
    page.on("requestfailed", (req) => {
        if (allowFailed(req) || leftBehind(req))
            return;
        problems.push(`${steps.current}: request failed: ${req.url()} (${req.failure() && req.failure().errorText})`);
    });
}

// Screenshots of page at every viewport into outDir, as <name>-<viewport>.png; a page wider
// than the viewport is a problem (responsive layout), checked at every viewport on every run.
// The PNG files themselves are taken only when RECOURS_WEB_SCREENSHOTS is set (to look at,
// or kept by CI): no test reads them, and encoding them, full pages at two sizes, took 13 s
// of the victim's journey alone.
const SCREENSHOTS = Boolean(process.env.RECOURS_WEB_SCREENSHOTS);
export async function shoot(page, outDir, steps, problems, name, { fullPage = true, restore = [1280, 800] } = {}) {
    for (const [label, width, height] of VIEWPORTS) {
        await page.setViewportSize({ width, height });
        const wide = await page.evaluate(() => document.documentElement.scrollWidth);
        if (wide > width)
            problems.push(`${steps.current}: ${name} is ${wide}px wide in a ${width}px viewport`);
        if (SCREENSHOTS)
            await page.screenshot({ path: join(outDir, `${name}-${label}.png`), fullPage });
    }
    await page.setViewportSize({ width: restore[0], height: restore[1] });
}

// Runs axe-core (tests/browser/node_modules/axe-core) on the page as it is and appends every
// serious or critical violation to problems. Injected through the DevTools protocol, which the
// pages' Content-Security-Policy does not govern. With JavaScript off, axe cannot run in the
// page itself (its promises never settle): the page's DOM, scripts removed, is copied into
// helper, a page of a JavaScript-enabled context already on the site's origin (so that the
// stylesheet applies and colour contrast is judged), and checked there.
//
// A page of the same shape as one already checked in this run (the same markup, scripts and
// the values typed or ticked in its fields aside, at the same viewport size) is not checked
// again: axe would find the same violations, which the first check already reported. A
// language switch there and back comes back to the page it left; the flows check both ways.
let axeSource = null;
const axeDone = new Map();  // page shape → violations found
export async function axeCheck(page, steps, problems, what, helper = null) {
    const shape = await pageShape(page);
    if (axeDone.has(shape)) {
        if (process.env.FLOW_VERBOSE)
            console.log(`axe on ${what}: same shape as a page already checked`);
        return axeDone.get(shape);
    }
    const found = await axeRun(page, steps, problems, what, helper);
    axeDone.set(shape, found);
    return found;
}

// page's markup without its scripts and without the values a person gives its fields (an
// input's value and checked, an option's selected, a textarea's text), with the viewport's
// size: two pages of one shape are the same to axe.
async function pageShape(page) {
    const size = page.viewportSize() || {};
    const markup = await page.evaluate(() => {
        const copy = document.documentElement.cloneNode(true);
        copy.querySelectorAll("script").forEach((e) => e.remove());
        const given = 'input:not([type="submit"]):not([type="button"]):not([type="reset"]):not([type="image"])';
        copy.querySelectorAll(given).forEach((e) => {
            e.removeAttribute("value");
            e.removeAttribute("checked");
        });
        copy.querySelectorAll("option").forEach((e) => e.removeAttribute("selected"));
        copy.querySelectorAll("textarea").forEach((e) => { e.textContent = ""; });
        return copy.outerHTML;
    });
    return `${size.width}x${size.height} ${new URL(page.url()).pathname}\n${markup}`;
}

async function axeRun(page, steps, problems, what, helper) {
    if (axeSource === null) {
        const { readFileSync } = await import("node:fs");
        const { createRequire } = await import("node:module");
        axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
    }
    let target = page;
    if (helper !== null) {
        const html = (await page.content()).replace(/<script\b[^>]*>[\s\S]*?<\/script>/gi, "");
        const url = new URL("/__axe_snapshot__", page.url()).href;
        if (helper.url() === url) {
            // already on the snapshot's address: the copy replaces its document in place
            // (document.open, what setContent does), which keeps the page's global object and
            // so axe, loaded there once; a navigation to the next copy loaded it again each
            // time (a third of a JavaScript-off check, docs/decisions.md "CI time, again")
            await helper.setContent(html);
        } else {
            await helper.route(url, (route) => route.fulfill({ contentType: "text/html; charset=utf-8", body: html }));
            await helper.goto(url);
            await helper.unroute(url);
        }
        target = helper;
    }
    const session = await target.context().newCDPSession(target);
    // once per document (a page checked again without a navigation still has it)
    const loaded = await session.send("Runtime.evaluate", { expression: "typeof axe === \"object\"", returnByValue: true });
    if (!loaded.result || loaded.result.value !== true)
        await session.send("Runtime.evaluate", { expression: axeSource });
    const out = await session.send("Runtime.evaluate", {
        expression: `axe.run(document, { resultTypes: ["violations"] }).then((r) => JSON.stringify(
            r.violations.filter((v) => v.impact === "serious" || v.impact === "critical")
                .map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(" ")) }))))`,
        awaitPromise: true, returnByValue: true });
    await session.detach();
    if (out.exceptionDetails) {
        problems.push(`${steps.current}: axe could not run on ${what}: ${out.exceptionDetails.text}`);
        return 0;
    }
    const found = JSON.parse(out.result.value || "[]");
    for (const v of found)
        problems.push(`${steps.current}: axe ${v.impact} ${v.id} on ${what}: ${v.nodes.slice(0, 3).join(", ")}`);
    return found.length;
}

// A page of a JavaScript-enabled context for axeCheck of pages shown with JavaScript off.
export async function axeHelper(browser, baseUrl) {
    const context = await newContext(browser);
    return context.newPage();
}
