// SPDX-License-Identifier: AGPL-3.0-or-later
// The end of a victim's recovery by email, in Debian's Chromium (JavaScript on, English, phone):
//   node victim_recover.mjs <base url> <recover.json> <screenshot dir>
// recover.json: {"path": the emailed link's path (/my-claim?recover=…), "reference", "token":
// the token lost} (tests/integration/test_victim_journey.py, after victim_flow.mjs asked for
// the link and the test read it at its SMTP server). The link's page → "Get a new token" → the
// new token shown once with the claim it opens; the new token opens /my-claim, the old one is refused, the link works
// only once; the refused access form's language switch keeps the reference, never the token, and
// after a refused recovery it keeps both questions; the
// link's page's switch keeps the link. Exit status 0 when everything held, 1 otherwise (the reason on stderr).
import { readFileSync } from "node:fs";
import { axeCheck, launchBrowser, makeSteps, newContext, shoot, watchPage } from "./flow_kit.mjs";

const [baseUrl, recoverPath, outDir] = process.argv.slice(2);
if (!baseUrl || !recoverPath || !outDir) {
    console.error("usage: node victim_recover.mjs <base url> <recover.json> <screenshot dir>");
    process.exit(2);
}
const given = JSON.parse(readFileSync(recoverPath, "utf8"));
const TOKEN_RE = /^[A-Za-z0-9_-]{32,}$/;
const problems = [];
const steps = makeSteps();
const { fail, check, equal, contains } = steps;

const browser = await launchBrowser();
let exitCode = 0;
try {
    const context = await newContext(browser, { javaScriptEnabled: true, locale: "en-GB",
        viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    page.setDefaultTimeout(30000);
    // the old token, the used link and an address the recovery refuses are refused (404, 422)
    // on purpose
    const refusedOnPurpose = (resp) => [404, 422].includes(resp.status()) && new URL(resp.url()).pathname === "/my-claim";
    watchPage(page, baseUrl, steps, problems, () => false, refusedOnPurpose);
    const text = async (sel) => (await page.locator(sel).innerText()).trim();
    const open = async (token) => {
        await page.goto(`${baseUrl}/my-claim?lang=en`);
        await page.locator("#reference").fill(given.reference);
        await page.locator("#token").fill(token);
        const answer = page.waitForResponse((r) => r.request().method() === "POST");
        await page.click("#open");
        const status = (await answer).status();
        await page.waitForLoadState();
        return status;
    };

    steps.current = "recovery: the emailed link";
    const link = `${baseUrl}${given.path}`;
    await page.goto(link);
    await page.locator("#redeem-form").waitFor();
    await axeCheck(page, steps, problems, "recovery link (en, JavaScript on)");
    await shoot(page, outDir, steps, problems, "recovery-link", { restore: [390, 844] });
    await page.click("#redeem");

    steps.current = "recovery: the new token";
    await page.locator("#receipt-token").waitFor();
    const token = await text("#receipt-token");
    check(TOKEN_RE.test(token), "token shape");
    check(token !== given.token, "a new token");
    equal(await text("#receipt-reference"), given.reference, "the claim's reference");
    check(!page.url().includes(token), "the token is not in the address");
    contains(await text("#claim-h2"), given.reference, "the claim opened with it, nothing to type back");
    await axeCheck(page, steps, problems, "new token (en, JavaScript on)");
    await shoot(page, outDir, steps, problems, "recovery-new-token", { restore: [390, 844] });

    steps.current = "recovery: the new token opens the claim";
    equal(await open(token), 200, "the new token accepted");
    contains(await text("main"), given.reference, "the claim shown");
    await page.locator("#claim-form").waitFor();

    steps.current = "recovery: the old token refused";
    equal(await open(given.token), 404, "the old token refused");
    equal(await page.locator("#claim-form").count(), 0, "no claim shown");

    // the refusal's language switch, by the keyboard: a button of the access form, which keeps
    // the reference typed (a link lost it) and says the refusal again; the token is typed anew
    steps.current = "recovery: the refused access form through the language switch";
    await page.locator("#token").fill("a-token-typed-again");
    await page.locator('.lang-switch [lang="fr"]').focus();
    const switched = page.waitForResponse((r) => r.request().method() === "POST");
    await page.keyboard.press("Enter");
    equal((await switched).status(), 404, "the switch answers as the refusal did");
    await page.waitForLoadState();
    equal(await page.getAttribute("html", "lang"), "fr", "the page in French");
    equal(await page.locator("#reference").inputValue(), given.reference, "the reference kept");
    equal(await page.locator("#token").inputValue(), "", "the token never written back");
    check(!(await page.content()).includes("a-token-typed-again"), "the token nowhere in the page");
    contains(await text("#claim-status"), "non reconnu", "the refusal said again in French");
    check((await page.title()).startsWith("Erreur"), "the title says the error first");
    await axeCheck(page, steps, problems, "refused access switched (fr, JavaScript on)");

    // a refused recovery, then the reference found and typed in the access question: the
    // switch keeps both questions (one form holds them), never the token; Enter in the
    // address sends the recovery (the token empty), not the access question
    steps.current = "recovery: a refused address, then the switch keeps both questions";
    await page.goto(`${baseUrl}/my-claim?lang=en`);
    await page.locator("#recover-email").fill("jean.dupont@gmail");
    const asked = page.waitForResponse((r) => r.request().method() === "POST");
    await page.locator("#recover-email").press("Enter");
    equal((await asked).status(), 422, "Enter in the address asked for a link, refused");
    await page.waitForLoadState();
    equal(await page.locator("[role=alert]").count(), 1, "one alert for the refusal");
    await page.locator("#reference").fill(given.reference);
    await page.locator("#token").fill("a-token-typed-meanwhile");
    const back = page.waitForResponse((r) => r.request().method() === "POST");
    await page.click('.lang-switch [lang="fr"]');
    equal((await back).status(), 422, "the refusal said again");
    await page.waitForLoadState();
    equal(await page.getAttribute("html", "lang"), "fr", "the page in French");
    equal(await page.locator("#reference").inputValue(), given.reference, "the access reference kept");
    equal(await page.locator("#recover-email").inputValue(), "jean.dupont@gmail", "the address kept");
    equal(await page.locator("#token").inputValue(), "", "the token never written back");
    check(!(await page.content()).includes("a-token-typed-meanwhile"), "the token nowhere in the page");
    await axeCheck(page, steps, problems, "refused recovery switched (fr, JavaScript on)");

    steps.current = "recovery: the link works once";
    await page.goto(link);   // the same emailed link a second time
    // its language switch keeps the link (it went to the bare access form)
    await page.click('.lang-switch [lang="fr"]');
    await page.locator("#redeem-form").waitFor();
    equal(await page.getAttribute("html", "lang"), "fr", "the link's page in French");
    await page.click('.lang-switch [lang="en"]');
    await page.locator("#redeem-form").waitFor();
    await page.click("#redeem");
    await page.locator("#claim-status").waitFor();
    contains(await text("#claim-status"), "no longer valid", "a used link refused");
    await context.close();
    steps.current = "end";
    if (problems.length)
        fail("problems seen:\n  " + problems.join("\n  "));
    console.log(`victim_recover: ok (${given.reference})`);
} catch (e) {
    exitCode = 1;
    console.error("victim_recover: FAILED: " + (e && e.stack ? e.stack : e));
    if (problems.length && steps.current !== "end")
        console.error("also seen:\n  " + problems.join("\n  "));
} finally {
    await browser.close();
}
process.exit(exitCode);
