// SPDX-License-Identifier: AGPL-3.0-or-later
// The claimant's journey through the real pages, in Debian's Chromium driven by
// playwright-core (no browser download):
//   node claim_flow.mjs <base url> <incident slug> <screenshot dir>
// home page lists the incident → language switch FR ↔ EN → the claim form: empty submission
// (the page's own checks), then an email without TLD and a bad phone that only the server
// refuses (422 mapped to the fields), then a valid claim (one POST with an Idempotency-Key
// even on a double click) → reference and token shown and copied → the same person again
// (409 duplicate) → /my-claim: wrong token (not recognised), right token, a refused and an
// accepted correction, withdrawal after confirmation. Any console error, page error, CSP
// violation or failed page asset fails the run. Screenshots of every step at a phone
// (390×844) and a laptop (1280×800) size go to <screenshot dir>.
// Exit status 0 when everything held, 1 otherwise (the reason on stderr).
import { mkdirSync } from "node:fs";
import { launchBrowser, makeSteps, newContext, shoot as shootAt, watchPage } from "./flow_kit.mjs";

const [baseUrl, slug, outDir] = process.argv.slice(2);
if (!baseUrl || !slug || !outDir) {
    console.error("usage: node claim_flow.mjs <base url> <incident slug> <screenshot dir>");
    process.exit(2);
}
mkdirSync(outDir, { recursive: true });

const REFERENCE_RE = /^RC-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/;
const TOKEN_RE = /^[A-Za-z0-9_-]{32,}$/;

const problems = [];   // console errors, page errors, CSP violations, failed assets
// the current step, named in every failure; with CLAIM_FLOW_VERBOSE set, timed on stdout
const steps = makeSteps();
const { fail, check, equal, contains } = steps;

const rand = Math.random().toString(36).slice(2, 10);
const person = {
    given: "Hélène",
    family: "Testweb-" + rand.replace(/[0-9]/g, "x"),
    email: `helene.${rand}@example.org`,
    phone: "06 12 34 56 78",
    phoneE164: "+33612345678",
    birth: "1980-04-12",
    line1: "12 rue de Rivoli",
    postal: "75001",
    city: "Paris",
};

const browser = await launchBrowser();
let exitCode = 0;
try {
    const context = await newContext(browser);
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseUrl });
    const page = await context.newPage();
    page.setDefaultTimeout(15000);
    let lossExpected = false;   // set while the test itself cuts an answer off
    watchPage(page, baseUrl, steps, problems,
        (req) => lossExpected && new URL(req.url()).pathname.startsWith("/v1/"));

    const claimPosts = [];
    page.on("request", (req) => {
        if (req.method() === "POST" && new URL(req.url()).pathname === `/v1/incidents/${slug}/claims`)
            claimPosts.push(req);
    });

    const shoot = (name, options) => shootAt(page, outDir, steps, problems, name, options);

    const text = async (selector) => (await page.locator(selector).innerText()).trim();

    // --- the home page lists the incident -------------------------------------------------
    steps.current = "home";
    await page.goto(baseUrl + "/");
    const card = page.locator(`li.incident-card[data-slug="${slug}"]`);
    // incidents come by pages of 100, in slug order: show more until ours is there
    for (let i = 0; i < 50 && !(await card.count()); i++) {
        await page.waitForFunction(() => document.getElementById("incidents").getAttribute("aria-busy") === "false");
        if (await card.count())
            break;
        const more = page.locator("#more");
        check(await more.isVisible(), `incident ${slug} not listed and no "Show more"`);
        await more.click();
    }
    await card.waitFor();
    equal(await card.locator("a.button.primary").getAttribute("href"), `/claim?incident=${slug}`, "claim link");
    await page.locator("#my-claim-link").waitFor();
    await page.evaluate(() => window.scrollTo(0, 0));
    await shoot("01-home-en", { fullPage: false });
    await card.scrollIntoViewIfNeeded();
    await shoot("01-home-en-incident", { fullPage: false });

    // --- language switch, both ways -------------------------------------------------------
    steps.current = "language";
    // the home page is rendered by the server: the switch is a link to the same page
    equal(await page.getAttribute("html", "lang"), "en", "language from Accept-Language (en-GB)");
    await Promise.all([page.waitForURL((u) => u.searchParams.get("lang") === "fr"),
        page.click('.lang-switch a[hreflang="fr"]')]);
    equal(await text("h1"), "Demander réparation après une fuite de données", "French h1");
    equal(await page.getAttribute("html", "lang"), "fr", "html lang after the switch");
    equal(await page.getAttribute('.lang-switch a[hreflang="fr"]', "aria-current"), "true", "FR current");
    equal((await card.locator("a.button.primary").innerText()).trim(), "Déposer une réclamation", "French link");
    contains(await card.innerText(), "Adresse e-mail", "French category");
    contains(await card.innerText(), "1\u202f000", "French number format"); // 1 000 (narrow nbsp)
    contains(await card.innerText(), "10 février 2026", "French date");
    await page.evaluate(() => window.scrollTo(0, 0));
    await shoot("02-home-fr", { fullPage: false });
    await Promise.all([page.waitForURL((u) => u.searchParams.get("lang") === "en"),
        page.click('.lang-switch a[hreflang="en"]')]);
    equal(await text("h1"), "Claim compensation after a data breach", "English h1");
    equal((await card.locator("a.button.primary").innerText()).trim(), "Make a claim", "English link");
    contains(await card.innerText(), "1,000", "English number format");
    contains(await card.innerText(), "10 February 2026", "date in the browser's English (en-GB)");

    // --- the claim form -------------------------------------------------------------------
    steps.current = "claim form";
    await card.locator("a.button.primary").click();
    await page.waitForURL((u) => u.pathname === "/claim" && u.searchParams.get("incident") === slug);
    await page.locator("#claim-form").waitFor();
    contains(await text("#incident-box"), "Customer database leak", "incident shown");
    // only the incident's categories are offered
    const offered = await page.locator("#categories input[type=checkbox]").evaluateAll((l) => l.map((i) => i.value));
    equal(offered.join(","), "name,email,phone,postal_address,birth_date,password,financial", "categories offered");
    equal(await text("#documented_loss-label"), "Financial loss you can document, in EUR (optional)", "loss label");
    equal(await page.inputValue("#country"), "FR", "country default");
    equal(await page.getAttribute("#phone", "aria-describedby"), "phone-hint", "hint linked before any error");
    equal(await page.getAttribute("#given_name", "aria-describedby"), null, "no hint, no description");
    // the language is remembered (localStorage) and the labels follow it
    await page.click('button[data-lang="fr"]');
    equal(await text('label[for="given_name"]'), "Prénom", "French label");
    equal(await page.locator("#country option:checked").innerText(), "France", "country name in French");
    await page.reload();
    await page.locator("#claim-form").waitFor();
    equal(await text('label[for="given_name"]'), "Prénom", "language remembered after reload");
    await page.click('button[data-lang="en"]');
    equal(await text('label[for="given_name"]'), "Given name", "English label");

    steps.current = "empty submission";
    await page.click("#submit");
    await page.locator("#error-summary").waitFor();
    equal(claimPosts.length, 0, "an empty form is not sent");
    equal(await text("#given_name-error"), "Enter your given name.", "given name error");
    equal(await text("#email-error"), "Enter your email address.", "email error");
    equal(await text("#categories-error"), "Select at least one type of data.", "categories error");
    equal(await text("#payment-error"), "Choose how you would like to be compensated.", "payment error");
    equal(await page.getAttribute("#given_name", "aria-invalid"), "true", "aria-invalid");
    contains(await page.getAttribute("#given_name", "aria-describedby"), "given_name-error", "aria-describedby");
    contains(await page.getAttribute("#email", "aria-describedby"), "email-hint", "hint still described");
    equal(await page.evaluate(() => document.activeElement && document.activeElement.id), "error-summary", "focus on the summary");
    await shoot("03-claim-empty-errors");

    steps.current = "server validation";
    await page.fill("#given_name", person.given);
    await page.fill("#family_name", person.family);
    await page.fill("#email", "helene@example");          // valid for the browser, no TLD
    await page.fill("#phone", "12");                      // no browser check on tel
    await page.fill("#birth_date", person.birth);
    await page.fill("#line1", person.line1);
    await page.fill("#postal_code", person.postal);
    await page.fill("#city", person.city);
    await page.check("#cat-email");
    await page.check("#cat-password");
    await page.check("#phishing");
    await page.check("#distress");
    await page.fill("#documented_loss", "120,50");
    await page.fill("#hours_spent", "3");
    await page.fill("#description", "Phishing SMS pretending to be the carrier.");
    equal(await text("#description-count"), "3958 characters left out of 4000.", "counter");
    await page.check("#pay-voucher");
    await page.check("#privacy");
    const refused = page.waitForResponse((r) => r.request().method() === "POST" && r.url().endsWith(`/v1/incidents/${slug}/claims`));
    await page.click("#submit");
    equal((await refused).status(), 422, "server refusal");
    await page.locator("#email-error").waitFor();
    equal(await text("#email-error"), "Enter an email address like name@example.org.", "server email error at its field");
    contains(await text("#phone-error"), "Enter a phone number with its country code", "server phone error at its field");
    equal(await page.locator(".error-msg:not([hidden])").count(), 2, "only the two server errors shown");
    contains(await text("#error-summary"), "Email address: Enter an email address", "summary");
    equal(await page.inputValue("#given_name"), person.given, "typed answers kept");
    equal(await page.inputValue("#documented_loss"), "120,50", "typed amount kept");
    check(await page.isChecked("#cat-password"), "ticked categories kept");
    const firstBody = claimPosts[0].postDataJSON();
    equal(firstBody.harms.documented_loss, 12050, "120,50 EUR sent as 12050 minor units");
    equal(firstBody.privacy_notice_version, "2026-01", "privacy notice version sent");
    // translated in place when the language changes
    await page.click('button[data-lang="fr"]');
    equal(await text("#email-error"), "Saisissez une adresse e-mail comme nom@exemple.fr.", "error translated");
    await page.click('button[data-lang="en"]');
    await shoot("04-claim-server-errors");

    steps.current = "answer lost";
    // the server commits the claim but its answer never reaches the page (as when the
    // connection drops): the page says so, keeps everything, and sending again with the same
    // key gets the same answer, not a second claim
    await page.fill("#email", person.email);
    await page.fill("#phone", person.phone);
    const claimsUrl = `**/v1/incidents/${slug}/claims`;
    let committed = null;
    await page.route(claimsUrl, async (route) => {
        committed = await route.fetch();
        lossExpected = true;
        await route.abort("connectionreset");
    });
    await page.click("#submit");
    await page.locator("#form-status.status-error").waitFor();
    contains(await text("#form-status"), "You will not make two claims", "network failure message");
    equal(committed && committed.status(), 201, "the lost answer was a 201");
    equal(await page.inputValue("#email"), person.email, "answers kept after a network failure");
    check(await page.isEnabled("#submit"), "submit enabled again");
    await page.unroute(claimsUrl);
    lossExpected = false;

    steps.current = "valid claim";
    const accepted = page.waitForResponse((r) => r.request().method() === "POST" && r.url().endsWith(`/v1/incidents/${slug}/claims`));
    await page.dblclick("#submit");        // a double click must not make two claims either
    const acceptedResp = await accepted;
    equal(acceptedResp.status(), 201, "claim accepted");
    equal((await acceptedResp.allHeaders())["idempotency-replayed"], "true", "the stored answer replayed");
    await page.locator("#receipt").waitFor();
    await page.waitForTimeout(300);        // room for a second POST, which must not come
    await page.evaluate(() => window.getSelection().removeAllRanges());  // the double click's
    equal(claimPosts.length, 3, "one POST for the double click");
    const keys = claimPosts.map((r) => r.headers()["idempotency-key"]);
    check(keys.every((k) => k && k.length >= 1 && k.length <= 255), "Idempotency-Key on every POST");
    check(keys[0] !== keys[1], "a new key for a new body");
    equal(keys[2], keys[1], "the same key for the same body sent again");
    equal((await acceptedResp.json()).token, (await committed.json()).token, "the same claim");
    const reference = await text("#receipt-reference");
    const token = await text("#receipt-token");
    check(REFERENCE_RE.test(reference), `reference ${reference}`);
    check(TOKEN_RE.test(token), "token shape");
    contains(await text("#receipt"), "the token is shown only once", "keep-it warning");
    check(!page.url().includes(token), "token not in the address");
    await page.click("#copy");
    await page.locator("#copy-status").waitFor();
    const clip = await page.evaluate(() => navigator.clipboard.readText());
    contains(clip, reference, "reference copied");
    contains(clip, token, "token copied");
    await shoot("05-claim-receipt");

    steps.current = "duplicate";
    await page.goto(`${baseUrl}/claim?incident=${slug}`);
    await page.locator("#claim-form").waitFor();
    await page.fill("#given_name", person.given);
    await page.fill("#family_name", person.family);
    await page.fill("#email", person.email.toUpperCase());   // same address, other case
    await page.fill("#line1", person.line1);
    await page.fill("#postal_code", person.postal);
    await page.fill("#city", person.city);
    await page.check("#cat-email");
    await page.check("#pay-cash");
    await page.check("#privacy");
    const dup = page.waitForResponse((r) => r.request().method() === "POST" && r.url().endsWith(`/v1/incidents/${slug}/claims`));
    await page.click("#submit");
    equal((await dup).status(), 409, "duplicate refused");
    await page.locator("#form-status.status-error").waitFor();
    contains(await text("#form-status"), "A claim already exists for this person", "duplicate message");
    equal(await page.getAttribute("#form-status a", "href"), "/my-claim", "points to /my-claim");
    equal(await page.inputValue("#family_name"), person.family, "answers kept after 409");
    await shoot("06-claim-duplicate");

    // --- my claim -------------------------------------------------------------------------
    steps.current = "my claim";
    await page.click("#form-status a");
    await page.waitForURL((u) => u.pathname === "/my-claim");
    await page.fill("#reference", reference.toLowerCase());
    await page.fill("#token", token.slice(0, -4) + "AAAA");
    await page.click("#open");
    await page.locator("#access-status.status-error").waitFor();
    equal(await text("#access-status"), "Reference or token not recognised. Check both and try again.", "wrong token");
    await page.fill("#token", token);
    await page.click("#open");
    await page.locator("#claim").waitFor();
    // the view is drawn first with the incident's slug and the raw amount, then again once
    // the incident (title, currency) is loaded: read it only then
    await page.locator('#claim[data-incident="loaded"]').waitFor();
    check(!page.url().includes(token) && !page.url().includes("token"), "token never in the address");
    equal(await page.inputValue("#token"), "", "token not left in the form");
    equal(await text("#claim-h2"), `Claim ${reference}`, "claim heading");
    equal(await text("#claim-status-value"), "Received", "status received");
    const view = await text("#claim-body");
    contains(view, person.email, "email shown");
    contains(view, person.phoneE164, "phone in E.164");
    contains(view, "€120.50", "loss in euros");
    contains(view, "Customer database leak", "incident title");
    await shoot("07-my-claim");

    steps.current = "correction";
    await page.fill("#c-phone", "12");
    await page.click("#correct-save");
    await page.locator("#c-phone-error:not([hidden])").waitFor();
    contains(await text("#c-phone-error"), "Enter a phone number with its country code", "correction error at its field");
    await page.fill("#c-phone", "");            // removes the phone
    await page.fill("#c-city", "Lyon");
    await page.fill("#c-postal_code", "69001");
    const patched = page.waitForResponse((r) => r.request().method() === "PATCH");
    await page.click("#correct-save");
    const patchResp = await patched;
    equal(patchResp.status(), 200, "correction saved");
    equal(patchResp.request().headers()["content-type"], "application/merge-patch+json", "merge patch");
    await page.locator("#correct-status.status-success").waitFor();
    const corrected = await text("#claim-body");
    contains(corrected, "69001 Lyon", "new address shown");
    check(!corrected.includes(person.phoneE164), "phone removed");

    steps.current = "withdrawal";
    await page.click("#withdraw-start");
    await page.locator("#withdraw-confirm").waitFor();
    await shoot("08-my-claim-confirm-withdraw");
    await page.click("#withdraw-yes");
    await page.locator("#claim-status.status-success").waitFor();
    equal(await text("#claim-status-value"), "Withdrawn", "status withdrawn");
    contains(await text("#claim-body"), "Withdrawn on", "withdrawal date");
    check(await page.locator("#correct").isHidden(), "no correction after withdrawal");
    check(await page.locator("#withdraw").isHidden(), "no second withdrawal");
    await page.click('button[data-lang="fr"]');
    equal(await text("#claim-status-value"), "Retirée", "status translated");
    await shoot("09-my-claim-withdrawn-fr");
    await page.click('button[data-lang="en"]');

    // --- the associations' page -----------------------------------------------------------
    steps.current = "dashboard";
    await page.goto(baseUrl + "/dashboard");
    await page.locator("#incidents-table").waitFor();
    await page.fill("#api_key", "rk_not_a_real_key");
    await page.click("#use-key");
    // an unknown key is refused by the API (401): the page says so and asks again
    // (tests/browser/dashboard_flow.mjs goes through the page with a real key)
    await page.locator("#key-status.status-error").waitFor();
    contains(await text("#key-status"), "This key was refused", "401 message");
    equal(await page.inputValue("#api_key"), "", "key not left in the field");
    await shoot("10-dashboard", { fullPage: false });
    await page.locator("#dash-incidents").scrollIntoViewIfNeeded();
    await page.evaluate(() => window.scrollBy(0, document.getElementById("dash-incidents").getBoundingClientRect().top - 10));
    await shoot("11-dashboard-incidents", { fullPage: false });

    steps.current = "end";
    if (problems.length)
        fail("console errors, CSP violations or failed assets:\n  " + problems.join("\n  "));
    console.log(`claim_flow: ok (${reference}); screenshots in ${outDir}`);
} catch (e) {
    exitCode = 1;
    console.error("claim_flow: FAILED: " + (e && e.stack ? e.stack : e));
    if (problems.length && steps.current !== "end")
        console.error("also seen:\n  " + problems.join("\n  "));
} finally {
    await browser.close();
}
process.exit(exitCode);
