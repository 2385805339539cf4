// SPDX-License-Identifier: AGPL-3.0-or-later
// An association tells the members of its action, through /dashboard's Notices tab, in
// Debian's Chromium driven by playwright-core:
//   node notices_flow.mjs <base url> <setup json file> <screenshot dir>
// The setup file (written by tests/integration/test_notices_browser.py) gives the association's
// key, its action (id, title), the number of its members, a tag to make the texts unique, and
// `sending`: a notice of the action whose 2 messages are held queued (made in SQL).
// Steps: the key → the action → the Notices tab (axe-core: no serious or critical violation) →
// a notice written in French and English → "Save and preview": the server's rendering in
// French, then in English → the recipients counted (every member) and the count confirmed →
// the list shows the notice sent and its progress until every message is sent → "Stop sending"
// on the held notice, confirmed on its 2 queued messages → the texts saved again as a draft and
// "Delete draft" → the tab in French → on the Simulate tab, an amount typed is said to a screen
// reader once, not at each keystroke nor at a language change, and its CSV starts with the UTF-8
// byte order mark. Any console error, page error, CSP violation or failed page asset fails the run;
// screenshots at a phone (390×844) and a laptop (1280×800) size go to <screenshot dir>.
// Prints one JSON line {"notice_id"} and exits 0 when everything held.
import { mkdirSync, readFileSync } from "node:fs";
import { axeCheck, launchBrowser, makeSteps, newContext, shoot as shootAt, switchLanguage, watchPage } from "./flow_kit.mjs";

const [baseUrl, setupFile, outDir] = process.argv.slice(2);
if (!baseUrl || !setupFile || !outDir) {
    console.error("usage: node notices_flow.mjs <base url> <setup json file> <screenshot dir>");
    process.exit(2);
}
mkdirSync(outDir, { recursive: true });
const setup = JSON.parse(readFileSync(setupFile, "utf-8"));

const problems = [];
const steps = makeSteps();
const { fail, check, equal, contains } = steps;

const browser = await launchBrowser();
let exitCode = 0;
try {
    const context = await newContext(browser, { timezoneId: "Europe/Paris" });
    const page = await context.newPage();
    // generous: the machines running the tests are shared
    page.setDefaultTimeout(30000);
    page.setDefaultNavigationTimeout(90000);
    // Chromium ends a fetch answered 204 No Content (the draft's DELETE) with "loading failed,
    // net::ERR_ABORTED" although the page's fetch resolves (microsoft/playwright#32752): the
    // flow checks the answer itself ("Draft deleted" is shown on a 204 only)
    const deleted204 = (req) => req.method() === "DELETE"
        && (req.failure() || {}).errorText === "net::ERR_ABORTED";
    // a download's blob: URL (the simulation's CSV) is released once saved
    watchPage(page, baseUrl, steps, problems, (req) => deleted204(req) || req.url().startsWith("blob:"));
    const shoot = (name, options) => shootAt(page, outDir, steps, problems, name, options);
    const text = async (selector) => (await page.locator(selector).innerText()).trim();

    steps.current = "key and action";
    await page.goto(baseUrl + "/dashboard");
    await page.fill("#api_key", setup.key);
    await page.click("#use-key");
    await page.locator("#workspace").waitFor();
    const row = page.locator(`#actions-rows tr[data-id="${setup.action_id}"]`);
    await row.waitFor();
    await row.locator("button").click();
    await page.locator("#action:not([hidden])").waitFor();

    steps.current = "the Notices tab";
    await page.click("#tab-notices");
    await page.locator("#panel-notices:not([hidden]) #nt-form").waitFor();
    equal(await text("#tab-notices"), "Notices", "the tab's name");
    const held = `#nt-rows tr[data-id="${setup.sending}"]`;
    await page.locator(`${held} button:text-is("Stop sending")`).waitFor();
    await axeCheck(page, steps, problems, "the Notices tab");

    steps.current = "a notice written";
    // a missing text is said at once, nothing is saved
    await page.click("#nt-save");
    // at each missing text's field, listed in the summary that takes the focus
    await page.locator("#nt-errors:not([hidden])").waitFor();
    for (const id of ["nt-subject-fr", "nt-body-fr", "nt-subject-en", "nt-body-en"]) {
        equal(await text(`#${id}-error`), "This is needed.", `${id}: required at the field`);
        equal(await page.getAttribute(`#${id}`, "aria-invalid"), "true", `${id}: aria-invalid`);
    }
    contains(await text("#nt-errors"), "Subject in French: This is needed.", "the summary names the field");
    // texts too long together (each within its own bound: 413 for the whole body) said in words
    await page.fill("#nt-subject-fr", "Trop long");
    await page.fill("#nt-subject-en", "Too long");
    await page.evaluate(() => {
        for (const id of ["nt-body-fr", "nt-body-en"])
            document.getElementById(id).value = "«é»\n".repeat(5000);
    });
    await page.click("#nt-save");
    await page.locator("#nt-status.status-error").waitFor();
    contains(await text("#nt-status"), "too long in all", "413 in words");
    check(!/\b4\d\d\b/.test(await text("#nt-status")), "no bare status code");
    check(await page.locator("#nt-errors").isHidden(), "the fields' errors gone");
    await page.selectOption("#nt-kind", "information");
    await page.fill("#nt-subject-fr", `Audience fixée ${setup.tag}`);
    await page.fill("#nt-body-fr", `Bonjour,\n\nL'audience aura lieu le 3 mars ${setup.tag}.\nDétails : https://example.org/audience`);
    await page.fill("#nt-subject-en", `Hearing set ${setup.tag}`);
    await page.fill("#nt-body-en", `Hello,\n\nThe hearing is on 3 March ${setup.tag}.\nDetails: https://example.org/audience`);
    await page.click("#nt-save");
    await page.locator("#nt-preview:not([hidden])").waitFor();
    await page.locator(`#nt-preview-subject:text-is("Audience fixée ${setup.tag}")`).waitFor();
    const fr = await text("#nt-preview-text");
    contains(fr, "L'audience aura lieu le 3 mars", "the French text as a member reads it");
    contains(fr, "RC-XXXX-XXXX", "a placeholder for the member's reference");
    contains(fr, setup.action_title, "the action named");
    contains(fr, "/notices/stop/", "the stop link of a notice that is not essential");
    await page.click("#nt-preview-en");
    await page.locator(`#nt-preview-subject:text-is("Hearing set ${setup.tag}")`).waitFor();
    contains(await text("#nt-preview-text"), "The hearing is on 3 March", "the English text");
    equal(await page.getAttribute("#nt-preview-en", "aria-pressed"), "true", "the language shown is pressed");
    // and seen so: both buttons looked alike, the language previewed told by its text alone
    const looks = (id) => page.locator(id).evaluate((b) => `${getComputedStyle(b).backgroundColor} ${getComputedStyle(b).color}`);
    check(await looks("#nt-preview-en") !== await looks("#nt-preview-fr"),
        `the language shown looks pressed (${await looks("#nt-preview-en")} beside ${await looks("#nt-preview-fr")})`);
    const first = "#nt-rows tr:first-child";
    await page.locator(`${first}:has-text("${setup.tag}")`).waitFor();
    equal(await page.locator("#nt-rows tr").count(), 2, "the draft listed");
    contains(await text(`${first} td.state`), "Draft", "as a draft");
    await shoot("notices-preview");

    steps.current = "count and send";
    check(await page.isChecked("#nt-audience-all"), "every member by default");
    await page.click("#nt-count");
    await page.locator("#nt-confirm:not([hidden])").waitFor();
    contains(await text("#nt-confirm-text"), `${setup.members} members will receive it`, "the count");
    equal(await text("#nt-confirm-yes"), `Send to ${setup.members}`, "the confirmation names it");
    await axeCheck(page, steps, problems, "the Notices tab with its preview and confirmation");
    await page.click("#nt-confirm-yes");
    await page.locator("#nt-status.status-success:has-text('Queued for')").waitFor();
    equal(await page.evaluate(() => document.activeElement?.id), "nt-list-h4",
        "the confirmation gone, the focus where the send's progress is followed");
    contains(await text("#nt-status"), `Queued for ${setup.members} members`, "queued");
    check(await page.locator("#nt-send").isHidden(), "a sent notice cannot be sent again from here");
    // the form blank for the next notice: its texts left there were one "Save and preview"
    // away from a second draft of the notice just sent
    for (const id of ["nt-subject-fr", "nt-body-fr", "nt-subject-en", "nt-body-en"])
        equal(await page.inputValue(`#${id}`), "", `${id} blank once sent`);
    check(await page.locator("#nt-preview").isHidden(), "no preview of the notice sent");

    steps.current = "progress";
    // one of those reads refused (503, as a loaded server may answer): the list read before,
    // its progress in it, is not left standing as current; the refusal is said with Try
    // again, which reads it and follows the send again
    const listPath = `/v1/actions/${setup.action_id}/notices`;
    let refused = 0;
    const refuseOnce = (route) => (route.request().method() === "GET" && refused++ === 0
        ? route.fulfill({ status: 503, contentType: "application/problem+json", headers: { "Retry-After": "2" },
            body: JSON.stringify({ type: "https://recours.dev/problems/service-unavailable",
                title: "Service unavailable", status: 503, detail: "the database cannot be reached; retry" }) })
        : route.continue());
    const listRead = (url) => url.pathname === listPath;
    // the list's reads handled, an older answer set aside included (LatestRead's sign)
    const handled = async () => Number(await page.getAttribute("#nt-list", "data-reads-handled"));
    await page.route(listRead, refuseOnce);
    await page.locator("#nt-list-status.status-error").waitFor();
    equal(refused, 1, "a read of the list refused");
    check(await page.locator("#nt-table").isHidden(), "no list of the read before");
    contains(await text("#nt-list-status"), "temporarily unavailable", "the refusal said");
    await page.unroute(listRead, refuseOnce);
    await page.click("#nt-list-status button");
    // the list is read again every 2 s while messages are queued
    await page.locator(`#nt-rows tr td.progress[data-sent="${setup.members}"][data-queued="0"]`)
        .waitFor({ timeout: 60000 });
    contains(await text(`${first} td.state`), "Sent", "sent");
    equal(await text(`${first} td.recipients`), String(setup.members), "its recipients");
    equal(await page.locator(`${first} button`).count(), 0, "nothing to stop once all is sent");
    const noticeId = await page.getAttribute(first, "data-id");
    await shoot("notices-sent");

    steps.current = "stop sending";
    // the held notice's 2 queued messages keep the list read every 2 s: each read draws the
    // rows anew, and the focus on a row's button stays on it
    await page.focus(`${held} button`);
    const polls = await handled();
    await page.waitForFunction((n) => Number(document.getElementById("nt-list").dataset.readsHandled) > n
        && document.getElementById("nt-list").getAttribute("aria-busy") === "false", polls);
    equal(await page.evaluate(() => `${document.activeElement?.closest("tr")?.dataset.id} ${document.activeElement?.dataset.act}`),
        `${setup.sending} stop`, "a poll drew the rows anew, the focus still on Stop sending");
    equal(await text(`${held} td.state`), "Sending", "messages still queued: sending, not sent");
    await page.click(`${held} button`);
    await page.locator("#nt-ask:not([hidden])").waitFor();
    contains(await text("#nt-ask-text"), "2 messages", "the count still queued");
    equal(await text("#nt-ask-yes"), "Stop the 2 messages", "the confirmation names it");
    await axeCheck(page, steps, problems, "the confirmation of a stop");
    await page.click("#nt-ask-yes");
    await page.locator("#nt-list-status.status-success:has-text('Sending stopped')").waitFor();
    contains(await text("#nt-list-status"), "2 messages will not be sent", "stopped");
    await page.locator(`${held} td.state:text-is("Stopped")`).waitFor();
    equal(await page.getAttribute(`${held} td.progress`, "data-cancelled"), "2", "its progress");

    steps.current = "delete a draft";
    // the form was left blank by the send: a new notice's texts make a new draft
    await page.fill("#nt-subject-fr", `Brouillon ${setup.tag}`);
    await page.fill("#nt-body-fr", `Bonjour,\n\nUn brouillon ${setup.tag}.`);
    await page.fill("#nt-subject-en", `Draft ${setup.tag}`);
    await page.fill("#nt-body-en", `Hello,\n\nA draft ${setup.tag}.`);
    await page.click("#nt-save");
    await page.locator("#nt-rows tr").nth(2).waitFor();
    await page.click(`${first} button:text-is("Delete draft")`);
    await page.locator("#nt-ask:not([hidden])").waitFor();
    contains(await text("#nt-ask-text"), "Delete the draft", "asked first");
    await page.click("#nt-ask-yes");
    await page.locator("#nt-list-status.status-success:has-text('Draft deleted')").waitFor();
    await page.locator("#nt-rows tr").nth(2).waitFor({ state: "detached" });
    equal(await page.getAttribute(first, "data-id"), noticeId, "the draft is gone from the list");

    steps.current = "an older read answered last";
    // a poll and Refresh, or Refresh twice: the read asked first is answered last (held here,
    // then answered with an empty list); the list drawn is the last one asked for's
    let heldRead = null;
    let readHeld;
    const isHeld = new Promise((resolve) => { readHeld = resolve; });
    const holdFirst = (route) => {
        if (route.request().method() !== "GET" || heldRead)
            return route.continue();
        heldRead = route;
        readHeld();
        return undefined;
    };
    const before = await handled();
    await page.route(listRead, holdFirst);
    await page.click("#nt-refresh");
    await isHeld;
    await page.click("#nt-refresh");
    await page.locator(`#nt-list[aria-busy="false"][data-reads-handled="${before + 1}"]`).waitFor({ state: "attached" });
    await heldRead.fulfill({ status: 200, contentType: "application/json", body: JSON.stringify({ data: [], next: null }) });
    await page.locator(`#nt-list[data-reads-handled="${before + 2}"]`).waitFor({ state: "attached" });
    await page.unroute(listRead, holdFirst);
    equal(await page.locator("#nt-rows tr").count(), 2, "the last read's list, not the older empty one");
    check(await page.locator("#nt-list-status").isHidden(), "no \"No notice yet\" beside it");

    steps.current = "in French";
    await switchLanguage(page, "fr");
    equal(await text("#tab-notices"), "Avis", "the tab in French");
    equal(await text("#nt-h3"), "Informer les membres", "the heading in French");
    contains(await text(`${first} td.state`), "Envoyé", "the state in French");
    contains(await text(first), `Audience fixée ${setup.tag}`, "the French subject listed");
    contains(await text(`${held} td.state`), "Arrêté", "a stopped send in French");
    await axeCheck(page, steps, problems, "the Notices tab in French");
    // on a phone a notice is a card whose cells name their column
    await page.setViewportSize({ width: 390, height: 844 });
    const card = await page.locator(`${first} td`).evaluateAll((tds) =>
        tds.map((td) => getComputedStyle(td, "::before").content).filter((c) => c !== "none" && c !== '""'));
    equal(card.join(", "), '"Rédigé le", "Objet", "Nature", "État", "Destinataires", "Avancement"', "the card's labels");
    await page.setViewportSize({ width: 1280, height: 800 });
    await shoot("notices-fr", { fullPage: false });
    await switchLanguage(page, "en");

    // --- simulate: an amount typed is said once, not at each keystroke ---------------------
    // each amount's "That is €…" under its field is read with the field (aria-describedby), not
    // live: six live hints spoke six lines naming no field when the tab filled them or the
    // language changed, and a line per keystroke; one status line says the figure typed once
    // the typing pauses
    steps.current = "simulate: the amount typed said once";
    await page.click("#tab-simulate");
    await page.locator("#panel-simulate:not([hidden]) #sim-base").waitFor();
    equal(await page.locator("#sim-fields [aria-live]").count(), 0, "no live hint among the fields");
    equal(await page.getAttribute("#sim-base", "aria-describedby"), "sim-base-money", "the hint read with its field");
    await page.focus("#sim-base");
    await page.keyboard.press("Control+A");
    await page.keyboard.type("4500");
    await page.locator('#sim-money-said:text-is("That is €45.00.")').waitFor({ state: "attached" });
    equal(await text("#sim-base-money"), "That is €45.00.", "the hint under the field, the same figure");
    equal(await page.getAttribute("#sim-money-said", "role"), "status", "said politely");
    await switchLanguage(page, "fr");
    equal(await text("#sim-money-said"), "That is €45.00.", "a language change says nothing more");
    await switchLanguage(page, "en");

    // --- the simulation's CSV: UTF-8 with its byte order mark, as the export --------------
    // (without it a spreadsheet read the file as Windows-1252: a voucher "Café" as "CafÃ©")
    steps.current = "simulate: its CSV marked as UTF-8";
    await page.click("#sim-run");
    await page.locator("#sim-csv:not([hidden])").waitFor();
    const simDownload = page.waitForEvent("download");
    await page.click("#sim-csv");
    const simCsv = readFileSync(await (await simDownload).path());
    equal(simCsv.subarray(0, 3).toString("hex"), "efbbbf", "the file starts with the UTF-8 byte order mark");
    equal(simCsv.subarray(3, 16).toString("utf-8"), "field,value\r\n", "then its header");

    // --- the recipients by the Members tab's filter: the count says which filter ------------
    // (set on another tab, it went unsaid: "3 members will receive it" told nobody whom a notice
    // to "the members matching the filter" reached); the draft is deleted after
    steps.current = "count: the filter said";
    await page.click("#tab-list");
    await page.locator('#member-list[aria-busy="false"]').waitFor({ state: "attached" });
    await page.selectOption("#ml-status", "received");
    await page.selectOption("#ml-payment", "voucher");
    await page.click("#ml-apply");
    await page.click("#tab-notices");
    await page.fill("#nt-subject-fr", `Filtre ${setup.tag}`);
    await page.fill("#nt-body-fr", `Bonjour ${setup.tag}.`);
    await page.fill("#nt-subject-en", `Filter ${setup.tag}`);
    await page.fill("#nt-body-en", `Hello ${setup.tag}.`);
    await page.click("#nt-save");
    await page.locator(`${first}:has-text("Filter ${setup.tag}"), ${first}:has-text("Filtre ${setup.tag}")`).waitFor();
    await page.click("#nt-audience-filter");
    await page.click("#nt-count");
    await page.locator("#nt-confirm:not([hidden])").waitFor();
    contains(await text("#nt-confirm-text"),
        "Those matching the filter of the Members tab (Claim status: Received; Payment preference: Voucher).", "the filter said");
    await switchLanguage(page, "fr");
    contains(await text("#nt-confirm-text"), "Ceux qui répondent au filtre de l'onglet Membres (Statut de la réclamation\u00a0: Reçue\u00a0; "
        + "Mode d'indemnisation\u00a0: Bon d'achat).", "in French");
    await switchLanguage(page, "en");
    await page.click("#nt-confirm-no");
    await page.click(`${first} button:text-is("Delete draft")`);
    await page.locator("#nt-ask:not([hidden])").waitFor();
    await page.click("#nt-ask-yes");
    await page.locator(`${first}:has-text("Filter ${setup.tag}")`).waitFor({ state: "detached" });

    steps.current = "end";
    if (problems.length)
        fail("problems:\n  " + problems.join("\n  "));
    console.log(JSON.stringify({ notice_id: noticeId }));
} catch (e) {
    exitCode = 1;
    console.error("notices_flow: FAILED: " + (e && e.stack ? e.stack : e));
    if (problems.length && steps.current !== "end")
        console.error("also seen:\n  " + problems.join("\n  "));
} finally {
    await browser.close();
}
process.exit(exitCode);
