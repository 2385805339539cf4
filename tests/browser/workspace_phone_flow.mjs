// SPDX-License-Identifier: AGPL-3.0-or-later
// A French association's volunteer on a phone (390×844), in Debian's Chromium driven by
// playwright-core:
//   node workspace_phone_flow.mjs <base url> <setup json file> <screenshot dir>
// The setup file (tests/integration/test_workspace_browser.py) gives the association's key,
// its action (id, title) and the references of the action's members.
// Steps: /dashboard without JavaScript arrives in French (<html lang>, headings, the note that
// the workspace needs JavaScript; axe-core on it), and with JavaScript shows no English before
// its script runs; the key; the action managed; members removed with the keyboard: the focus
// goes to the next row's Remove, to the previous row's when the last row went, and to the
// list's line ("Aucun membre ne correspond.") when none is left, never up to the heading above
// the filters, while the line under the filters says what was done; a row's rejection asks
// about that member by its reference, its reason and its message (never the selection's note)
// asked there, and once rejected its row's three buttons fit a laptop's
// table; a member's claim says what the claimant says happened (harms, loss in euros, hours,
// account, birth date, payment wanted) and, without refused duplicates, "0";
// with no member left, a notice's count says nobody would receive it and offers no "Send to 0"
// (the notice stays a draft); a simulation run by Enter in its first field brings its answer,
// screens below, in sight.
// Any console error, page error, CSP violation or failed page asset fails the run.
// Prints one JSON line {"removed": [...]} and exits 0 when everything held.
import { mkdirSync, readFileSync } from "node:fs";
import { axeCheck, axeHelper, launchBrowser, makeSteps, newContext, shoot as shootAt, watchPage } from "./flow_kit.mjs";

const [baseUrl, setupFile, outDir] = process.argv.slice(2);
if (!baseUrl || !setupFile || !outDir) {
    console.error("usage: node workspace_phone_flow.mjs <base url> <setup json file> <screenshot dir>");
    process.exit(2);
}
mkdirSync(outDir, { recursive: true });
const setup = JSON.parse(readFileSync(setupFile, "utf-8"));
const fr = JSON.parse(readFileSync(new URL("../../web/i18n/fr.json", import.meta.url), "utf-8"));
const en = JSON.parse(readFileSync(new URL("../../web/i18n/en.json", import.meta.url), "utf-8"));

const problems = [];
const steps = makeSteps();
const { fail, check, equal, contains } = steps;
const PHONE = { width: 390, height: 844 };

const browser = await launchBrowser();
let exitCode = 0;
try {
    // --- the page as it arrives -----------------------------------------------------------
    steps.current = "no JavaScript";
    {
        const context = await newContext(browser, { locale: "fr-FR", javaScriptEnabled: false, viewport: PHONE });
        const page = await context.newPage();
        watchPage(page, baseUrl, steps, problems);
        await page.goto(`${baseUrl}/dashboard`);
        equal(await page.getAttribute("html", "lang"), "fr", "<html lang> in the reader's language");
        equal((await page.locator("noscript p").innerText()).trim(), fr["dash.needs_js"],
            "the note that the workspace needs JavaScript, in French");
        equal(await page.title(), fr["title.dashboard"], "the title");
        equal((await page.locator("h1").innerText()).trim(), fr["dash.h1"], "the heading");
        equal((await page.locator("#dash-incidents").innerText()).trim(), fr["dash.caption"], "a section's heading");
        equal(await page.locator(".site-nav").getAttribute("aria-label"), fr["nav.label"], "the menu's name");
        await shootAt(page, outDir, steps, problems, "01-no-javascript", { restore: [PHONE.width, PHONE.height] });
        const helper = await axeHelper(browser, baseUrl);
        await axeCheck(page, steps, problems, "the page without JavaScript", helper);
        await helper.context().close();
        await context.close();
    }

    const context = await newContext(browser, { locale: "fr-FR", timezoneId: "Europe/Paris", viewport: PHONE });
    const page = await context.newPage();
    page.setDefaultTimeout(15000);
    // a review's request the test drops as a lost connection would (its last step)
    let dropping = false;
    watchPage(page, baseUrl, steps, problems, (req) => dropping && new URL(req.url()).pathname.endsWith("/reviews"));
    const text = async (selector) => (await page.locator(selector).innerText()).trim();
    const focusedRow = () => page.evaluate(() => {
        const b = document.activeElement;
        return `${b?.closest("tr")?.dataset.reference} ${b?.dataset.act}`;
    });
    const listShown = () => page.locator('#member-list[aria-busy="false"]').waitFor({ state: "attached" });
    const focused = () => page.evaluate(() => document.activeElement && document.activeElement.id);

    // The page as the server sent it, before any script of it ran: French, no English heading
    steps.current = "before the script";
    {
        const response = await context.request.get(`${baseUrl}/dashboard`, { headers: { "Accept-Language": "fr-FR,fr;q=0.9" } });
        const sent = await response.text();
        contains(sent, '<html lang="fr">', "sent in French");
        contains(sent, `>${fr["dash.key_h2"]}<`, "the key's heading in French");
        check(!sent.includes(`>${en["dash.key_h2"]}<`), "no English heading sent");
    }

    steps.current = "key";
    await page.goto(`${baseUrl}/dashboard`);
    await page.fill("#api_key", setup.key);
    await page.keyboard.press("Enter");
    await page.locator(`#actions-rows tr[data-id="${setup.action_id}"] button`).click();
    await page.locator("#action:not([hidden])").waitFor();
    await listShown();
    const rows = () => page.$$eval("#ml-rows tr", (rs) => rs.map((r) => r.dataset.reference));
    const listed = await rows();
    equal(listed.join(","), [...setup.members].sort().join(","), "the members listed, by reference");

    // --- a member's claim: no duplicate refused is said "0", not "0 (dates : —)" -------------
    steps.current = "a member's claim";
    await page.locator(`#ml-rows tr[data-reference="${listed[0]}"] button[data-act=open]`).click();
    await page.locator("#ml-detail:not([hidden])").waitFor();
    const duplicates = page.locator("#ml-detail dt", { hasText: fr["ws.d.duplicates"] }).locator("xpath=following-sibling::dd");
    equal((await duplicates.innerText()).trim(), "0", "no duplicate refused");
    // what the claimant says happened, read before deciding (the fixture's claim: phishing and
    // distress, a loss of 12000 cents, 3 hours, its account)
    const fact = async (key) => (await page.locator("#ml-detail dt", { hasText: fr[key] })
        .locator("xpath=following-sibling::dd").innerText()).replace(/\s/g, " ").trim();
    equal(await fact("ws.d.harms"), `${fr["ws.d.harm.phishing"]}, ${fr["ws.d.harm.distress"]}`, "the harms ticked");
    equal(await fact("ws.d.loss"), "120,00 €", "the loss in euros, as French readers write it");
    equal(await fact("ws.d.hours"), "3", "the hours");
    equal(await fact("ws.d.description"), "Phishing SMS.", "their account");
    equal(await fact("ws.d.birth_date"), "12 avril 1980", "the birth date, a calendar day");
    equal(await fact("ws.d.payment"), fr["ws.pay.voucher"], "the compensation wanted");
    await page.click(`#ml-detail button:text-is("${fr["ws.close"]}")`);
    await page.locator("#ml-detail").waitFor({ state: "hidden" });

    // --- a row's rejection names its member -------------------------------------------------
    steps.current = "a row's rejection";
    await page.locator(`#ml-rows tr[data-reference="${listed[0]}"] button[data-act=reject]`).click();
    await page.locator("#ml-confirm:not([hidden])").waitFor();
    contains(await text("#ml-confirm-text"), listed[0], "the confirmation names the member asked about");
    await page.click("#ml-confirm-no");
    await page.locator("#ml-confirm").waitFor({ state: "hidden" });
    equal(await focusedRow(), `${listed[0]} reject`, "cancelled: the focus back on the row's Reject");
    // rejected, its row has three buttons (Verify, Reject, Remove): on a laptop the table still
    // fits the workspace, none of them cut at its edge
    // its reason asked there, from the keyboard (on a phone the choice above the list is
    // screens away): Yes without one sends nothing and says so at the choice
    // and its message to the claimant: the note typed above the list for a bulk rejection is
    // not this member's (it went to them unseen); the row's own field starts empty
    await page.selectOption("#ml-reason", "duplicate");
    await page.fill("#ml-note", "Message de la sélection");
    // that note is said in the selection's confirmation, as the member will read it
    await page.check(`#ml-rows tr[data-reference="${listed[1]}"] input[type=checkbox]`);
    await page.click("#ml-reject-selected");
    await page.locator("#ml-confirm:not([hidden])").waitFor();
    contains(await text("#ml-confirm-text"), fr["ws.confirm_note_one"].replace("{note}", "Message de la sélection"),
        "the selection's message said before it is sent");
    await page.click("#ml-confirm-no");
    await page.uncheck(`#ml-rows tr[data-reference="${listed[1]}"] input[type=checkbox]`);
    await page.locator(`#ml-rows tr[data-reference="${listed[0]}"] button[data-act=reject]`).click();
    await page.locator("#ml-confirm:not([hidden])").waitFor();
    equal(await focused(), "ml-confirm-reason", "the focus on the row's reason, in the confirmation");
    const reasonLabel = await page.evaluate(() => document.querySelector('label[for="ml-confirm-reason"]').textContent);
    contains(reasonLabel, listed[0], "its label names the member");
    equal(await page.inputValue("#ml-confirm-note"), "", "the row's message starts empty");
    equal(await page.locator("#ml-confirm-note").evaluate((n) => n.labels[0]?.textContent),
        fr["ws.f.note_named"].replace("{reference}", listed[0]), "its label names the member");
    const rowNote = "Votre facture ne mentionne pas ce service.";
    await page.fill("#ml-confirm-note", rowNote);
    await page.focus("#ml-confirm-reason");
    await page.click("#ml-confirm-yes");
    await page.locator("#ml-confirm-reason-error:not([hidden])").waitFor();
    equal(await focused(), "ml-confirm-reason", "no reason: the focus back on the choice");
    equal(await page.getAttribute("#ml-confirm-reason", "aria-invalid"), "true", "said invalid");
    check(!(await page.locator("#ml-confirm").isHidden()), "the confirmation stays open");
    await page.keyboard.press("ArrowDown");   // the first reason, chosen from the keyboard
    await page.keyboard.press("ArrowDown");
    const chosen = await page.inputValue("#ml-confirm-reason");
    check(chosen !== "" && chosen !== "duplicate", `a reason chosen at the row (${chosen})`);
    await page.click("#ml-confirm-yes");
    await page.locator(`#ml-rows tr[data-reference="${listed[0]}"][data-status="rejected"] button[data-act=verify]`).waitFor();
    const review = await (await context.request.get(`${baseUrl}/v1/actions/${setup.action_id}/members/${listed[0]}`,
        { headers: { Authorization: "Bearer " + setup.key } })).json();
    equal(review.review.reason, chosen, "the reason chosen at the row is the one sent");
    equal(review.review.note, rowNote, "the message typed at the row is the one sent, not the selection's");
    await listShown();
    await page.setViewportSize({ width: 1280, height: 800 });
    const fits = await page.evaluate(() => {
        const wrap = document.getElementById("ml-table").parentElement;
        const remove = document.querySelector('#ml-rows tr[data-status="rejected"] button[data-act=remove]');
        return { wide: wrap.scrollWidth, room: wrap.clientWidth,
            cut: remove.getBoundingClientRect().right > wrap.getBoundingClientRect().right };
    });
    check(fits.wide <= fits.room && !fits.cut, `a rejected row fits a laptop's workspace (${JSON.stringify(fits)})`);
    await page.screenshot({ path: `${outDir}/02-rejected-row-laptop.png` });
    await page.setViewportSize(PHONE);

    // --- removals with the keyboard ---------------------------------------------------------
    const removed = [];
    const removeWithKeyboard = async (reference) => {
        await page.locator(`#ml-rows tr[data-reference="${reference}"] button[data-act=remove]`).focus();
        await page.keyboard.press("Enter");
        await page.locator("#ml-confirm:not([hidden])").waitFor();
        equal(await page.evaluate(() => document.activeElement.id), "ml-remove-reason", "the removal's reason first");
        await page.keyboard.press("Tab");
        equal(await page.evaluate(() => document.activeElement.id), "ml-confirm-yes", "then Remove");
        const after = page.waitForResponse((r) => r.request().method() === "GET" && new URL(r.url()).pathname.endsWith("/members"));
        await page.keyboard.press("Enter");
        await after;
        await page.locator("#ml-confirm").waitFor({ state: "hidden" });
        await page.locator(`#ml-rows tr[data-reference="${reference}"]`).waitFor({ state: "detached" });
        await listShown();
        // focusBack runs once the list is drawn: wait for the focus to leave the closed box
        await page.waitForFunction(() => !document.getElementById("ml-confirm").contains(document.activeElement)
            && document.activeElement !== document.body);
        equal(await text("#ml-status-line"), fr["ws.done_remove"].replace("{reference}", reference), "the removal said");
        equal(await page.getAttribute("#ml-status-line", "aria-live"), "polite", "politely");
        removed.push(reference);
    };
    const notAtHeading = async (what) => {
        const below = await page.evaluate(() => document.activeElement.getBoundingClientRect().top
            >= document.getElementById("ml-filter").getBoundingClientRect().bottom);
        check(below, `${what}: the focus below the filters, not at the heading above them`);
    };

    steps.current = "a middle row removed";
    await removeWithKeyboard(listed[1]);
    equal(await focusedRow(), `${listed[2]} remove`, "the focus on the next row's Remove");
    await notAtHeading("a middle row");
    await shootAt(page, outDir, steps, problems, "02-removed-middle", { fullPage: false, restore: [PHONE.width, PHONE.height] });

    steps.current = "the last row removed";
    const last = listed[listed.length - 1];
    await removeWithKeyboard(last);
    equal(await focusedRow(), `${listed[listed.length - 2]} remove`, "the focus on the row before, now the last");
    await notAtHeading("the last row");

    steps.current = "every row removed";
    for (let left = await rows(); left.length > 0; left = await rows())
        await removeWithKeyboard(left[0]);
    equal(await page.evaluate(() => document.activeElement.id), "ml-list-line", "the focus on the list's line");
    equal(await text("#ml-list-line"), fr["ws.none"], "which says no member is left");
    await notAtHeading("no row left");
    await shootAt(page, outDir, steps, problems, "03-removed-all", { fullPage: false, restore: [PHONE.width, PHONE.height] });
    await axeCheck(page, steps, problems, "the members tab, emptied");

    // --- a notice with nobody to receive it: not "Send to 0", which spent it ---------------
    steps.current = "a notice to no one";
    await page.click("#tab-notices");
    await page.fill("#nt-subject-fr", "Point d'étape");
    await page.fill("#nt-body-fr", "Bonjour.");
    await page.fill("#nt-subject-en", "Update");
    await page.fill("#nt-body-en", "Hello.");
    await page.click("#nt-save");
    await page.locator("#nt-preview:not([hidden])").waitFor();
    await page.click("#nt-count");
    await page.locator("#nt-send-status:not([hidden])").waitFor();
    await page.waitForFunction(() => document.getElementById("nt-send-status").textContent.trim() !== "");
    await page.waitForFunction((counting) => document.getElementById("nt-send-status").textContent.trim() !== counting,
        fr["notices.counting"]);
    equal(await text("#nt-send-status"), fr["notices.no_recipients"], "nobody would receive it, said");
    check(await page.locator("#nt-confirm").isHidden(), "no Send to 0 offered");
    const notices = await (await context.request.get(`${baseUrl}/v1/actions/${setup.action_id}/notices`,
        { headers: { Authorization: "Bearer " + setup.key } })).json();
    equal(notices.data.map((n) => n.state).join(","), "draft", "the notice still a draft");
    await shootAt(page, outDir, steps, problems, "04-notice-to-no-one", { fullPage: false, restore: [PHONE.width, PHONE.height] });

    // --- simulate run from the phone's Go key in the first field: its answer brought in sight
    // (seven fields below, it changed nothing on the screen), the focus left in the field
    steps.current = "simulate: Go in the first field";
    await page.click("#tab-simulate");
    await page.focus("#sim-base");
    const inSight = (id) => page.evaluate((i) => {
        const r = document.getElementById(i).getBoundingClientRect();
        return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight;
    }, id);
    check(!await inSight("sim-run"), "the Simulate button screens below the first field");
    await page.keyboard.press("Enter");
    await page.locator("#sim-status.status-success").waitFor();
    check(await inSight("sim-status"), "the line saying the simulation ran is in sight");
    equal(await page.evaluate(() => document.activeElement.id), "sim-base", "the focus still in the field");

    // --- the members' "Skip the filters", on a phone with no member left --------------------
    // seen once focused (axe-core on it so), it leads to the list's line saying none is left
    steps.current = "members: skip the filters, no member";
    await page.click("#tab-list");
    await listShown();
    await page.focus("#member-list-h3");
    await page.keyboard.press("Tab");
    equal(await page.evaluate(() => document.activeElement.id), "ml-skip", "the first Tab after the heading");
    equal(await text("#ml-skip"), fr["ws.skip_to_list"], "in French");
    await axeCheck(page, steps, problems, "the members tab, its skip button focused");
    await page.keyboard.press("Enter");
    equal(await page.evaluate(() => document.activeElement.id), "ml-list-line", "Enter: the list's line");
    equal(await text("#ml-list-line"), fr["ws.none"], "which says no member is left");

    // --- 50 members on a 360 px phone: the selection's actions from a ticked row ------------
    // Row 40's box ticked by Space: the way to the selection's actions (above the rows) is the
    // next Tab, in sight at the viewport's bottom; after the table it was ten rows' controls
    // away, and some 200 Tabs from the first row. The action has no member left: 50 are served
    // in place of its list (GET only), as the API pages them.
    steps.current = "members: the selection's bar, 50 rows";
    const fake = (i) => ({ reference: `RC-PAGE-${String(i).padStart(4, "0")}`, claim_status: "received",
        email_confirmed: true, country: "FR", data_categories: ["email"], payment_preference: "voucher",
        added_at: "2026-12-01T10:00:00Z", mandated_at: "2026-12-01T10:00:00Z", reviewed_at: null,
        mandate_text_version: "2026-03-a", mandate_channel: "web", duplicate_attempts: 0 });
    const fifty = Array.from({ length: 50 }, (_, k) => fake(k + 1));
    const membersPath = `/v1/actions/${setup.action_id}/members`;
    await page.route((url) => url.pathname === membersPath, (route) => (route.request().method() === "GET"
        ? route.fulfill({ contentType: "application/json", body: JSON.stringify({ data: fifty, next: null }) })
        : route.fallback()));
    await page.setViewportSize({ width: 360, height: 740 });
    await page.click("#tab-list");   // the tab shown: its list read again
    await page.locator(`#ml-rows tr[data-reference="${fifty[49].reference}"]`).waitFor();
    await listShown();
    const row40 = fifty[39].reference;
    check(await page.locator("#ml-selbar").isHidden(), "nothing ticked: no selection bar");
    await page.locator(`#ml-rows tr[data-reference="${row40}"] input[type=checkbox]`).focus();
    await page.keyboard.press("Space");
    equal(await page.getAttribute("#ml-selected", "aria-live"), "polite", "the selection's line still a live region");
    contains(await text("#ml-selected"), fr["ws.selected_one"].replace("{count}", "1"), "which says the count");
    await page.keyboard.press("Tab");
    equal(await focused(), "ml-to-bulk", "one Tab from the ticked box: the way to the selection's actions");
    equal(await text("#ml-to-bulk"), fr["ws.to_bulk_one"].replace("{count}", "1"), "its name says the count");
    const bar = await page.evaluate(() => {
        const r = document.getElementById("ml-selbar").getBoundingClientRect();
        const box = document.activeElement.closest("tr").querySelector("input[type=checkbox]").getBoundingClientRect();
        return { top: r.top, bottom: r.bottom, view: window.innerHeight, boxBottom: box.bottom };
    });
    check(bar.bottom <= bar.view + 1 && bar.bottom >= bar.view - 1, `the bar at the viewport's bottom (${JSON.stringify(bar)})`);
    check(bar.boxBottom <= bar.top, `the ticked box not hidden under it (${JSON.stringify(bar)})`);
    if (process.env.RECOURS_WEB_SCREENSHOTS)   // as the volunteer sees it, before shootAt resizes
        await page.screenshot({ path: `${outDir}/05-selection-bar-360.png` });
    await shootAt(page, outDir, steps, problems, "05-selection-bar", { fullPage: false, restore: [360, 740] });
    await axeCheck(page, steps, problems, "the members tab, a row ticked, its selection bar focused");
    await page.keyboard.press("Enter");
    equal(await focused(), "ml-selected", "Enter: the selection's line, above the reason and the buttons");
    await page.keyboard.press("Tab");
    equal(await focused(), "ml-reason", "then the reason");
    await page.locator(`#ml-rows tr[data-reference="${row40}"] input[type=checkbox]`).focus();
    await page.keyboard.press("Space");
    check(await page.locator("#ml-selbar").isHidden(), "nothing ticked any more: gone");

    // --- row 40's Reject on a 360 px phone: the question under the row ----------------------
    // (above the list it opened 2,400 px up, and the volunteer lost their place); it stays there
    // when the rows are drawn anew (a language change), and Escape brings the focus back to the
    // row. The dry run for these served members is served too (count 1); nothing is decided.
    steps.current = "members: a row's question under its row";
    await page.route((url) => url.pathname === `/v1/actions/${setup.action_id}/reviews`, (route) => {
        const body = route.request().postDataJSON();
        return body?.dry_run ? route.fulfill({ contentType: "application/json",
            body: JSON.stringify({ count: 1, dry_run: true }) }) : route.abort();
    });
    const rowReject = page.locator(`#ml-rows tr[data-reference="${row40}"] button[data-act=reject]`);
    const questionAt = () => page.evaluate((ref) => {
        const box = document.getElementById("ml-confirm");
        const holder = box.closest("tr");
        const row = document.querySelector(`#ml-rows tr[data-reference="${ref}"]`).getBoundingClientRect();
        const r = box.getBoundingClientRect();
        return { after: holder?.previousElementSibling?.dataset.reference ?? null, gap: Math.round(r.top - row.bottom),
            inSight: r.top >= 0 && r.top < window.innerHeight };
    }, row40);
    await rowReject.focus();
    await page.keyboard.press("Enter");
    await page.locator("#ml-confirm:not([hidden])").waitFor();
    equal(await focused(), "ml-confirm-reason", "the focus on the row's reason");
    let at = await questionAt();
    equal(at.after, row40, "the question in a row right under row 40's");
    check(at.inSight && at.gap >= 0 && at.gap < 40, `next to the row, in sight (${JSON.stringify(at)})`);
    if (process.env.RECOURS_WEB_SCREENSHOTS)   // as the volunteer sees it, before shootAt resizes
        await page.screenshot({ path: `${outDir}/06-row-question-360.png` });
    await shootAt(page, outDir, steps, problems, "06-row-question", { fullPage: false, restore: [360, 740] });
    await axeCheck(page, steps, problems, "the members tab, a row's rejection asked under its row");
    // the language's button pressed by script, the focus left in the question: the rows are
    // drawn anew around it (a click would take the focus to the button)
    const redrawIn = async (code) => {
        await page.evaluate((c) => document.querySelector(`button[data-lang="${c}"]`).click(), code);
        await page.locator(`html[lang="${code}"]`).waitFor({ state: "attached" });
    };
    await redrawIn("en");
    equal(await focused(), "ml-confirm-reason", "the rows drawn anew in English: the focus still on the reason");
    equal((await questionAt()).after, row40, "and the question still under row 40");
    equal(await text("#ml-confirm-text"), en["ws.confirm_reject_ask"].replace("{reference}", row40),
        "its question in English, naming the member");
    await redrawIn("fr");
    await page.keyboard.press("Escape");
    await page.locator("#ml-confirm").waitFor({ state: "hidden" });
    equal(await focusedRow(), `${row40} reject`, "Escape: the focus back on row 40's Reject");
    equal(await page.evaluate(() => document.getElementById("ml-confirm").parentElement.id), "ml-bulk",
        "the box back above the list, for the selection's questions");
    equal(await page.locator("#ml-rows tr.confirm-row").count(), 0, "no question row left");
    // a row's removal too
    await page.locator(`#ml-rows tr[data-reference="${row40}"] button[data-act=remove]`).press("Enter");
    await page.locator("#ml-confirm:not([hidden])").waitFor();
    equal(await focused(), "ml-remove-reason", "the removal's reason first");
    equal((await questionAt()).after, row40, "the removal asked under its row");
    await page.keyboard.press("Escape");
    await page.locator("#ml-confirm").waitFor({ state: "hidden" });
    equal(await focusedRow(), `${row40} remove`, "Escape: back on its Remove");

    // --- the key sent by Enter: the focus on to the actions' heading -------------------------
    // (left in the emptied key field, a phone's keyboard stayed up over the actions); pressed,
    // the button keeps it, as every button disabled while its answer comes
    steps.current = "the key by Enter";
    const keyAgain = async (send) => {
        await page.click("#forget-key");
        equal(await focused(), "api_key", "the key forgotten: its field");
        await page.fill("#api_key", setup.key);
        await send();
        await page.locator("#key-status.status-success").waitFor();
        await page.locator(`#actions-rows tr[data-id="${setup.action_id}"]`).waitFor();
    };
    await keyAgain(() => page.keyboard.press("Enter"));
    equal(await focused(), "actions-h2", "Enter in the field: the focus on the actions' heading");
    equal(await text("#actions-h2"), fr["dash.actions_h2"], "the heading, in French");
    await axeCheck(page, steps, problems, "the key accepted by Enter, the actions' heading focused");
    await keyAgain(() => page.click("#use-key"));
    equal(await focused(), "use-key", "the button pressed: the focus back on it");

    // --- a row's rejection sent without an answer (the connection lost) ----------------------
    // The question closed, its reason and its message to the claimant lost, and the line saying
    // why was above the filters, screens up from row 40. It stays open under its row, says so
    // where the focus is, and Yes sends it again under the same Idempotency-Key (a decision that
    // reached the server is answered as it was, not made twice). The 50 served members as above.
    steps.current = "members: a rejection without an answer";
    const sentKeys = [];
    await page.route((url) => url.pathname === `/v1/actions/${setup.action_id}/reviews`, (route) => {
        const body = route.request().postDataJSON();
        if (body?.dry_run)
            return route.fallback();   // the step above's: count 1
        sentKeys.push([route.request().headers()["idempotency-key"], body]);
        return sentKeys.length === 1 ? route.abort("internetdisconnected")
            : route.fulfill({ contentType: "application/json", body: JSON.stringify({ count: 1, batch_id: "b" }) });
    });
    await page.locator(`#actions-rows tr[data-id="${setup.action_id}"] button`).click();
    await page.locator(`#ml-rows tr[data-reference="${row40}"]`).waitFor();
    await listShown();
    await rowReject.press("Enter");
    await page.locator("#ml-confirm:not([hidden])").waitFor();
    await page.selectOption("#ml-confirm-reason", "incomplete");
    const message = "Il manque la date de l'appel frauduleux.";
    await page.fill("#ml-confirm-note", message);
    dropping = true;
    await page.click("#ml-confirm-yes");
    await page.locator("#ml-confirm-unsent:not([hidden])").waitFor();
    dropping = false;
    equal(await text("#ml-confirm-unsent"), fr["ws.confirm_unsent"], "no answer: said in the question");
    equal((await questionAt()).after, row40, "the question still open under row 40");
    equal(await page.inputValue("#ml-confirm-reason"), "incomplete", "its reason kept");
    equal(await page.inputValue("#ml-confirm-note"), message, "its message to the claimant kept");
    equal(await focused(), "ml-confirm-yes", "the focus on its Yes");
    contains(await page.getAttribute("#ml-confirm-yes", "aria-describedby"), "ml-confirm-unsent", "which the words describe");
    await axeCheck(page, steps, problems, "the members tab, a rejection unanswered");
    await page.click("#ml-confirm-yes");
    await page.locator("#ml-confirm").waitFor({ state: "hidden" });
    await listShown();
    equal(sentKeys.length, 2, "sent twice");
    equal(sentKeys[1][0], sentKeys[0][0], "under the same Idempotency-Key");
    equal(JSON.stringify(sentKeys[1][1]), JSON.stringify(sentKeys[0][1]), "the same decision");
    equal(sentKeys[1][1].note, message, "its message with it");
    contains(await text("#ml-status-line"), fr["ws.done_review_one"].replace("{count}", "1"), "then done, said");

    // --- the list names each member's country, on a phone ----------------------------------
    // ("BE", which a screen reader spells out, where the filter and the claim say "Belgique"):
    // two of the 50 served members live elsewhere; the list read again by Apply
    steps.current = "members: countries by name";
    fifty[0].country = "BE";
    fifty[1].country = "DE";
    const readAgain = async () => {
        const read = page.waitForResponse((r) => new URL(r.url()).pathname === membersPath && r.request().method() === "GET");
        await page.click("#ml-apply");
        await read;
        await listShown();
    };
    await readAgain();
    const countryCell = (ref, cat = fr) => page.locator(`#ml-rows tr[data-reference="${ref}"] td[data-label="${cat["ws.col.country"]}"]`);
    equal((await countryCell(fifty[0].reference).innerText()).trim(), "Belgique", "BE by its name, in French");
    equal((await countryCell(fifty[1].reference).innerText()).trim(), "Allemagne", "DE by its name");
    equal((await countryCell(fifty[2].reference).innerText()).trim(), "France", "FR by its name");
    const shownCell = await countryCell(fifty[0].reference).boundingBox();
    check(shownCell && shownCell.height > 0 && shownCell.x + shownCell.width <= 361, `shown on the 360 px phone (${JSON.stringify(shownCell)})`);
    await axeCheck(page, steps, problems, "the members tab, countries by name");
    await redrawIn("en");
    equal((await countryCell(fifty[0].reference, en).innerText()).trim(), "Belgium", "in English");
    await redrawIn("fr");

    // --- dates in English on a French browser: the day first, 24 hours ----------------------
    // (plain "en" is American: "December 1, 2026", "December 8, 2026 at 3:47 AM", and a date
    // field's order mm/dd/yyyy); an English browser's own form is kept (dashboard_flow, en-US)
    steps.current = "dates in English on a French browser";
    await redrawIn("en");
    const mandatedCell = page.locator(`#ml-rows tr[data-reference="${fifty[0].reference}"] td[data-label="${en["ws.col.mandated"]}"]`);
    equal((await mandatedCell.innerText()).trim(), "1 December 2026", "a member's mandate date, the day first");
    equal(await page.locator("#ml-from-format").textContent(), en["date.format"].replace("{format}", "dd/mm/yyyy"),
        "the filter's date field in that order");
    await page.click("#tab-summary");
    const computedOn = en["dash.computed_at"].split("{time}")[0];
    const totalsLine = page.locator("#totals-status", { hasText: new RegExp(`^(${computedOn}|${en["dash.no_scheme"].slice(0, 20)})`) });
    await totalsLine.waitFor();
    const said = (await totalsLine.innerText()).replace(/\s/g, " ").trim();
    check(!/\b(AM|PM)\b/i.test(said), `no American time: ${said}`);
    if (said.startsWith(computedOn))
        check(/^\d{1,2} [A-Z][a-z]+ \d{4}(,| at) \d{2}:\d{2}\b/.test(said.slice(computedOn.length)),
            `the time the totals were computed, day first: ${said}`);
    await redrawIn("fr");

    steps.current = "end";
    if (problems.length)
        fail("console errors, CSP violations, failed assets or axe violations:\n  " + problems.join("\n  "));
    console.log(JSON.stringify({ removed }));
} catch (e) {
    exitCode = 1;
    console.error("workspace_phone_flow: FAILED: " + (e && e.stack ? e.stack : e));
    if (problems.length && steps.current !== "end")
        console.error("also seen:\n  " + problems.join("\n  "));
} finally {
    await browser.close();
}
process.exit(exitCode);
