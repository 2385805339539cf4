// SPDX-License-Identifier: AGPL-3.0-or-later
// A breach victim's whole journey through the server-rendered pages, in Debian's Chromium
// driven by playwright-core:
//   node victim_flow.mjs <base url> <setup.json> <screenshot dir>
// setup.json: {"slug", "action_id", "association_name", "privacy_version"} (tests/integration/test_victim_journey.py).
//   1. JavaScript OFF, in French, on a laptop: / → the action's page /a/{id} → "join" → the
//      claim form, its language switch there and back keeping what was typed; a mistake (an
//      email without its domain's end) comes back from the server
//      beside its field with every value kept, and through the language switch there and
//      back (in the other language, summary and field); corrected → the receipt (reference, token once,
//      what happens next; "See my claim" posts them) → the language switch, there and back,
//      keeps the token on show with the claim.
//   2. JavaScript ON, in English, on a 390 px phone: the same path; the phone checked in the
//      page by the server's own rule (no request sent), the email refused by the API (422)
//      shown beside its field, and again through the switch there and back; corrected → the
//      receipt in place, its switch as the server's; the same person again: refused as a
//      duplicate (409), said again in French by the switch, with the same status; then by
//      the rate limit (faked), whose switch says what is left of the wait.
// Evidence without JavaScript: a file of the wrong type refused, said beside the file input
// (choose a file again), then a scan attached. ?lang=de: a 400 page leading to the form in
// English.
// Abroad, on a phone in French: Hong Kong's postal code follows the select with JavaScript,
// and without it the claim goes through without one, a birth date typed day first.
// A loss typed "1 234,56 €" in French with JavaScript on: the API has 123456 cents; "50 $" is
// refused in the page with the server's words.
// On every page: axe-core finds no serious or critical violation (both languages, JavaScript
// on and off), nothing is requested from another origin, no console error or CSP violation.
//   3. "I lost my token" on /my-claim (JavaScript on, English): the page is the same for the
//      English victim's address and for an unknown one (victim_recover.mjs uses the link).
//   4. Back on /my-claim with JavaScript on a 360 px phone, in French: the token typed into its
//      password field is shown by its box before the claim is opened with it; the heading
//      keeps the claim's reference on one line.
//   5. The errors' summary with JavaScript in the page's order whatever the API's order.
//   6. Every link and button a target of at least 24 × 24 px, at 360 and at 1280 px.
// Screenshots at 390 and 1280 px go to <screenshot dir>; the measures of the two journeys
// (fields, words to read, key presses to the receipt) to <screenshot dir>/measures.json, what
// each victim was given (reference, token, email) to <screenshot dir>/receipts.json.
// Exit status 0 when everything held, 1 otherwise (the reason on stderr).
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { axeCheck, axeHelper, launchBrowser, makeSteps, newContext, shoot as shootAt, watchPage } from "./flow_kit.mjs";

const [baseUrl, setupPath, outDir] = process.argv.slice(2);
if (!baseUrl || !setupPath || !outDir) {
    console.error("usage: node victim_flow.mjs <base url> <setup.json> <screenshot dir>");
    process.exit(2);
}
mkdirSync(outDir, { recursive: true });
const setup = JSON.parse(readFileSync(setupPath, "utf8"));
const REFERENCE_RE = /^RC-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/;
const TOKEN_RE = /^[A-Za-z0-9_-]{32,}$/;

const problems = [];
const steps = makeSteps();
const { fail, check, equal, contains } = steps;
const measures = {};

function person(tag) {
    const r = Math.random().toString(36).slice(2, 10).replace(/[0-9]/g, "x");
    return { given: "Hélène", family: `Parcours-${tag}${r}`, email: `helene.${tag}.${r}@example.org`,
        phone: "06 " + String(10 + Math.floor(Math.random() * 89)) + " 34 56 78",
        line1: "12 rue de Rivoli", postal: "75001", city: "Paris" };
}

// A page in a context of its own (newContext's options: JavaScript, locale, viewport) that
// waits 30 s at most for anything: how each step below starts.
async function openPage(browser, options) {
    const context = await newContext(browser, options);
    const page = await context.newPage();
    page.setDefaultTimeout(30000);
    return { context, page };
}

// One victim's journey; js: JavaScript on; lang: "fr" | "en"; size: [width, height].
async function journey(browser, { js, lang, size, tag }) {
    const helper = js ? null : await axeHelper(browser, baseUrl);
    const { context, page } = await openPage(browser, { javaScriptEnabled: js, locale: lang === "fr" ? "fr-FR" : "en-GB",
        viewport: { width: size[0], height: size[1] } });
    const claimPosts = [];
    page.on("request", (req) => {
        if (req.method() === "POST")
            claimPosts.push(req);
    });
    // the form sent back with its errors (422), or as a duplicate (409), is the page doing
    // its job
    watchPage(page, baseUrl, steps, problems, () => false,
        (resp) => [409, 422, 429].includes(resp.status()) && new URL(resp.url()).pathname === "/claim");
    const shoot = (name) => shootAt(page, outDir, steps, problems, `${tag}-${name}`, { restore: size });
    const axe = (what) => axeCheck(page, steps, problems, `${what} (${lang}, JavaScript ${js ? "on" : "off"})`, helper);
    const text = async (sel) => (await page.locator(sel).innerText()).trim();
    const m = { fields: 0, keys: 0, words: 0 };
    // a person's input: each character a key press, each tick or choice one
    const type = async (sel, value) => {
        await page.locator(sel).fill("");
        await page.locator(sel).pressSequentially(value);
        m.keys += value.length;
    };
    const tick = async (sel) => {
        await page.locator(sel).check();
        m.keys += 1;
    };

    steps.current = `${tag}: home`;
    await page.goto(`${baseUrl}/?lang=${lang}`);
    equal(await page.getAttribute("html", "lang"), lang, "page language");
    await axe("home");
    const toAction = page.locator(`a[href="/a/${setup.action_id}"]`).first();
    check(await toAction.count() > 0, "the home page links to the action");
    await shoot("01-home");
    await toAction.click();
    m.keys += 1;

    steps.current = `${tag}: action page`;
    await page.waitForURL((u) => u.pathname === `/a/${setup.action_id}`);
    contains(await text("main"), setup.association_name, "the association named");
    await axe("action page");
    await shoot("02-action");
    const join = page.locator(`main a[href*="action=${setup.action_id}"]`).first();
    check(await join.count() > 0, "the action's page offers to join it");
    await join.click();
    m.keys += 1;

    steps.current = `${tag}: claim form`;
    await page.waitForURL((u) => u.pathname === "/claim");
    await page.locator("#claim-form").waitFor();
    contains(await text("#mandate-intro"), setup.association_name, "the mandate offered");
    await axe("claim form");
    await shoot("03-form");
    // the words a person reads on the form: its text, the mandate included, not the ~250
    // country names of the address list
    m.words = (await page.locator("main").evaluate((main) => {
        const copy = main.cloneNode(true);
        copy.querySelectorAll("select, [hidden]").forEach((e) => e.remove());
        return copy.textContent;
    })).split(/\s+/).filter((w) => /\p{L}/u.test(w)).length;
    const p = person(tag);
    await type("#given_name", p.given);
    await type("#family_name", p.family);
    await type("#email", p.email.replace(/\.org$/, ""));   // the mistake: no ".org"
    await type("#phone", js ? "12" : p.phone);             // with JavaScript, a second one
    await type("#line1", p.line1);
    await type("#postal_code", p.postal);
    await type("#city", p.city);
    await tick("#cat-email");
    await tick("#phishing");
    await tick("#pay-voucher");
    await tick("#mandate");
    await tick("#privacy");
    m.fields = 12;   // 7 typed (the phone included), 5 ticked
    // a description of two paragraphs, not counted in the measures: without JavaScript the
    // browser posts its line breaks as CR LF, which the server once refused
    const story = lang === "fr" ? "Un SMS d'hameçonnage le 3 mars.\n\nPuis deux appels."
        : "A phishing SMS on 3 March.\n\nThen two calls.";
    await page.locator("#description").fill(story);
    // the language switch of the claim form keeps what was typed (a button of the form, with
    // or without JavaScript), there and back; not counted in the measures
    const away = lang === "fr" ? "en" : "fr";
    for (const to of [away, lang]) {
        steps.current = `${tag}: the claim form's language switch to ${to}`;
        await page.click(`.lang-switch [lang="${to}"]`);
        await page.waitForFunction((code) => document.documentElement?.lang === code &&
            document.getElementById("claim-form"), to);
        equal(await page.inputValue("#family_name"), p.family, "the family name kept");
        equal(await page.inputValue("#city"), p.city, "the city kept");
        check(await page.isChecked("#cat-email") && await page.isChecked("#mandate") &&
            await page.isChecked("#privacy"), "the boxes kept");
        await axe(`claim form switched to ${to}`);
    }
    steps.current = `${tag}: claim form`;
    // Enter in the last field typed sends the claim, as the form's own button does: the
    // switch's buttons belong to the form too, and come before that button in the page
    const postsBefore = claimPosts.length;
    await page.locator("#city").press("Enter");
    m.keys += 1;

    steps.current = `${tag}: the mistake`;
    if (js) {
        // the phone is refused in the page, as the server would: nothing is sent
        await page.locator("#phone-error:not([hidden])").waitFor();
        equal(claimPosts.length, postsBefore, "nothing sent while the page sees an error");
        await type("#phone", p.phone);
        const refused = page.waitForResponse((r) => r.request().method() === "POST");
        await page.click("#submit");
        m.keys += 1;
        equal((await refused).status(), 422, "the API refuses the email");
    } else {
        await page.waitForURL((u) => u.pathname === "/claim");
    }
    await page.locator("#email-error:not([hidden])").waitFor();
    equal(await page.getAttribute("html", "lang"), lang, "Enter sent the claim, not the language switch");
    contains(await text("#email-error"), lang === "fr" ? "Saisissez une adresse électronique" : "Enter an email address",
        "the error beside the email");
    contains(await text("#error-summary"), lang === "fr" ? "Adresse électronique" : "Email", "the summary names the field");
    // what a screen reader says first: the tab's title, with or without JavaScript; with it,
    // the focus is on the summary (without it, the page's top, as any page loaded)
    check((await page.title()).startsWith(lang === "fr" ? "Erreur" : "Error"), "the title says there is an error");
    if (js)
        equal(await page.evaluate(() => document.activeElement.id), "error-summary", "the focus on the summary");
    equal(await page.inputValue("#family_name"), p.family, "values kept");
    check(await page.isChecked("#mandate"), "the mandate box kept");
    await axe("form with errors");
    // a div may carry a name (aria-labelledby) only with a role (the Nu checker)
    check(await page.evaluate(() => { const s = document.getElementById("error-summary");
        return !s.hasAttribute("aria-labelledby") || ["alert", "group"].includes(s.getAttribute("role")); }),
    "the errors' summary named with a role");
    await shoot("04-form-errors");
    // the language switch of a form with errors: the errors come back too, in the other
    // language, in the summary and beside the field (the server's page, with JavaScript or
    // not); there and back
    for (const [to, said, field] of [[away, away === "fr" ? "Saisissez une adresse électronique" : "Enter an email address",
        away === "fr" ? "Adresse électronique" : "Email"],
    [lang, lang === "fr" ? "Saisissez une adresse électronique" : "Enter an email address",
        lang === "fr" ? "Adresse électronique" : "Email"]]) {
        steps.current = `${tag}: the errors through the language switch to ${to}`;
        await page.click(`.lang-switch [lang="${to}"]`);
        await page.waitForFunction((code) => document.documentElement?.lang === code &&
            document.getElementById("claim-form"), to);
        contains(await text("#email-error"), said, "the error beside the email, in its language");
        contains(await text("#error-summary"), field, "the summary, in its language");
        equal(await page.getAttribute("#email", "aria-invalid"), "true", "the email marked invalid");
        const summary = await text("#error-summary");
        check(!summary.includes("Phone") && !summary.includes("Téléphone"), "no error but the form's");
        equal(await page.inputValue("#family_name"), p.family, "values kept");
        contains(await page.title(), to === "fr" ? "Erreur" : "Error", "the title says there is an error");
        await axe(`form with errors switched to ${to}`);
    }
    steps.current = `${tag}: the mistake`;

    steps.current = `${tag}: corrected`;
    await type("#email", p.email);
    await page.click("#submit");
    m.keys += 1;
    await page.locator("#receipt").waitFor();
    const reference = await text("#receipt-reference");
    const token = await text("#receipt-token");
    check(REFERENCE_RE.test(reference), `reference ${reference}`);
    check(TOKEN_RE.test(token), "token shape");
    check(!page.url().includes(token), "the token is not in the address");
    const stored = await page.request.get(`${baseUrl}/v1/claims/${reference}`,
        { headers: { Authorization: `Bearer ${token}` } });
    equal((await stored.json()).harms?.description, story, "the description's lines kept, as LF");
    contains(await text("#receipt"), lang === "fr" ? "message de confirmation" : "confirmation email", "what happens next");
    equal(await page.locator(`#receipt a[href="/a/${setup.action_id}"]`).count(), 1, "the action's next step linked");
    contains(await text("#receipt"), setup.association_name, "the mandate given, to whom");
    contains(await text("#receipt-token-hint"), lang === "fr" ? "Votre code secret" : "Your secret code",
        "beside the token, what it is");
    equal((await text("#receipt-payment")).replace(/\u00a0/g, " "), lang === "fr"
        ? "Indemnisation souhaitée : en bons d'achat." : "Compensation preferred: vouchers.",
        "the compensation chosen, in the form's words");
    contains(await page.title(), lang === "fr" ? "Votre réclamation est enregistrée" : "Your claim is registered",
        "the receipt's title");
    check(!(await page.title()).startsWith(lang === "fr" ? "Erreur" : "Error"), "no error in the receipt's title");
    if (js)
        equal(await page.evaluate(() => document.activeElement.id), "receipt-h2", "the focus on the receipt's heading");
    await axe("receipt");
    // nothing on the page names the form the receipt replaced (the Nu checker's "form
    // attribute must refer to a form element"), and the errors' summary had a role for its name
    check(await page.evaluate(() => [...document.querySelectorAll("[form]")].every((c) => c.form !== null)),
        "every control's form is on the page");
    await shoot("05-receipt");

    // "See my claim" opens it: the victim is not asked to type back the 43 characters just shown
    const opens = await page.locator("#receipt-open").evaluate((f) => ({ action: f.getAttribute("action"),
        method: f.method, fields: Object.fromEntries(new FormData(f)) }));
    equal(JSON.stringify(opens), JSON.stringify({ action: `/my-claim?lang=${lang}`, method: "post",
        fields: { form: "open", lang, reference, token } }), "'See my claim' posts the claim's credentials");

    // the language switch keeps the token on show (not the empty form it linked to)
    const other = lang === "fr" ? "en" : "fr";
    for (const [to, heading] of [[other, other === "fr" ? "Votre référence" : "Your reference"],
        [lang, lang === "fr" ? "Votre référence" : "Your reference"]]) {
        steps.current = `${tag}: language switch to ${to}`;
        await page.click(`.lang-switch [lang="${to}"]`);
        await page.waitForFunction((code) => document.documentElement?.lang === code && document.getElementById("claim-h2"), to);
        equal(await text("#receipt-token"), token, "the token still on show");
        contains(await text("#receipt h2"), heading, "the secrets' heading");
        contains(await text("#claim-h2"), reference, "the claim opened with them");
        check(!page.url().includes(token), "the token is not in the address");
        await axe(`claim and token in ${to}`);
    }
    if (js) {
        // the same person claims again (a second tab, a forgotten claim): the page says a claim
        // exists and where to see it; the language switch says it again, in the other
        // language, with the same status (the script marks the form "sent" as the server does)
        steps.current = `${tag}: a second claim, refused, through the language switch`;
        await page.goto(`${baseUrl}/claim?incident=${setup.slug}&lang=${lang}`);
        for (const [sel, value] of [["#given_name", p.given], ["#family_name", p.family],
            ["#email", p.email], ["#line1", p.line1], ["#postal_code", p.postal], ["#city", p.city]])
            await page.fill(sel, value);
        for (const sel of ["#cat-email", "#pay-voucher", "#privacy"])
            await page.check(sel);
        const refused = page.waitForResponse((r) => r.request().method() === "POST");
        await page.click("#submit");
        equal((await refused).status(), 409, "a duplicate");
        await page.locator("#form-status:not([hidden]) a[href='/my-claim']").waitFor();
        const switched = page.waitForResponse((r) => r.request().method() === "POST");
        await page.click(`.lang-switch [lang="${other}"]`);
        equal((await switched).status(), 409, "the switch answers as the refused post did");
        await page.waitForFunction((code) => document.documentElement?.lang === code, other);
        contains(await text("#form-notice"), other === "fr" ? "Une réclamation existe déjà"
            : "A claim already exists", "the refusal said again, in the other language");
        equal(await page.inputValue("#email"), p.email, "values kept");
        await axe(`duplicate refused, switched to ${other}`);
        // the rate limit (the API's answer faked: this server has none): the form keeps the
        // moment the wait ends, by the answer's Date, so that the switch says what is left of
        // it, not the count said then
        steps.current = `${tag}: the rate limit through the language switch`;
        const claims = "**/v1/incidents/*/claims";
        await page.route(claims, (route) => route.fulfill({ status: 429, contentType: "application/problem+json",
            headers: { "Retry-After": "40", Date: new Date().toUTCString() },
            body: JSON.stringify({ type: "https://recours.dev/problems/rate-limited", title: "Too many requests", status: 429 }) }));
        await page.click("#submit");
        await page.locator("#form-status:not([hidden])").waitFor();
        await page.unroute(claims);
        const until = Number((await page.inputValue('input[name="sent"]')).replace(/^rate_limited:/, ""));
        check(Math.abs(until - (Date.now() / 1000 + 40)) < 30, `the moment the wait ends kept (${until})`);
        const limited = page.waitForResponse((r) => r.request().method() === "POST");
        await page.click(`.lang-switch [lang="${lang}"]`);
        equal((await limited).status(), 429, "the switch answers as the refusal did");
        await page.waitForFunction((code) => document.documentElement?.lang === code, lang);
        const left = /(\d+)/.exec(await text("#form-notice"));
        check(left && Number(left[1]) >= 1 && Number(left[1]) <= 40, `what is left of the wait (${left && left[1]})`);
    }
    await context.close();
    if (helper)
        await helper.context().close();
    return { reference, token, email: p.email, measure: m };
}

// "I lost my token" on /my-claim (JavaScript on, English, phone): the page after asking for a
// known address and after an unknown one must read the same (no one learns who has claimed).
async function recoveryAsk(browser, email) {
    const { context, page } = await openPage(browser, { javaScriptEnabled: true, locale: "en-GB",
        viewport: { width: 390, height: 844 } });
    watchPage(page, baseUrl, steps, problems);
    const ask = async (address, shot) => {
        await page.goto(`${baseUrl}/my-claim?lang=en`);
        await page.locator("#recover-email").fill(address);
        await page.click("#recover");
        await page.locator("#claim-status").waitFor();
        await axeCheck(page, steps, problems, "recovery asked (en, JavaScript on)");
        await shootAt(page, outDir, steps, problems, `recovery-${shot}`, { restore: [390, 844] });
        return (await page.locator("main").innerText()).trim();
    };
    steps.current = "recovery: a known address";
    const known = await ask(email, "known");
    contains(known, "email", "the recovery page answers");
    steps.current = "recovery: an unknown address";
    const unknown = await ask(`nobody.${Math.random().toString(36).slice(2, 10)}@example.org`, "unknown");
    equal(unknown, known, "the same page whether a claim matches or not");
    await context.close();
}

// Evidence without JavaScript (French, phone): a victim of an identity theft attaches a scan
// whose name is one long word (as cameras and scanners name files): the page that says it was
// attached, and the claim's page listing it with its remove button, fit the phone's width.
// With JavaScript a second file is chosen and the language switched before attaching it
// (evidenceSwitchJs). Then the victim withdraws the claim: asked first, "No, keep it" goes back, "Yes" withdraws.
async function evidenceNoJs(browser) {
    steps.current = "evidence: a claim declaring an identity theft";
    const helper = await axeHelper(browser, baseUrl);
    const context = await newContext(browser, { javaScriptEnabled: false, locale: "fr-FR",
        viewport: { width: 390, height: 844 } });
    const r = Math.random().toString(36).slice(2, 10).replace(/[0-9]/g, "x");
    const made = await context.request.post(`${baseUrl}/v1/incidents/${setup.slug}/claims`, {
        data: { claimant: { given_name: "Inès", family_name: `Preuve-${r}`,
            email: `ines.${r}@example.org`, address: { line1: "3 rue", postal_code: "69001",
                city: "Lyon", country: "FR" } }, data_categories: ["email"],
        harms: { identity_theft: true }, payment_preference: "cash",
        privacy_notice_version: setup.privacy_version, lang: "fr" } });
    equal(made.status(), 201, "the claim made");
    const receipt = await made.json();
    const page = await context.newPage();
    page.setDefaultTimeout(30000);
    watchPage(page, baseUrl, steps, problems, () => false,
        (resp) => resp.status() === 415 && new URL(resp.url()).pathname.startsWith("/my-claim"));
    await page.goto(`${baseUrl}/my-claim?lang=fr`);
    await page.locator("#reference").fill(receipt.reference);
    await page.locator("#token").fill(receipt.token);
    await page.click("#open");
    await page.locator("#evidence-form").waitFor();
    // a file that is no PDF, JPEG or PNG: refused, and said beside the file input, with that
    // the file must be chosen again (no page can keep it)
    steps.current = "evidence: a file refused";
    await page.setInputFiles("#evidence-file", { name: "notes.txt", mimeType: "text/plain",
        buffer: Buffer.from("not a scan\n") });
    await page.click("#evidence-add");
    await page.locator("#evidence-file-error").waitFor();
    contains(await page.locator("#evidence-file-error").innerText(), "choisissez de nouveau un fichier",
        "beside the file input: choose a file again");
    equal(await page.getAttribute("#evidence-file", "aria-invalid"), "true", "the input marked");
    await axeCheck(page, steps, problems, "evidence refused (fr, JavaScript off)", helper);
    // its language switch opens the claim in English saying the same (it said nothing)
    steps.current = "evidence: the refusal through the language switch";
    await page.click('.lang-switch [lang="en"]');
    await page.waitForFunction(() => document.documentElement?.lang === "en");
    contains(await page.locator("#claim-status").innerText(), "not a PDF", "the refusal said in English");
    contains(await page.locator("#evidence-file-error").innerText(), "choose a file again", "and beside the input");
    await page.click('.lang-switch [lang="fr"]');
    await page.waitForFunction(() => document.documentElement?.lang === "fr");
    steps.current = "evidence: a file refused";
    steps.current = "evidence: a file with a long name";
    const name = `SCAN_${"0123456789".repeat(12)}_releve_bancaire_plainte.pdf`;
    const pdf = "%PDF-1.4\n1 0 obj\n<<>>\nendobj\nxref\n0 1\ntrailer\n<<>>\nstartxref\n9\n%%EOF\n";
    await page.setInputFiles("#evidence-file", { name, mimeType: "application/pdf", buffer: Buffer.from(pdf) });
    await page.click("#evidence-add");
    await page.locator("#claim-status.status-success").waitFor();
    contains(await page.locator("#evidence-list").innerText(), name, "the file listed");
    await axeCheck(page, steps, problems, "evidence attached (fr, JavaScript off)", helper);
    await shootAt(page, outDir, steps, problems, "evidence-attached", { restore: [390, 844] });
    await page.click("#evidence-back button");
    await page.locator("#claim-h2").waitFor();
    // a button lays its children out side by side (a flex box): its words in one piece, or
    // "Remove" stood one letter a line beside the long name, "Join the action of" a column
    // beside the association's
    check(await page.evaluate(() => [...document.querySelectorAll("main .button")].every((b) =>
        [...b.childNodes].filter((n) => n.nodeType === 1 || n.textContent.trim()).length <= 1)),
    "each button's words in one piece");
    await shootAt(page, outDir, steps, problems, "evidence-claim", { restore: [390, 844] });
    await evidenceSwitchJs(browser, receipt, name);
    // withdrawing asks first: the question, "No, keep it" back to the claim, then "Yes"
    steps.current = "withdraw: the question first";
    await page.click("#withdraw-ask");
    await page.locator("#withdraw-confirm-form").waitFor();
    contains(await page.locator("main").innerText(), "définitif", "what withdrawing means");
    await axeCheck(page, steps, problems, "withdrawal asked (fr, JavaScript off)", helper);
    await shootAt(page, outDir, steps, problems, "withdraw-question", { restore: [390, 844] });
    await page.click("#withdraw-no");
    await page.locator("#withdraw-form").waitFor();
    equal(await page.locator("#claim-status-value").innerText(), "Reçue", "still received");
    // the claim's language switch is a button of its correction form: a correction being
    // typed comes back in English, nothing saved
    steps.current = "claim page: a correction, then the language switch";
    await page.locator("#city").fill("Villeurbanne");
    await page.click('.lang-switch [lang="en"]');
    await page.waitForFunction(() => document.documentElement?.lang === "en" &&
        document.getElementById("claim-form"));
    equal(await page.inputValue("#city"), "Villeurbanne", "the correction kept");
    contains(await page.locator("#claim-body").innerText(), "Lyon", "nothing saved");
    await axeCheck(page, steps, problems, "claim page switched (en, JavaScript off)", helper);
    await page.click('.lang-switch [lang="fr"]');
    await page.waitForFunction(() => document.documentElement?.lang === "fr");
    steps.current = "withdraw: confirmed";
    await page.click("#withdraw-ask");
    await page.click("#withdraw-yes");
    await page.locator("#claim-status.status-success").waitFor();
    equal(await page.locator("#claim-status-value").innerText(), "Retirée", "withdrawn");
    await context.close();
    await helper.context().close();
}

// Evidence with JavaScript (English, phone): a file chosen, then the language switched
// before it was attached. No page can fill a file input again, so the page in French names
// the file and asks to choose it again; nothing was attached. Chosen again and attached, the
// claim's page says so at its top.
async function evidenceSwitchJs(browser, receipt, listed) {
    steps.current = "evidence: a file chosen, then the language switched";
    const { context, page } = await openPage(browser, { javaScriptEnabled: true, locale: "en-GB",
        viewport: { width: 390, height: 844 } });
    watchPage(page, baseUrl, steps, problems);
    // a name as scanners make them, one long word
    const chosen = `attestation-plainte_${"0123456789".repeat(8)}.pdf`;
    await page.goto(`${baseUrl}/my-claim?lang=en`);
    await page.locator("#reference").fill(receipt.reference);
    await page.locator("#token").fill(receipt.token);
    await page.click("#open");
    await page.locator("#evidence-form").waitFor();
    contains(await page.locator("#evidence-file-hint").innerText(), "Changing the language", "the file input warns");
    await page.setInputFiles("#evidence-file", { name: chosen, mimeType: "application/pdf",
        buffer: Buffer.from("%PDF-1.4\n%%EOF\n") });
    await page.click('.lang-switch [lang="fr"]');
    await page.waitForFunction(() => document.documentElement?.lang === "fr" &&
        document.getElementById("evidence-dropped"));
    contains(await page.locator("#evidence-dropped").innerText(), `«\u00a0${chosen}\u00a0»`,
        "the file named, to choose again");
    check(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth),
        "the long name wraps within the phone's width");
    equal(await page.locator("#evidence-list li").count(), 1, "nothing attached but the first file");
    contains(await page.locator("#evidence-list").innerText(), listed, "the first file still listed");
    await axeCheck(page, steps, problems, "file forgotten by the switch (fr, JavaScript on)");
    await shootAt(page, outDir, steps, problems, "evidence-switch-js", { restore: [390, 844] });
    // chosen again and attached by the script (the API, a progress bar): the claim's page opens
    // again and says at its top that the file was attached, as the page without JavaScript does
    steps.current = "evidence: attached with JavaScript";
    await page.setInputFiles("#evidence-file", { name: chosen, mimeType: "application/pdf",
        buffer: Buffer.from("%PDF-1.4\n1 0 obj\n<<>>\nendobj\nxref\n0 1\ntrailer\n<<>>\nstartxref\n9\n%%EOF\n") });
    // its live region says the sending once (the percentage is the bar's), not each step
    const said = [];
    await page.exposeFunction("evidenceStatusSaid", (text) => said.push(text));
    await page.evaluate(() => { const s = document.getElementById("evidence-status");
        new MutationObserver(() => window.evidenceStatusSaid(s.textContent))
            .observe(s, { childList: true, characterData: true, subtree: true }); });
    await page.click("#evidence-add");
    await page.locator("#claim-status.status-success").waitFor();
    equal(JSON.stringify(said), JSON.stringify(["Envoi du fichier…"]), "the upload said once");
    contains(await page.locator("#claim-status").innerText(), "Le fichier a été joint", "the page says it was attached");
    equal(await page.locator("#evidence-list li").count(), 2, "the second file listed");
    check(await page.locator("#evidence-dropped").count() === 0, "nothing said forgotten any more");
    await context.close();
}

// axe on the pages a victim sees, in the combinations the journeys did not take.
async function axeSweep(browser, js, lang) {
    const context = await newContext(browser, { javaScriptEnabled: js, locale: lang === "fr" ? "fr-FR" : "en-GB" });
    const page = await context.newPage();
    const helper = js ? null : await axeHelper(browser, baseUrl);
    watchPage(page, baseUrl, steps, problems, () => false,
        (resp) => resp.status() === 400 && new URL(resp.url()).searchParams.get("lang") === "de");
    for (const path of ["/", `/a/${setup.action_id}`, `/claim?action=${setup.action_id}`, "/my-claim"]) {
        steps.current = `axe ${path} (${lang}, JavaScript ${js ? "on" : "off"})`;
        await page.goto(`${baseUrl}${path}${path.includes("?") ? "&" : "?"}lang=${lang}`);
        await axeCheck(page, steps, problems, path, helper);
    }
    // a language the site does not have (a link edited by hand): the page says which it has
    // and leads to this very page in each, here the form with the action's mandate
    steps.current = `a language the site does not have (${lang}, JavaScript ${js ? "on" : "off"})`;
    const asked = await page.goto(`${baseUrl}/claim?incident=${setup.slug}&action=${setup.action_id}&lang=de`);
    equal(asked.status(), 400, "a bad parameter");
    await axeCheck(page, steps, problems, "the unknown language's page", helper);
    await page.click('#lang-choices a[lang="en"]');
    await page.locator("#mandate-intro").waitFor();
    equal(await page.getAttribute("html", "lang"), "en", "the page in English");
    await context.close();
    if (helper)
        await helper.context().close();
}

// A claimant in Hong Kong on a 390 px phone, in French: with JavaScript the postal code
// follows the country select (optional for Hong Kong, required again for Korea); without it
// the claim goes through with no postal code, a birth date typed "12/03/1985" into a plain
// text field (an old browser's) and a loss typed "1 234,56 €", and the receipt writes the
// date out.
async function abroad(browser) {
    for (const js of [true, false]) {
        const tag = `abroad-${js ? "js" : "nojs"}`;
        const { context, page } = await openPage(browser, { javaScriptEnabled: js, locale: "fr-FR",
            viewport: { width: 390, height: 844 } });
        watchPage(page, baseUrl, steps, problems, () => false, () => false);
        steps.current = `${tag}: claim form`;
        await page.goto(`${baseUrl}/claim?incident=${setup.slug}&lang=fr`);
        await page.locator("#claim-form").waitFor();
        const postal = page.locator("#postal_code");
        const label = page.locator('label[for="postal_code"]');
        await page.selectOption("#country", "HK");
        if (js) {
            equal(await postal.evaluate((e) => e.required), false, "no postal code needed in Hong Kong");
            equal((await label.innerText()).trim(), "Code postal (facultatif)", "the label says it");
            await page.selectOption("#country", "KR");
            equal(await postal.evaluate((e) => e.required), true, "Korea has postal codes");
            equal((await label.innerText()).trim(), "Code postal", "the label again");
            await context.close();
            continue;
        }
        const p = person(tag);
        await page.fill("#given_name", p.given);
        await page.fill("#family_name", p.family);
        await page.fill("#email", p.email);
        await page.fill("#line1", "1 Queen's Road Central");
        await page.fill("#city", "Hong Kong");
        // an old browser's plain text field: what is typed is posted as typed
        await page.evaluate(() => { document.getElementById("birth_date").type = "text"; });
        await page.fill("#birth_date", "12/03/1985");
        if (await page.locator("#documented_loss").count())
            await page.fill("#documented_loss", "1 234,56 €");
        await page.check("#cat-email");
        await page.check("#pay-voucher");
        await page.check("#privacy");
        await page.click("#submit");
        await page.locator("#receipt-reference").waitFor();
        contains(await page.locator("#receipt-birth-date").innerText(), "12 mars 1985",
            "the birth date written out as it was read");
        check(REFERENCE_RE.test((await page.locator("#receipt-reference").innerText()).trim()),
            "a reference without a postal code");
        await shootAt(page, outDir, steps, problems, `${tag}-receipt`, { restore: [390, 844] });
        await context.close();
    }
}

// A loss typed the French way with JavaScript on (French, phone), as the page without it reads
// it (api/domain/amount_typed.c; test_amount_parity holds the two to one table): "50 $" on a
// euro incident is refused in the page with the server's words, nothing sent; "1 234,56 €" is
// sent to the API as 123456 cents.
async function lossWithJs(browser) {
    const tag = "loss-js";
    const { context, page } = await openPage(browser, { javaScriptEnabled: true, locale: "fr-FR",
        viewport: { width: 390, height: 844 } });
    const posts = [];
    page.on("request", (req) => req.method() === "POST" && posts.push(req));
    watchPage(page, baseUrl, steps, problems);
    steps.current = `${tag}: claim form`;
    await page.goto(`${baseUrl}/claim?incident=${setup.slug}&lang=fr`);
    await page.locator("#claim-form").waitFor();
    const loss = page.locator("#documented_loss");
    check(await loss.count() === 1, "the form asks for a documented loss");
    const p = person(tag);
    for (const [sel, value] of [["#given_name", p.given], ["#family_name", p.family], ["#email", p.email],
        ["#line1", p.line1], ["#postal_code", p.postal], ["#city", p.city]])
        await page.fill(sel, value);
    for (const sel of ["#cat-email", "#pay-voucher", "#privacy"])
        await page.check(sel);
    steps.current = `${tag}: dollars on a euro incident`;
    await loss.pressSequentially("50 $");
    await page.click("#submit");
    await page.locator("#documented_loss-error:not([hidden])").waitFor();
    contains(await page.locator("#documented_loss-error").innerText(),
        "Saisissez le montant en EUR, la monnaie de cet incident.", "the server's words beside the loss");
    equal(await page.getAttribute("#documented_loss", "aria-invalid"), "true", "the loss marked");
    // the summary names the field as the server's does, not by its label's "en {currency}"
    const summary = await page.locator("#error-summary").innerText();
    contains(summary, "Perte financière justifiable\u00a0: Saisissez le montant en EUR", "the summary");
    check(!summary.includes("{"), `no placeholder in the summary (${summary})`);
    equal(posts.length, 0, "nothing sent while the page sees an error");
    await shootAt(page, outDir, steps, problems, `${tag}-dollars`, { restore: [390, 844] });
    steps.current = `${tag}: euros typed the French way`;
    await loss.fill("");
    await loss.pressSequentially("1 234,56 €");
    const sent = page.waitForResponse((r) => r.request().method() === "POST");
    await page.click("#submit");
    equal((await sent).status(), 201, "the claim made");
    equal(JSON.parse(posts[0].postData()).harms?.documented_loss, 123456, "sent as minor units");
    await page.locator("#receipt").waitFor();
    const reference = (await page.locator("#receipt-reference").innerText()).trim();
    const token = (await page.locator("#receipt-token").innerText()).trim();
    const stored = await page.request.get(`${baseUrl}/v1/claims/${reference}`,
        { headers: { Authorization: `Bearer ${token}` } });
    equal((await stored.json()).harms?.documented_loss, 123456, "the API's amount: 1 234,56 € in cents");
    await context.close();
}

// Back on /my-claim with JavaScript (French, 360 px phone), the token copied from paper: the
// box under the password field shows what was typed, to check it before sending; the claim
// opens with it. (axeSweep's /my-claim, French with JavaScript, checks the box.)
async function tokenShown(browser, receipt) {
    steps.current = "my-claim: the token typed, shown";
    const { context, page } = await openPage(browser, { javaScriptEnabled: true, locale: "fr-FR",
        viewport: { width: 360, height: 740 } });
    watchPage(page, baseUrl, steps, problems);
    await page.goto(`${baseUrl}/my-claim?lang=fr`);
    await page.locator("#reference").fill(receipt.reference);
    await page.locator("#token").fill(receipt.token);
    equal(await page.getAttribute("#token", "type"), "password", "dots at first");
    await page.getByLabel("Afficher le jeton").check();
    equal(await page.getAttribute("#token", "type"), "text", "the token shown");
    await shootAt(page, outDir, steps, problems, "token-shown", { restore: [360, 740] });
    await page.click("#open");
    await page.locator("#claim-h2").waitFor();
    contains(await page.locator("#claim-h2").innerText(), receipt.reference, "the claim opened");
    // the reference on one line at 360 px, never broken at a hyphen ("RC-4NAT-" above "YYT5":
    // whether it would be depends on the reference's letters, hence the style asked too)
    equal(JSON.stringify(await page.locator("#claim-h2 bdi").evaluate((b) =>
        [getComputedStyle(b).whiteSpace, b.getClientRects().length])), JSON.stringify(["nowrap", 1]),
    "the reference in the heading kept on one line");
    await context.close();
}

// The errors' summary with JavaScript lists them in the page's order, as the server's does,
// whatever order the API's answer gives them in (its rules read the phone after the city): an
// answer faked with the phone's error before the given name's, nothing sent to the server.
async function summaryInPageOrder(browser) {
    steps.current = "the errors' summary in the page's order";
    const { context, page } = await openPage(browser, { javaScriptEnabled: true, locale: "en-GB",
        viewport: { width: 390, height: 844 } });
    watchPage(page, baseUrl, steps, problems, () => false, (resp) => resp.status() === 422);
    await page.goto(`${baseUrl}/claim?incident=${setup.slug}&lang=en`);
    const p = person("order");
    for (const [sel, value] of [["#given_name", p.given], ["#family_name", p.family], ["#email", p.email],
        ["#phone", p.phone], ["#line1", p.line1], ["#postal_code", p.postal], ["#city", p.city]])
        await page.fill(sel, value);
    for (const sel of ["#cat-email", "#pay-voucher", "#privacy"])
        await page.check(sel);
    await page.route("**/v1/incidents/*/claims", (route) => route.fulfill({ status: 422,
        contentType: "application/problem+json", body: JSON.stringify({
            type: "https://recours.dev/problems/validation-error", title: "Invalid", status: 422,
            errors: [{ field: "claimant.phone", code: "invalid-format" },
                { field: "claimant.given_name", code: "required" }] }) }));
    await page.click("#submit");
    await page.locator("#error-summary:not([hidden]) li").first().waitFor();
    equal(JSON.stringify(await page.locator("#error-summary a").evaluateAll((as) => as.map((a) => a.getAttribute("href")))),
        JSON.stringify(["#given_name", "#phone"]), "the summary's links in the page's order");
    await context.close();
}

// Every link and button of the pages a victim sees is a target of at least 24 × 24 CSS px
// (WCAG 2.2 SC 2.5.8; the footer's links were 18 px tall), on a 360 px phone in French and on
// a laptop in English, JavaScript on, measured as laid out (getBoundingClientRect): the home
// page, the incident's, the action's, the claim form, a language the site does not have, the
// claim opened on /my-claim, the footer's pages. The layout's hidden default button (1 px,
// aria-hidden, out of the Tab order) is no target. Nothing sticks out sideways.
async function targetSizes(browser, receipt) {
    for (const [width, height, lang] of [[360, 740, "fr"], [1280, 800, "en"]]) {
        const { context, page } = await openPage(browser, { javaScriptEnabled: true,
            locale: lang === "fr" ? "fr-FR" : "en-GB", viewport: { width, height } });
        watchPage(page, baseUrl, steps, problems, () => false,
            (resp) => resp.status() === 400 && new URL(resp.url()).searchParams.get("lang") === "de");
        for (const path of ["/", `/i/${setup.slug}`, `/a/${setup.action_id}`, `/claim?action=${setup.action_id}`,
            `/claim?incident=${setup.slug}&lang=de`, "/my-claim", "the claim", "/legal", "/privacy", "/accessibility"]) {
            steps.current = `target sizes: ${path} (${width} px, ${lang})`;
            if (path === "the claim") {
                await page.goto(`${baseUrl}/my-claim?lang=${lang}`);
                await page.locator("#reference").fill(receipt.reference);
                await page.locator("#token").fill(receipt.token);
                await page.click("#open");
                await page.locator("#claim-h2").waitFor();
            } else {
                await page.goto(`${baseUrl}${path}${path.includes("lang=") ? "" : (path.includes("?") ? "&" : "?") + "lang=" + lang}`);
            }
            const small = await page.evaluate(() => [...document.querySelectorAll(
                "a[href], button, select, summary, input[type=checkbox], input[type=radio], input[type=file]")]
                .filter((e) => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== "hidden" &&
                    !(e.getAttribute("aria-hidden") === "true" && e.tabIndex < 0))
                .map((e) => ({ e, r: e.getBoundingClientRect() }))
                .filter(({ r }) => r.width < 24 || r.height < 24)
                .map(({ e, r }) => `${e.tagName.toLowerCase()}${e.id ? "#" + e.id : ""} "${e.textContent.trim().slice(0, 40)}" ` +
                    `${r.width.toFixed(1)} × ${r.height.toFixed(1)}`));
            check(small.length === 0, `targets under 24 × 24 px: ${small.join("; ")}`);
            check(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth),
                "nothing sticks out sideways");
        }
        await context.close();
    }
}

const browser = await launchBrowser();
let exitCode = 0;
try {
    const fr = await journey(browser, { js: false, lang: "fr", size: [1280, 800], tag: "fr-nojs" });
    const en = await journey(browser, { js: true, lang: "en", size: [390, 844], tag: "en-js" });
    await recoveryAsk(browser, en.email);
    await evidenceNoJs(browser);
    await abroad(browser);
    await lossWithJs(browser);
    // for the test: what each victim was given, to find in the mail and to recover
    writeFileSync(join(outDir, "receipts.json"), JSON.stringify({
        fr: { reference: fr.reference, token: fr.token, email: fr.email },
        en: { reference: en.reference, token: en.token, email: en.email } }, null, 2) + "\n");
    measures["fr, JavaScript off"] = fr.measure;
    measures["en, JavaScript on, 390 px"] = en.measure;
    await axeSweep(browser, true, "fr");
    await axeSweep(browser, false, "en");
    await tokenShown(browser, en);
    await summaryInPageOrder(browser);
    await targetSizes(browser, en);
    writeFileSync(join(outDir, "measures.json"), JSON.stringify(measures, null, 2) + "\n");
    steps.current = "end";
    if (problems.length)
        fail("problems seen:\n  " + problems.join("\n  "));
    console.log(`victim_flow: ok (${fr.reference}, ${en.reference}); ${JSON.stringify(measures)}`);
} catch (e) {
    exitCode = 1;
    console.error("victim_flow: FAILED: " + (e && e.stack ? e.stack : e));
    if (problems.length && steps.current !== "end")
        console.error("also seen:\n  " + problems.join("\n  "));
} finally {
    await browser.close();
}
process.exit(exitCode);
