// SPDX-License-Identifier: AGPL-3.0-or-later
// An association's journey through /dashboard, in Debian's Chromium driven by playwright-core:
//   node dashboard_flow.mjs <base url> <setup json file> <screenshot dir>
// The setup file (written by tests/integration/test_web_pages.py) names the incident (with a
// compensation scheme), the association's live key and its key id, a revoked key, the
// operator key (to revoke the live key mid-run), the references of the claims mandated to the
// association (free ones, one in another action of its own) and one unmandated claim.
// Steps: a wrong key and a revoked key (401 message, in English then French) → the right key
// → the actions list → the open form (a counsel email only the server refuses: 422 at the
// field; then the action opens, with one Idempotency-Key per attempt) → members by filter and
// by references (a line that is no reference named at its field; the four counts) → totals
// in EUR → the CSV export with ";" (the downloaded file: BOM, header row, one row per
// member; its SHA-256 equals the one the page shows) →
// a victim follows the action's link shown on the page: the claim form offers the mandate
// (association, action, text with its paragraphs), the ticked box sends it, the receipt says
// the claim joined, the member count follows → another victim claims through the link without
// the mandate, then gives it from /my-claim?action=<id> and revokes it (the member count
// follows both) → a status move (open → filed) → the key revoked
// meanwhile: the page asks for it again. Between them, the workspace: members filtered, three
// verified in bulk (the page's counts and its summary chart follow the API's), one rejected
// (the Python side waits for its email at the SMTP server), every chart's figures against the
// API's documents (deciles and histogram included), simulate (the incident's two vouchers as
// they are, then a base they no longer add up to: the refusal at its field) and its CSV,
// axe-core on every tab (a laptop in English, a phone in French), and after the status move
// the public record tab: counsel read, a new French text refused without a new version, then
// saved with one (English too) in one PATCH of what changed, a dated hearing added; /a/{id}
// shows them. Since: a refused re-read of the same record takes its form away (Try again reads
// it); the members' Try again, pressed on a phone, leaves the focus on the list, below the
// filters; a rejected row's Verify (asked, cancelled); the export's contents and cents said;
// dates in the page's language (a French date typed, sent as ISO; an American browser shows the
// page's French format, and a date typed in English stays the same day in French); the key
// refused, the members' filter kept for a reload is forgotten with it.
// Any console error, page error, CSP violation or failed page asset fails the run; screenshots
// at a phone (390×844) and a laptop (1280×800) size go to <screenshot dir>.
// Prints one JSON line {"action_id", "export_id", "sha256"} and exits 0 when everything held.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync } from "node:fs";
import { launchBrowser, makeSteps, newContext, shoot as shootAt, switchLanguage, watchPage } from "./flow_kit.mjs";

const [baseUrl, setupFile, outDir] = process.argv.slice(2);
if (!baseUrl || !setupFile || !outDir) {
    console.error("usage: node dashboard_flow.mjs <base url> <setup json file> <screenshot dir>");
    process.exit(2);
}
mkdirSync(outDir, { recursive: true });
const setup = JSON.parse(readFileSync(setupFile, "utf-8"));

const NBSP = /[\u00a0\u202f]/g;

const problems = [];
const steps = makeSteps();
const { fail, check, equal, contains } = steps;

const browser = await launchBrowser();
let exitCode = 0;
try {
    const context = await newContext(browser, { timezoneId: "Europe/Paris", acceptDownloads: true });
    const page = await context.newPage();
    page.setDefaultTimeout(15000);
    // a download's blob: URL is released once saved
    watchPage(page, baseUrl, steps, problems, (req) => req.url().startsWith("blob:"));
    // the key must never travel in an address
    page.on("request", (req) => {
        for (const k of [setup.key, setup.revoked_key])
            if (req.url().includes(k))
                problems.push(`${steps.current}: the API key is in a URL: ${req.url()}`);
    });
    const actionPosts = [];
    page.on("request", (req) => {
        if (req.method() === "POST" && new URL(req.url()).pathname === "/v1/actions")
            actionPosts.push(req);
    });

    const shoot = (name, options) => shootAt(page, outDir, steps, problems, name, options);

    const text = async (selector) => (await page.locator(selector).innerText()).trim();
    // the members list shows the answer to the last read asked for (its own sign: aria-busy
    // false); a row of the list before would satisfy a wait for a row
    const listShown = () => page.locator('#member-list[aria-busy="false"]').waitFor({ state: "attached" });
    const focused = () => page.evaluate(() => document.activeElement && document.activeElement.id);
    // the focus on a row's button (they have no id): "reference act"
    const focusedRow = () => page.evaluate(() => {
        const b = document.activeElement;
        return `${b?.closest("tr")?.dataset.reference} ${b?.dataset.act}`;
    });
    // The next GET of pathname answered 503 (Retry-After 2), as a loaded server may refuse a
    // read: a refusal the page must handle, the server's logic untouched. off() ends it;
    // refused() counts the refusals (1 once the page has asked).
    const refuseNextRead = async (pathname) => {
        let refused = 0;
        const match = (url) => url.pathname === pathname;
        const handler = (route) => (route.request().method() === "GET" && refused++ === 0
            ? route.fulfill({ status: 503, contentType: "application/problem+json", headers: { "Retry-After": "2" },
                body: JSON.stringify({ type: "https://recours.dev/problems/service-unavailable",
                    title: "Service unavailable", status: 503, detail: "the database cannot be reached; retry" }) })
            : route.continue());
        await page.route(match, handler);
        return { refused: () => refused, off: () => page.unroute(match, handler) };
    };
    // The members list as read again after a change: a refusal of the read (a loaded server
    // may answer 503) is said on the list's line with "Try again", and no row of an earlier read
    // stays beside it; it is pressed, as a volunteer would, up to three times.
    const listReadAgain = async (when) => {
        await listShown();
        for (let i = 0; await page.locator("#ml-list-line.status-error").isVisible(); i++) {
            const said = await text("#ml-list-line");
            check(i < 3, `the list still not read ${when}: ${said}`);
            equal(await page.locator("#ml-rows tr").count(), 0, `no stale row beside "${said}" (${when})`);
            console.error(`dashboard_flow: the members list refused ${when} (${said}); pressing Try again`);
            await page.click("#ml-list-line button");
            await listShown();
        }
    };
    // a status code never stands for what the page should say in words
    const noStatusCode = async (selector, what) => {
        const shown = await page.locator(selector).innerText();
        check(!/\b(4\d\d|error \d{3}|erreur \d{3})\b/.test(shown), `${what}: no bare status code in ${JSON.stringify(shown)}`);
    };
    // Every drawn text of the charts under root lies inside its drawing, and each bar's label
    // is the table's label whole (nothing cut to "Projection if all cla…").
    const chartTextsWhole = async (root, where) => {
        const bad = await page.locator(root).evaluate((box) => {
            const out = [];
            for (const fig of box.querySelectorAll("figure.chart")) {
                const svg = fig.querySelector("svg");
                const frame = svg.getBoundingClientRect();
                for (const text of svg.querySelectorAll("text")) {
                    const r = text.getBoundingClientRect();
                    if (r.left < frame.left - 1 || r.right > frame.right + 1 || r.top < frame.top - 1 || r.bottom > frame.bottom + 1)
                        out.push(`${fig.dataset.chart}: "${text.textContent}" outside its drawing`);
                }
                if (svg.querySelector("line"))
                    continue; // columns: the first and last labels only
                const drawn = [...svg.querySelectorAll("text.chart-label")].map((x) => (x.querySelector("tspan")
                    ? [...x.querySelectorAll("tspan")].map((s) => s.textContent).join(" ") : x.textContent));
                const table = [...fig.querySelectorAll("tbody th")].map((th) => th.textContent);
                if (JSON.stringify(drawn) !== JSON.stringify(table))
                    out.push(`${fig.dataset.chart}: drew ${JSON.stringify(drawn)}, the table says ${JSON.stringify(table)}`);
            }
            return out;
        });
        equal(bad.join("; "), "", `the charts' drawn texts are whole (${where})`);
    };

    async function useKey(key) {
        await page.fill("#api_key", key);
        await page.click("#use-key");
        await page.locator("#key-status.status-error, #key-status.status-success").waitFor();
    }

    // --- wrong and revoked keys ------------------------------------------------------------
    steps.current = "wrong key";
    await page.goto(baseUrl + "/dashboard");
    const incidentRow = page.locator(`#incidents-rows tr[data-slug="${setup.slug}"]`);
    // incidents come by pages of 100, in slug order: show more until ours is there
    await page.locator("#incidents-table").waitFor();
    for (let i = 0; i < 50 && !(await incidentRow.count()); i++) {
        const more = page.locator("#more");
        check(await more.isVisible(), `incident ${setup.slug} not listed and no "Show more"`);
        await more.click();
        await page.waitForFunction(() => !document.getElementById("more").disabled);
    }
    await incidentRow.waitFor();
    equal(await page.locator("[data-i18n='dash.coming']").count(), 0, "the 'coming' note is gone");
    check(await page.locator("#workspace").isHidden(), "no workspace without a key");
    await useKey("rk_not_a_real_key");
    contains(await text("#key-status"), "This key was refused", "401 message");
    equal(await page.getAttribute("#key-status", "class"), "status status-error", "error status");
    equal(await page.inputValue("#api_key"), "", "key not left in the field");
    equal(await focused(), "api_key", "focus back on the key field");
    check(await page.locator("#workspace").isHidden(), "still no workspace");
    await switchLanguage(page, "fr");
    contains(await text("#key-status"), "Cette clé a été refusée", "401 message in French");
    equal(await text('label[for="api_key"]'), "Clé d'API", "French label");
    await shoot("20-dashboard-key-refused-fr", { fullPage: false });
    await switchLanguage(page, "en");

    steps.current = "revoked key";
    await useKey(setup.revoked_key);
    contains(await text("#key-status"), "This key was refused", "a revoked key gets the 401 message");

    // --- the right key: the actions --------------------------------------------------------
    steps.current = "key";
    await useKey(setup.key);
    equal(await page.getAttribute("#key-status", "class"), "status status-success", "key accepted");
    equal(await focused(), "use-key", "the focus back on its button (disabled meanwhile)");
    // where the key is kept, as the hint says (the tab's sessionStorage: a reload keeps it)
    contains(await text("#key-status"), "stays in this browser tab, a reload included", "the key's place");
    await page.locator("#workspace").waitFor();
    await page.locator(`#actions-rows tr[data-id="${setup.seed_action}"]`).waitFor();
    equal(await page.locator("#actions-rows tr").count(), 1, "one action so far (the seed one)");
    const seedRow = page.locator(`#actions-rows tr[data-id="${setup.seed_action}"]`);
    contains(await seedRow.innerText(), "Open", "seed action status");
    equal((await seedRow.locator("td").nth(4).innerText()).trim(), "1", "seed action member count");
    await shoot("21-dashboard-actions", { fullPage: false });

    // --- opening an action -----------------------------------------------------------------
    steps.current = "open form: server validation";
    const title = "Action collective " + setup.slug;
    await page.selectOption("#o-incident", setup.slug);
    await page.fill("#o-title", title);
    await page.selectOption("#o-legal-basis", "fr-lil-art37");
    await page.fill("#o-deadline", "2030-01-31T12:00");
    await page.fill("#o-counsel-name", "Maître Dupont");
    await page.fill("#o-counsel-email", "avocat@example");       // the browser accepts it, not the server
    await page.fill("#o-mandate-text", setup.mandate_text);
    await page.fill("#o-mandate-version", setup.mandate_text_version);
    let answer = page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/v1/actions");
    await page.click("#open-submit");
    equal((await answer).status(), 422, "server refusal");
    await page.locator("#o-counsel-email-error:not([hidden])").waitFor();
    equal(await text("#o-counsel-email-error"), "Enter an email address like name@example.org.", "error at its field");
    equal(await page.locator("#open-form .error-msg:not([hidden])").count(), 1, "only that error");
    equal(await page.getAttribute("#o-counsel-email", "aria-invalid"), "true", "aria-invalid");
    contains(await text("#open-errors"), "Counsel's email address: Enter an email address", "summary");
    equal(await focused(), "open-errors", "focus on the summary");
    const sent = actionPosts[0].postDataJSON();
    equal(sent.opt_in_deadline, "2030-01-31T11:00:00Z", "deadline sent in UTC");
    equal(sent.legal_basis, "fr-lil-art37", "legal basis sent");
    const key1 = actionPosts[0].headers()["idempotency-key"];
    check(key1 && key1.length >= 16, "an Idempotency-Key on the POST");
    await switchLanguage(page, "fr");
    equal(await text("#o-counsel-email-error"), "Saisissez une adresse électronique comme nom@exemple.fr.", "error translated");
    await switchLanguage(page, "en");
    await page.locator("#open-errors").scrollIntoViewIfNeeded();
    await shoot("22-dashboard-open-error", { fullPage: false });

    steps.current = "open form: opened";
    await page.fill("#o-counsel-email", "avocat@example.org");
    answer = page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/v1/actions");
    // the list's read after the opening refused (503): the list before (without the new
    // action) is not left beside the refusal as the list now; the action opened is shown all
    // the same, and Try again lists it
    const actionsRefused = await refuseNextRead("/v1/actions");
    await page.click("#open-submit");
    const created = await answer;
    equal(created.status(), 201, "action opened");
    const action = await created.json();
    const key2 = actionPosts[1].headers()["idempotency-key"];
    check(key2 && key2 !== key1, "a new Idempotency-Key for a new attempt");
    await page.locator("#actions-status.status-error").waitFor();
    equal(actionsRefused.refused(), 1, "the actions' read refused");
    await actionsRefused.off();
    contains(await text("#actions-status"), "temporarily unavailable", "the refusal said");
    equal(await page.locator("#actions-rows tr").count(), 0, "no list of the read before");
    check(await page.locator("#actions-table").isHidden(), "no table");
    await page.locator("#action:not([hidden])").waitFor();
    equal(await focused(), "action-h2", "the focus on the action opened");
    await page.click("#actions-status button");
    equal(await focused(), "actions-h2", "Try again, gone with the refusal, leaves the focus on the list's heading");
    await page.locator(`#actions-rows tr[data-id="${action.id}"]`).waitFor();
    await page.locator('#actions-list[aria-busy="false"]').waitFor({ state: "attached" });
    check(await page.locator("#actions-status").isHidden(), "the refusal gone with the list read");
    equal(await page.locator("#actions-rows tr").count(), 2, "two actions listed");
    await page.locator("#action:not([hidden])").waitFor();
    equal(await text("#action-h2"), `Action: ${title}`, "the new action is selected");
    equal(await text("#action-member-count"), "0", "no member yet");
    equal(await text("#action-status-value"), "Open", "status");
    equal(await page.locator("#transition-buttons button").count(), 2, "open → filed or closed");
    contains(await text("#open-status"), "is open", "success message");
    await page.locator("#totals-status:has-text('Computed on')").waitFor({ state: "attached" });
    equal(await page.getAttribute("#tab-list", "aria-selected"), "true", "the members tab first");

    // --- members ---------------------------------------------------------------------------
    steps.current = "members by filter";
    await page.click("#tab-add");
    await page.selectOption("#filter-country", "FR");
    await page.click("#members-submit");
    await page.locator("#members-result:not([hidden])").waitFor();
    equal(await text("#count-added"), String(setup.free.length), "added");
    equal(await text("#count-already-in-action"), "0", "already in this action");
    equal(await text("#count-in-other-action"), "1", "in another action");
    equal(await text("#count-not-mandated"), "0", "not mandated");
    await page.locator(`#action-member-count:text-is("${setup.free.length}")`).waitFor();
    await page.locator(`#actions-rows tr[data-id="${action.id}"] td:nth-child(5):text-is("${setup.free.length}")`).waitFor();

    steps.current = "members by references";
    await page.check("#by-references");
    check(await page.locator("#filter-fields").isHidden(), "filter hidden in references mode");
    // a line that is no reference (the server checks each one's check symbol): named at the field
    await page.fill("#references", `${setup.free[0]}\nRC-12`);
    const refused = page.waitForResponse((r) => r.request().method() === "POST" && r.url().endsWith("/members"));
    await page.click("#members-submit");
    equal((await refused).status(), 422, "a line that is no reference refused");
    await page.locator("#references-error:not([hidden])").waitFor();
    contains(await text("#references-error"), "“RC-12” is not a reference like RC-7K3M-Q9XD",
        "the refused line named");
    await page.fill("#references", `${setup.unmandated.toLowerCase()}\n${setup.free[0]}`);
    const membersPost = page.waitForResponse((r) => r.request().method() === "POST" && r.url().endsWith("/members"));
    await page.click("#members-submit");
    equal((await membersPost).status(), 200, "members added by references");
    await page.locator("#count-not-mandated:text-is('1')").waitFor();
    equal(await text("#count-added"), "0", "none added");
    equal(await text("#count-already-in-action"), "1", "one already in");
    equal(await text("#count-in-other-action"), "0", "none elsewhere");
    equal(await focused(), "members-result-h4", "focus on the result");

    // --- totals ----------------------------------------------------------------------------
    steps.current = "totals";
    await page.click("#tab-summary");
    await page.locator(`#total-eligible:text-is("${setup.free.length}")`).waitFor();
    equal(await text("#total-claims"), String(setup.free.length), "member claims");
    equal(await text("#total-before-cap"), setup.expected_total_en, "total before cap (EUR, 2 decimals)");
    equal(await text("#total-after-cap"), setup.expected_total_en, "total after cap");
    await page.locator("#action-h2").scrollIntoViewIfNeeded();
    await shoot("23-dashboard-action", { fullPage: false });
    await page.locator("#totals").scrollIntoViewIfNeeded();
    await shoot("23-dashboard-totals", { fullPage: false });
    await switchLanguage(page, "fr");
    equal((await text("#total-before-cap")).replace(NBSP, " "), setup.expected_total_fr, "French money");
    equal(await text("#action-h2"), `Action\u00a0: ${title}`, "French heading");
    equal((await page.locator("#members-counts dt").nth(3).innerText()).trim(), "Sans mandat pour votre association, retirées ou inconnues", "French count label");
    equal(await text("#action-status-value"), "Ouverte", "French status");
    await shoot("24-dashboard-totals-fr", { fullPage: false });
    await switchLanguage(page, "en");

    // --- export ----------------------------------------------------------------------------
    steps.current = "export";
    await page.click("#tab-exports");
    const exportResponse = page.waitForResponse((r) => r.url().includes(`/v1/actions/${action.id}/export`));
    const downloadEvent = page.waitForEvent("download");
    await page.click("#export-csv-semicolon");
    const exportResp = await exportResponse;
    equal(exportResp.status(), 200, "export answered");
    check(!exportResp.url().includes("key"), "nothing but format and sep in the export URL");
    const exportId = (await exportResp.allHeaders())["x-export-id"];
    const download = await downloadEvent;
    const fileName = download.suggestedFilename();
    check(new RegExp(`^recours-${action.id}-\\d{8}-semicolon\\.csv$`).test(fileName),
        `file name from Content-Disposition, its separator said: ${fileName}`);
    const bytes = readFileSync(await download.path());
    equal(bytes.subarray(0, 3).toString("hex"), "efbbbf", "UTF-8 BOM");
    const csv = bytes.subarray(3).toString("utf-8");
    check(csv.endsWith("\r\n"), "CRLF line ends");
    const lines = csv.split("\r\n").slice(0, -1);
    check(lines[0].startsWith("reference;family_name;given_name;birth_date;email;phone;"), `header row: ${lines[0]}`);
    // what the file holds is said before it is made: its columns in words, and that its amounts
    // are in cents (a counsel reading 23500 in the award column would read €23,500)
    const said = await text("#exports-contents");
    for (const column of ["award", "documented_loss", "birth_date", "mandate_text_version", "eligibility", "evidence"])
        check(lines[0].split(";").includes(column), `the file has the column ${column}`);
    for (const words of ["date of birth", "documented loss", "award", "text version", "eligibility", "evidence",
        "smallest unit of the currency", "23500 is €235.00"])
        contains(said, words, "the export's contents said");
    equal(lines.length, 1 + setup.free.length, "header + one row per member");
    const exported = lines.slice(1).map((l) => l.split(";")[0]).sort();
    equal(exported.join(","), [...setup.free].sort().join(","), "the members' references");
    const digest = createHash("sha256").update(bytes).digest("hex");
    await page.locator("#export-record-status:text-is('complete')").waitFor();
    equal(await text("#export-sha256"), digest, "the SHA-256 shown is that of the downloaded bytes");
    equal(await text("#export-local-sha256"), digest, "the page's own digest");
    equal(await text("#export-rows"), String(setup.free.length), "rows of the record");
    equal(await text("#export-bytes"), bytes.length.toLocaleString("en-GB"), "bytes of the record");
    equal(await text("#export-file"), fileName, "file name shown");
    contains(await text("#export-status"), "matches the file received", "verified message");
    equal(await focused(), "export-csv-semicolon", "the export done, the focus back on its button (disabled meanwhile)");
    await page.locator("#export-record").scrollIntoViewIfNeeded();
    await shoot("25-dashboard-export", { fullPage: false });

    // --- the workspace: members tab, bulk review, charts, accessibility ----------------------
    steps.current = "members tab: filter";
    const apiGet = async (path) => {
        const r = await context.request.get(baseUrl + path, { headers: { Authorization: "Bearer " + setup.key } });
        equal(r.status(), 200, `GET ${path}`);
        return r.json();
    };
    const summaryBefore = await apiGet(`/v1/actions/${action.id}/compensation`);
    // the summary as the page shows it: the verified members of the status chart
    const verifiedCell = (n) => page.locator(`figure[data-chart="status-action"] tr[data-key="verified"] td[data-value="${n}"]`);
    await page.click("#tab-summary");
    await verifiedCell(summaryBefore.claims_by_status.verified).waitFor();
    // drawn again as the tab is shown again, one of its reads refused (503): the charts drawn
    // before go rather than stand as current, the refusal is said, and Try again draws them
    await page.click("#tab-list");
    const chartsRefused = await refuseNextRead(`/v1/actions/${action.id}/timeline`);
    await page.click("#tab-summary");
    await page.locator("#charts-status.status-error").waitFor();
    equal(chartsRefused.refused(), 1, "the timeline's read refused");
    equal(await page.locator("#charts-body figure").count(), 0, "no chart of the read before");
    contains(await text("#charts-status"), "temporarily unavailable", "the refusal said");
    await chartsRefused.off();
    await page.click("#charts-status button");
    await verifiedCell(summaryBefore.claims_by_status.verified).waitFor();
    await page.click("#tab-list");
    // the members added in "Add members" are listed as the tab is shown again (it listed none
    // when the action opened), without pressing "Show members"
    await page.locator(`#ml-rows tr[data-reference="${setup.free[0]}"]`).waitFor();
    equal(await page.locator("#ml-rows tr").count(), setup.free.length, "the members added, listed");
    // a reference the server cannot read (its 400 invalid-parameter names the parameter): said
    // at the field, in words, as a review of it (its 422 names references[0])
    await page.fill("#ml-reference", "RC-12");
    await page.click("#ml-apply");
    await page.locator("#ml-reference-error:not([hidden])").waitFor();
    equal(await text("#ml-reference-error"), "Enter a reference like RC-7K3M-Q9XD.", "a malformed reference at its field");
    equal(await focused(), "ml-errors", "the focus on the filter's error summary");
    await noStatusCode("#panel-list", "a malformed reference");
    await page.click("#ml-errors a");
    equal(await focused(), "ml-reference", "the summary leads to the field");
    // the errors above are still shown: wait for the review's own refusal (its 422), not for
    // them, before the next step (on a loaded machine it came after the filter applied below)
    const refusedReview = page.waitForResponse((r) => r.request().method() === "POST" && r.url().endsWith("/reviews"));
    await page.click("#ml-verify-all");
    equal((await refusedReview).status(), 422, "a review of a malformed reference refused");
    await page.locator("#ml-errors:not([hidden])").waitFor();
    equal(await text("#ml-reference-error"), "Enter a reference like RC-7K3M-Q9XD.", "a review of it too");
    check(await page.locator("#ml-confirm").isHidden(), "nothing to confirm");
    await noStatusCode("#panel-list", "a review of a malformed reference");
    await page.fill("#ml-reference", "");
    await page.selectOption("#ml-status", "received");
    await page.selectOption("#ml-country", "FR");
    const filtered = page.waitForResponse((r) => r.url().includes("/members?") && r.url().includes("status=received"));
    await page.click("#ml-apply");
    equal((await filtered).status(), 200, "the filter applied, read");
    await listShown();
    equal(await page.locator("#ml-rows tr").count(), setup.free.length, "the received FR members");
    await shoot("26-dashboard-members", { fullPage: true });

    steps.current = "members tab: bulk verify three";
    await page.check("#ml-all");
    contains(await text("#ml-selected"), `${setup.free.length} selected`, "the page selected");
    await page.click("#ml-verify-selected");
    await page.locator("#ml-confirm:not([hidden])").waitFor();
    contains(await text("#ml-confirm-text"), `${setup.free.length} members will be marked verified`, "the count to confirm");
    const reviewPost = page.waitForResponse((r) => r.request().method() === "POST" && r.url().endsWith("/reviews")
        && r.request().postDataJSON().expected_count !== undefined);
    await page.click("#ml-confirm-yes");
    const review = await reviewPost;
    equal(review.status(), 200, "review applied");
    equal(review.request().postDataJSON().expected_count, setup.free.length, "the confirmed count was sent");
    await page.locator("#ml-status-line:has-text('members changed')").waitFor();
    // the page writes that line once the list's re-read is handled: none received any more, or
    // the re-read refused (a loaded server's 503, seen once in CI), said with "Try again" and
    // no list beside it, which is pressed as a volunteer would
    await listReadAgain("after the review");
    equal(await text("#ml-list-line"), "No member matches.", "none received any more");
    check(await page.locator("#ml-table").isHidden(), "the reviewed members no longer listed");
    check(await page.locator("#ml-bulk").isHidden(), "no review buttons without a member listed");
    const summaryAfter = await apiGet(`/v1/actions/${action.id}/compensation`);
    equal(summaryAfter.claims_by_status.verified, summaryBefore.claims_by_status.verified + setup.free.length,
        "the summary counts the verified members");
    equal(summaryAfter.claims_by_status.received, summaryBefore.claims_by_status.received - setup.free.length,
        "and no longer as received");
    // the page's counts and summary follow: the verified filter lists the three, the chart
    // counts them
    await page.selectOption("#ml-status", "verified");
    await page.click("#ml-apply");
    await listShown();
    equal(await page.locator("#ml-rows tr").count(), setup.free.length, "the verified members listed");
    contains(await text("#ml-selected"), `Members 1–${setup.free.length} of ${setup.free.length}`, "where the page stands");
    await page.click("#tab-summary");
    await verifiedCell(summaryBefore.claims_by_status.verified + setup.free.length).waitFor();
    await page.click("#tab-list");

    steps.current = "members tab: reject one";
    await page.selectOption("#ml-status", "");
    await page.click("#ml-apply");
    await listShown();
    const row = page.locator(`#ml-rows tr[data-reference="${setup.free[0]}"]`);
    equal(await row.count(), 1, "the member listed");
    await page.selectOption("#ml-reason", "not_affected");   // the selection's, not this row's
    await row.locator("button[data-act=reject]").click();
    await page.locator("#ml-confirm:not([hidden])").waitFor();
    // the row's reason is asked where its Reject was pressed, none chosen for the volunteer
    equal(await focused(), "ml-confirm-reason", "the focus on the row's reason");
    equal(await page.inputValue("#ml-confirm-reason"), "", "no reason chosen unseen");
    await page.selectOption("#ml-confirm-reason", "outside_period");
    // one member, named (the box opens above the list, away from the row)
    contains(await text("#ml-confirm-text"), `${setup.free[0]} will be rejected (Outside the period)`, "one to reject");
    // the list's re-read after the rejection refused once (503, as a loaded server answers):
    // the rejection said done, the refusal said on the list's line with "Try again", and no
    // row of the list before shown as the list now (it would show the member still received)
    const listRefused = await refuseNextRead(`/v1/actions/${action.id}/members`);
    await page.click("#ml-confirm-yes");
    await page.locator("#ml-status-line:has-text('1 member changed.')").waitFor();
    equal(listRefused.refused(), 1, "the re-read refused");
    equal(await text("#ml-list-line"), "The list of members could not be read: the server is busy. No member is "
        + "shown until it is read; try again in 2 seconds. Try again", "the refusal said, with what to do");
    equal(await page.locator("#ml-rows tr").count(), 0, "no row of the list before");
    check(await page.locator("#ml-table").isHidden() && await page.locator("#ml-bulk").isHidden(),
        "no table, nothing to select");
    equal(await focused(), "member-list-h3", "its row gone, the focus on the list's heading, not the page's top");
    await switchLanguage(page, "fr");
    contains(await text("#ml-list-line"), "La liste des membres n'a pas pu être lue", "in French");
    equal(await text("#ml-list-line button"), "Réessayer", "its button in French");
    await switchLanguage(page, "en");
    await listRefused.off();
    // pressed from the keyboard on a phone: the focus stays where the button was, then goes to
    // the list read, never back up to the heading above the filters (screens up on a phone)
    await page.setViewportSize({ width: 390, height: 844 });
    await page.focus("#ml-list-line button");
    await page.keyboard.press("Enter");
    await page.locator(`#ml-rows tr[data-reference="${setup.free[0]}"][data-status="rejected"]`).waitFor();
    await page.waitForFunction(() => document.activeElement?.id !== "ml-list-line");
    equal(await focused(), "ml-table", "Try again gone, the focus on the list read");
    const belowFilters = await page.evaluate(() => document.activeElement.getBoundingClientRect().top
        >= document.getElementById("ml-filter").getBoundingClientRect().bottom);
    check(belowFilters, "the focus below the filters, where the volunteer pressed, not at the heading above them");
    await shoot("15-dashboard-retry-focus-phone", { fullPage: false });
    await page.setViewportSize({ width: 1280, height: 800 });
    check(await page.locator("#ml-list-line").isHidden(), "the list's line gone with the list read");
    equal(await text("#ml-status-line"), "1 member changed.", "the rejection still said");
    contains(await row.innerText(), "Outside the period", "the reason shown");
    const member = await apiGet(`/v1/actions/${action.id}/members/${setup.free[0]}`);
    equal(member.review.reason, "outside_period", "the reason stored");
    // the mandate's day in the page's words and the reader's time zone, not the API's stamp
    const listed = (await apiGet(`/v1/actions/${action.id}/members?reference=${setup.free[0]}`)).data[0];
    const day = new Intl.DateTimeFormat("en-GB", { dateStyle: "long", timeZone: "Europe/Paris" });
    equal(await row.locator('td[data-label="Mandated"]').innerText(),
        day.format(new Date(listed.mandated_at)), "the mandate's day");
    // verifying every member of a filter without a status would lift that rejection too: the
    // confirmation says so (cancelled here, nothing changes)
    steps.current = "members tab: verify all, a rejection among them";
    await page.click("#ml-verify-all");
    await page.locator("#ml-confirm:not([hidden])").waitFor();
    contains(await text("#ml-confirm-text"), "1 of them is rejected now: its rejection will be lifted.",
        "the rejection a bulk verification would lift, named");
    // an open confirmation follows the page's language, its count and its button included
    await switchLanguage(page, "fr");
    contains(await text("#ml-confirm-text"), "Dont 1 rejeté à ce jour", "the confirmation in French");
    contains(await text("#ml-confirm-text"), "son rejet sera levé.", "all of it");
    check((await text("#ml-confirm-yes")).startsWith("Confirmer pour "), "its button in French");
    await switchLanguage(page, "en");
    check((await text("#ml-confirm-yes")).startsWith("Confirm for "), "and back in English");
    await page.click("#ml-confirm-no");
    await page.locator("#ml-confirm").waitFor({ state: "hidden" });
    equal(await focused(), "ml-verify-all", "cancelled: the focus back on the button that asked");
    equal((await apiGet(`/v1/actions/${action.id}/members/${setup.free[0]}`)).review.reason, "outside_period",
        "cancelled: still rejected");
    // a removal asks for its own reason, under a label of its own (cancelled here)
    await row.locator("button[data-act=remove]").click();
    await page.locator("#ml-confirm:not([hidden])").waitFor();
    check(await page.getByLabel("Reason for the removal").isVisible(), "the removal's reason, labelled");
    equal(await focused(), "ml-remove-reason", "the focus on the reason first, not past it on Remove");
    await switchLanguage(page, "fr");
    check(await page.getByLabel("Motif du retrait").isVisible(), "its label in French");
    contains(await text("#ml-confirm-text"), "quittera l'action (Non concerné par l'incident)", "the removal asked in French");
    await switchLanguage(page, "en");
    await page.click("#ml-confirm-no");
    await page.locator("#ml-confirm").waitFor({ state: "hidden" });
    equal(await focusedRow(), `${setup.free[0]} remove`, "the focus back on the row's Remove");
    await row.locator("td").nth(1).locator("button").click();
    await page.locator("#ml-detail:not([hidden])").waitFor();
    contains(await text("#ml-detail"), member.claim.claimant.email, "the member's claim with its personal data");
    equal(await focused(), "ml-detail", "the focus on the claim opened");
    await page.click(`#ml-detail button:text-is("Close")`);
    await page.locator("#ml-detail").waitFor({ state: "hidden" });
    equal(await focusedRow(), `${setup.free[0]} open`, "closed: the focus back on the member's reference");
    // a rejection made by mistake is undone on its row: the rejected member offers Verify (the
    // others do not); asked, then cancelled here (the rejection stays for the charts below)
    equal(await page.locator("#ml-rows button[data-act=verify]").count(), 1, "Verify on the rejected row only");
    await row.locator("button[data-act=verify]").click();
    await page.locator("#ml-confirm:not([hidden])").waitFor();
    contains(await text("#ml-confirm-text"), `${setup.free[0]} will be marked verified: its rejection is lifted, and the reason and message the claimant reads`, "the undo asked, named, saying what goes with the rejection");
    await page.click("#ml-confirm-no");
    await page.locator("#ml-confirm").waitFor({ state: "hidden" });
    equal(await focusedRow(), `${setup.free[0]} verify`, "cancelled: the focus back on the row's Verify");

    steps.current = "charts equal the API's figures";
    await page.click("#tab-summary");
    const mine = await apiGet(`/v1/actions/${action.id}/compensation`);
    const incidentDoc = await apiGet(`/v1/incidents/${setup.slug}/compensation`);
    const perDay = (await apiGet(`/v1/actions/${action.id}/timeline`)).members_per_day;
    await page.locator(`figure[data-chart="status-action"] tr[data-key="rejected"] td[data-value="${mine.claims_by_status.rejected}"]`).waitFor();
    // the totals read again and refused (503): the totals before are not left beside the
    // refusal as current; Try again reads them
    const totalsRefused = await refuseNextRead(`/v1/actions/${action.id}/compensation`);
    await page.click("#totals-refresh");
    await page.locator('#totals[aria-busy="false"] #totals-status.status-error').waitFor();
    equal(totalsRefused.refused(), 1, "the totals' read refused");
    await totalsRefused.off();
    check(await page.locator("#totals-facts").isHidden(), "no totals of the read before");
    await page.click("#totals-status button");
    equal(await focused(), "totals-h3", "Try again gone, the focus on the totals' heading");
    await page.locator('#totals[aria-busy="false"] #totals-status:has-text("Computed on")').waitFor();
    check(await page.locator("#totals-facts").isVisible(), "the totals read again");
    const expectedOf = (doc) => ({
        components: { base: doc.components.base, documented_loss: doc.components.documented_loss,
            time_spent: doc.components.time_spent,
            ...Object.fromEntries(Object.entries(doc.components.supplements).map(([k, v]) => ["supplement." + k, v])) },
        status: doc.claims_by_status, country: doc.by_country, category: doc.by_category,
        payment: doc.by_payment_preference,
        awards: { min: doc.award_stats.min, median: doc.award_stats.median, mean: doc.award_stats.mean, max: doc.award_stats.max },
        deciles: Object.fromEntries(doc.award_stats.deciles.map((d) => ["p" + d.percentile, d.award])),
        histogram: Object.fromEntries(doc.award_stats.histogram.bins.map((b) => [`${b.from}-${b.to}`, b.claims])),
        "take-up": { eligible: doc.eligible, affected: doc.affected_count },
        amounts: { total: doc.total_after_cap, projection: doc.projection_if_all_claimed.total_after_cap },
    });
    let compared = 0;
    for (const [scope, doc] of [["action", mine], ["incident", incidentDoc]]) {
        for (const [chart, values] of Object.entries(expectedOf(doc))) {
            const shown = await page.locator(`figure[data-chart="${chart}-${scope}"] tbody tr`).evaluateAll((rows) =>
                Object.fromEntries(rows.map((r) => [r.dataset.key, r.querySelector("td").dataset.value])));
            equal(JSON.stringify(Object.keys(shown).sort()), JSON.stringify(Object.keys(values).sort()), `${chart}-${scope}: items`);
            for (const [k, v] of Object.entries(values)) {
                equal(shown[k], String(v), `${chart}-${scope} ${k}`);
                compared++;
            }
            equal(await page.locator(`figure[data-chart="${chart}-${scope}"] svg rect`).count() >= Object.keys(values).length,
                true, `${chart}-${scope}: one bar per item`);
        }
    }
    const days = await page.locator('figure[data-chart="per-day"] tbody td').evaluateAll((l) => l.map((td) => Number(td.dataset.value)));
    equal(days.join(","), perDay.map((d) => d.members).join(","), "members per day");
    check(compared > 20, `figures compared: ${compared}`);
    await chartTextsWhole("#charts-body", "laptop, English");
    const amountsDrawn = await page.locator('#charts-body figure[data-chart="amounts-action"] svg').textContent();
    contains(amountsDrawn, "Projection if all claimed", "the amounts chart's label drawn whole");
    // people and money on scales of their own: the 500 million affected are the longest bar of
    // their chart, not one as short as a few claims beside a projection in cents
    const barWidths = (chart) => page.locator(`#charts-body figure[data-chart="${chart}"] svg rect`)
        .evaluateAll((rects) => rects.map((r) => Number(r.getAttribute("width"))));
    const [eligibleBar, affectedBar] = await barWidths("take-up-action");
    check(affectedBar > 100 * eligibleBar, `the affected drawn on their own scale: ${affectedBar} against ${eligibleBar}`);
    const [totalBar, projectionBar] = await barWidths("amounts-action");
    check(projectionBar > 100 * totalBar, `the projection against the total: ${projectionBar} against ${totalBar}`);
    await shoot("27-dashboard-charts", { fullPage: true });

    steps.current = "simulate";
    await page.click("#tab-simulate");
    const simulate = async () => {
        const post = page.waitForResponse((r) => r.request().method() === "POST" && r.url().endsWith("/v1/compensation/simulate"));
        await page.click("#sim-run");
        return post;
    };
    // the incident's scheme as it stands (two vouchers making up the base) simulates as is
    equal(await page.inputValue("#sim-voucher"), "3000", "the voucher field: the vouchers' sum");
    check(await page.locator("#sim-supplement").isVisible(), "a supplement per password: the incident exposed passwords");
    equal(await page.inputValue("#sim-supplement"), "1000", "the incident's own supplement");
    equal(await text("#sim-minor-units"), "Amounts in the smallest unit of EUR: 1000 is €10.00.",
        "the figures' unit, with an example in the incident's currency");
    const asIs = await simulate();
    equal(asIs.status(), 200, "the incident's own scheme simulated");
    equal(JSON.stringify(asIs.request().postDataJSON().scheme.vouchers.map((v) => v.name)),
        JSON.stringify(["Boutique", "Voyages"]), "its vouchers sent as they are");
    await page.locator("#sim-csv:not([hidden])").waitFor();
    // figures no field takes (past what JSON carries exactly, over the hours' bound, not whole):
    // one message at each field, with its bounds, nothing sent
    const simPosts = [];
    const countSim = (req) => { if (req.url().endsWith("/v1/compensation/simulate")) simPosts.push(req); };
    page.on("request", countSim);
    const hoursBefore = await page.inputValue("#sim-hours");
    const hourlyBefore = await page.inputValue("#sim-hourly");
    const fundCapBefore = await page.inputValue("#sim-fund-cap");
    await page.fill("#sim-base", "1e25");
    await page.fill("#sim-hours", "1001");
    await page.fill("#sim-loss-cap", "12.5");
    // an empty figure is asked for, not sent as 0 unsaid; an empty fund cap is "none", as its
    // label says
    await page.fill("#sim-hourly", "");
    await page.fill("#sim-fund-cap", "");
    await page.fill("#sim-cash-ratio", "1,5");   // a ratio above 1 (a comma is a decimal point)
    await page.click("#sim-run");
    await page.locator("#sim-hours-error:not([hidden])").waitFor();
    equal(await text("#sim-base-error"), "Enter a whole number from 0 to 1,000,000,000,000.", "a figure too large for JSON");
    equal(await text("#sim-hours-error"), "Enter a whole number from 0 to 1,000.", "hours over their bound");
    equal(await text("#sim-loss-cap-error"), "Enter a whole number from 0 to 1,000,000,000,000.", "not a whole number");
    equal(await text("#sim-hourly-error"), "Enter a whole number from 0 to 1,000,000,000,000 (0 for none).", "an empty figure");
    check(await page.locator("#sim-fund-cap-error").isHidden(), "an empty fund cap is none");
    equal(await text("#sim-cash-ratio-error"), "Enter a decimal above 0 and up to 1, with at most 4 decimals, "
        + "such as 0.75, or leave it empty.", "a ratio above 1");
    equal(await focused(), "sim-errors", "the focus on the summary");
    await noStatusCode("#sim-form", "numbers refused");
    await switchLanguage(page, "fr");
    equal((await text("#sim-base-error")).replace(NBSP, " "), "Saisissez un nombre entier de 0 à 1 000 000 000 000.", "in French");
    equal((await text("#sim-hourly-error")).replace(NBSP, " "),
        "Saisissez un nombre entier de 0 à 1 000 000 000 000 (0 pour aucun).", "an empty figure, in French");
    contains(await text("#sim-cash-ratio-error"), "par exemple 0,75", "the ratio's example in French notation");
    await switchLanguage(page, "en");
    equal(simPosts.length, 0, "nothing sent");
    page.off("request", countSim);
    await page.fill("#sim-hours", hoursBefore);
    await page.fill("#sim-hourly", hourlyBefore);
    await page.fill("#sim-fund-cap", fundCapBefore);
    await page.fill("#sim-loss-cap", "500000");
    // a base the vouchers no longer add up to: the server's 422 at the voucher field, in words
    // (a ratio typed with a comma, as French writes it, is sent as the API writes it)
    await page.fill("#sim-base", "5000");
    await page.fill("#sim-cash-ratio", "0,5");
    const below = await simulate();
    equal(below.status(), 422, "vouchers below the base refused");
    equal(below.request().postDataJSON().scheme.cash_alternative_ratio, "0.5", "the ratio sent");
    await page.locator("#sim-voucher-error:not([hidden])").waitFor();
    contains(await text("#sim-voucher-error"), "add up to the base amount", "the refusal at its field");
    equal(await focused(), "sim-errors", "the focus on the error summary");
    check(!/\b422\b/.test(await page.locator("#sim-form").innerText()), "no status code shown");
    await page.fill("#sim-cash-ratio", "");
    await page.fill("#sim-voucher", "0");
    equal((await simulate()).status(), 200, "simulated");
    // the answer's arrival is not the page's handling of it: wait for what the page does
    await page.locator("#sim-csv:not([hidden])").waitFor();
    equal(await page.locator("#sim-voucher-error").isHidden(), true, "the error gone");
    await page.locator('#sim-body figure[data-chart="components-action"]').waitFor();
    const simDownload = page.waitForEvent("download");
    await page.click("#sim-csv");
    const simCsv = readFileSync(await (await simDownload).path(), "utf-8");
    contains(simCsv, "scheme.base_amount,5000", "the simulation's CSV holds its inputs");
    contains(simCsv, "total_after_cap,", "and its figures");

    steps.current = "accessibility (axe-core)";
    const axeSource = readFileSync(new URL("./node_modules/axe-core/axe.min.js", import.meta.url), "utf-8");
    const TABS = ["tab-list", "tab-add", "tab-summary", "tab-simulate", "tab-exports", "tab-record"];
    // once per document: the tabs are one page, where axe stays loaded from one tab to the
    // next (evaluating its 0.5 MB again took a good part of each check)
    async function injectAxe() {
        if (!await page.evaluate(() => typeof window.axe === "object"))
            await page.evaluate(axeSource);   // through the debugger protocol: the page's CSP stands
    }
    async function axeTabs(where) {
        for (const tab of TABS) {
            await page.click("#" + tab);
            await injectAxe();
            const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
            const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
            equal(bad.map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`).join("; "),
                "", `no serious or critical axe violation (${tab}, ${where})`);
        }
    }
    await axeTabs("laptop, English");
    await switchLanguage(page, "fr");
    await page.click("#tab-list");
    contains(await text("#tab-list"), "Membres", "tabs in French");
    await shoot("28-dashboard-members-fr", { fullPage: false });
    // on a phone, in French (longer words beside figures in the billions: the amounts chart)
    await page.setViewportSize({ width: 390, height: 844 });
    await axeTabs("phone, French");
    // each row a card there, the table's head hidden but for the page's selection, in words
    // (else no finger could reach it)
    await page.click("#tab-list");
    await listShown();
    const selectPage = page.locator('label[for="ml-all"]');
    equal(await selectPage.isVisible() && await text('label[for="ml-all"]'), "Sélectionner tous les membres de cette page",
        "the page's selection within reach on a phone");
    await selectPage.click();
    contains(await text("#ml-selected"), `${await page.locator("#ml-rows tr").count()} sélectionnés`, "the page selected");
    await selectPage.click();
    await page.click("#tab-summary");   // read and drawn again: the charts' own sign, their
    await page.locator("#charts-status").waitFor({ state: "hidden" });   // "Loading" gone
    await chartTextsWhole("#charts-body", "phone, French");
    const factor = await text("#total-factor");
    check(/^\d+(,\d+)?$/.test(factor), `the pro rata factor in French notation: ${factor}`);
    contains(await page.locator('#charts-body figure[data-chart="amounts-action"] svg').textContent(),
        "Projection si tous réclamaient", "the amounts chart's label drawn whole, in French");
    await page.click("#tab-simulate");
    await chartTextsWhole("#sim-body", "phone, French, simulated");
    contains(await page.locator('#sim-body figure[data-chart="amounts-action"] svg').textContent(),
        "Projection si tous réclamaient", "the simulation's charts follow the language");
    await page.setViewportSize({ width: 1280, height: 800 });
    await switchLanguage(page, "en");

    steps.current = "the key survives a reload";
    await page.reload();
    await page.locator("#workspace").waitFor();
    await page.locator(`#actions-rows tr[data-id="${action.id}"]`).waitFor();
    equal(await page.evaluate(() => window.localStorage.getItem("recours.dashboard.key")), null, "never in localStorage");
    await page.locator(`#actions-rows tr[data-id="${action.id}"] button`).click();
    await page.locator("#action:not([hidden])").waitFor();
    equal(await focused(), "action-h2", "Manage leads the keyboard into the action");
    await page.locator("#totals-status:has-text('Computed on')").waitFor({ state: "attached" });

    // --- a victim follows the link the page gives for the action ----------------------------
    steps.current = "claim through the action's link";
    const link = await text("#claim-link");
    equal(link, `${baseUrl}/claim?incident=${setup.slug}&action=${action.id}`, "the link shown");
    const victim = await context.newPage();
    watchPage(victim, baseUrl, steps, problems);
    await victim.goto(link);
    await victim.locator("#mandate-intro").waitFor();
    contains(await victim.locator("#mandate-intro").innerText(), setup.association_name, "who represents");
    contains(await victim.locator("#mandate-intro").innerText(), title, "which action");
    equal((await victim.locator("#mandate-text").innerText()).trim(), setup.mandate_text.trim(),
        "the mandate text, paragraphs kept");
    check(!(await victim.isChecked("#mandate")), "no mandate unless the box is ticked");
    // the claim form filled for a person of its own (stamp), mandate box as given
    async function fillClaim(p, stamp, mandate) {
        await p.fill("#given_name", "Victime");
        await p.fill("#family_name", "Parlien-" + stamp.replace(/[0-9]/g, "x"));
        await p.fill("#email", `victime.${stamp}@example.org`);
        await p.fill("#line1", "3 place du Capitole");
        await p.fill("#postal_code", "31000");
        await p.fill("#city", "Toulouse");
        await p.locator("#categories input").first().check();
        await p.check("#pay-voucher");
        await p.check("#privacy");
        if (mandate)
            await p.check("#mandate");
    }
    await fillClaim(victim, Date.now().toString(36), true);
    const claimPost = victim.waitForResponse((r) => r.request().method() === "POST"
        && new URL(r.url()).pathname === `/v1/incidents/${setup.slug}/claims`);
    await victim.click("#submit");
    const claimResp = await claimPost;
    equal(claimResp.status(), 201, "claim registered");
    const sentClaim = claimResp.request().postDataJSON();
    equal(sentClaim.action_id, action.id, "the mandate's action sent");
    equal(sentClaim.mandate_text_version, setup.mandate_text_version, "the version shown sent");
    const joined = await claimResp.json();
    equal(joined.action_id, action.id, "the receipt names the action");
    await victim.locator("#receipt").waitFor();
    equal(await victim.locator("#receipt a[href^='/a/']").getAttribute("href"), `/a/${action.id}`,
        "the receipt leads to the action joined");
    await victim.close();
    await page.click("#tab-summary");
    await page.click("#totals-refresh");
    await page.locator(`#action-member-count:text-is("${setup.free.length + 1}")`).waitFor();

    steps.current = "mandate given later, then revoked, from My claim";
    const later = await context.newPage();
    watchPage(later, baseUrl, steps, problems);
    await later.goto(link);
    await later.locator("#mandate-intro").waitFor();
    await fillClaim(later, "l" + Date.now().toString(36), false);
    const plainPost = later.waitForResponse((r) => r.request().method() === "POST"
        && new URL(r.url()).pathname === `/v1/incidents/${setup.slug}/claims`);
    await later.click("#submit");
    const plain = await (await plainPost).json();
    equal(plain.action_id, null, "no mandate without the ticked box");
    await later.goto(`${baseUrl}/my-claim?action=${action.id}`);
    await later.fill("#reference", plain.reference);
    await later.fill("#token", plain.token);
    await later.click("#open");
    await later.locator("#join-form").waitFor();
    contains(await later.locator("#mandate-give").innerText(), setup.association_name, "the button names the association");
    check(!later.url().includes(plain.token), "the token never in the address");
    await later.click("#mandate-give");
    await later.locator("#member-of").waitFor();
    contains(await later.locator("#claim-status").innerText(), "your claim is part of the action", "given message");
    equal(await later.locator(`#action-part a[href="/a/${action.id}"]`).count(), 1, "the action's page linked");
    await page.click("#tab-summary");
    await page.click("#totals-refresh");
    await page.locator(`#action-member-count:text-is("${setup.free.length + 2}")`).waitFor();
    // the new member found in the list by its reference, then gone (its mandate revoked) before
    // the volunteer opens it
    await page.click("#tab-list");
    await page.selectOption("#ml-status", "");
    await page.selectOption("#ml-country", "");
    await page.fill("#ml-reference", plain.reference);
    await page.click("#ml-apply");
    await listShown();
    const goneRow = page.locator(`#ml-rows tr[data-reference="${plain.reference}"]`);
    equal(await goneRow.count(), 1, "the member who joined later, listed");
    await later.click("#mandate-revoke");
    await later.locator("#join-form").waitFor();   // offered again
    contains(await later.locator("#claim-status").innerText(), "Your mandate is revoked", "revoked message");
    await later.close();

    steps.current = "a member gone meanwhile";
    await goneRow.locator("td").nth(1).locator("button").click();
    await page.locator("#ml-status-line.status-error").waitFor();
    equal(await text("#ml-status-line"), `${plain.reference} is no longer in this action: removed, or its mandate `
        + "revoked, meanwhile. The list is shown as it is now.", "said in words");
    await noStatusCode("#ml-status-line", "a member gone");
    equal(await goneRow.count(), 0, "the list read again, without it");
    await switchLanguage(page, "fr");
    contains(await text("#ml-status-line"), "ne fait plus partie de cette action", "in French");
    await switchLanguage(page, "en");
    await page.fill("#ml-reference", "");
    await page.click("#tab-summary");
    await page.click("#totals-refresh");
    await page.locator(`#action-member-count:text-is("${setup.free.length + 1}")`).waitFor();

    // --- status ----------------------------------------------------------------------------
    steps.current = "status move";
    await page.click('#transition-buttons button[data-status="filed"]');
    await page.locator("#transition-confirm:not([hidden])").waitFor();
    equal(await focused(), "transition-yes", "focus on the confirmation");
    contains(await text("#transition-question"), "from Open to Filed", "question");
    await page.click("#transition-yes");
    await page.locator("#action-status-value:text-is('Filed')").waitFor();
    check(await page.locator("#members-form").isHidden(), "no new members once filed");
    const moves = await page.locator("#transition-buttons button").evaluateAll((l) => l.map((b) => b.dataset.status));
    equal(moves.join(","), "settled,closed", "filed → settled or closed");
    contains(await seedRow.innerText(), "Open", "the other action untouched");
    check(await page.locator("#claim-link").count() === 0, "no link to share once filed");
    const late = await context.newPage();
    watchPage(late, baseUrl, steps, problems);
    await late.goto(link);
    await late.locator("#mandate-status:not([hidden])").waitFor();
    contains(await late.locator("#mandate-status").innerText(), "no longer accepts mandates",
        "a filed action's link: the claim form says so");
    equal(await late.locator("#mandate").count(), 0, "and offers no mandate");
    check(await late.locator("#claim-form").isVisible(), "the claim can still be made");
    await late.close();

    // --- the public record ---------------------------------------------------------------
    steps.current = "public record";
    // its first read refused (503): no form shown, nothing another read left could be saved;
    // the refusal said with Try again, which reads it
    const recordRefused = await refuseNextRead(`/v1/actions/${action.id}`);
    await page.click("#tab-record");
    await page.locator("#record-status.status-error").waitFor();
    equal(recordRefused.refused(), 1, "the record's read refused");
    check(await page.locator("#record-body").isHidden(), "no form without the record read");
    contains(await text("#record-status"), "temporarily unavailable", "the refusal said");
    await recordRefused.off();
    await page.click("#record-status button");
    await page.locator("#rec-counsel-name").waitFor();
    await page.waitForFunction(() => document.getElementById("rec-counsel-name").value !== "");
    equal(await page.inputValue("#rec-counsel-name"), "Maître Dupont", "counsel read from the record");
    equal(await page.locator("#history-rows tr").evaluateAll((l) => l.map((r) => r.dataset.kind)).then((k) => k.join(",")),
        "opened,filed", "the history: opened, then the status move");
    await page.fill("#rec-next-date", "2030-03-15");
    await page.fill("#rec-next-date-note", "Audience de mise en état");
    await page.fill("#rec-funding", "Cotisations des membres\nAucun financement par un tiers");
    await page.fill("#rec-mandate-fr", "Nouveau texte du mandat.");
    await page.click("#record-save");     // a new French text without a new version: refused here
    await page.locator("#rec-mandate-version-error:not([hidden])").waitFor();
    contains(await text("#rec-mandate-version-error"), "new version", "the version is asked for");
    await page.fill("#rec-mandate-version", "2026-09-b");
    await page.fill("#rec-mandate-en", "New mandate text.");
    const recordPatch = page.waitForResponse((r) => r.request().method() === "PATCH"
        && new URL(r.url()).pathname === `/v1/actions/${action.id}`);
    await page.click("#record-save");
    const patched = await recordPatch;
    equal(patched.status(), 200, "record saved");
    equal(JSON.stringify(Object.keys(patched.request().postDataJSON()).sort()),
        JSON.stringify(["funding_sources", "mandate_text", "mandate_text_en", "mandate_text_version",
            "next_date", "next_date_note"]), "only what changed is sent, in one PATCH");
    await page.locator("#record-status:has-text('saved')").waitFor();
    const saved = await apiGet(`/v1/actions/${action.id}`);
    equal([saved.next_date, saved.next_date_note, saved.mandate_text_version, saved.mandate_text,
        saved.mandate_text_en, saved.fees_charged].join("|"),
        ["2030-03-15", "Audience de mise en état", "2026-09-b", "Nouveau texte du mandat.",
            "New mandate text.", null].join("|"), "the record as saved");
    equal(saved.funding_sources, "Cotisations des membres\nAucun financement par un tiers", "line breaks kept");
    contains(await text("#action-facts"), "2026-09-b", "the facts above the tabs follow");
    // a hearing is the step offered first: filing and closing are the status buttons' own
    equal(await page.inputValue("#ev-kind"), "hearing", "the step offered first");
    equal((await page.locator("#ev-kind option").evaluateAll((l) => l.map((o) => o.value))).join(","),
        "hearing,judgment", "filing, settlement and closing are the status buttons' own");
    await page.fill("#ev-date", "2030-03-15");
    await page.fill("#ev-court-reference", "RG 30/01234");
    await page.fill("#ev-note", "Mise en état");
    // something typed in the record and not saved yet stays when a step is added
    await page.fill("#rec-fees", "Aucun frais");
    await page.click("#event-add");
    await page.locator('#history-rows tr[data-kind="hearing"]').waitFor();
    equal(await page.inputValue("#ev-note"), "", "the step's form emptied");
    equal(await text("#event-status"), "The step is added to the history.", "said beside the step's form");
    equal(await page.inputValue("#rec-fees"), "Aucun frais", "the record's unsaved text kept");
    check(await page.locator("#record-status").isHidden(), "nothing said at the record's top");
    // the form's refusals without fields, in words: a text the server cannot read (a lone
    // surrogate: 400 malformed-json), texts too long together (413)
    await page.evaluate(() => { document.getElementById("rec-fees").value = "Frais \ud800"; });
    await page.click("#record-save");
    await page.locator("#record-status.status-error").waitFor();
    contains(await text("#record-status"), "The server could not read what was sent", "400 in words");
    await noStatusCode("#record-status", "a body the server cannot read");
    await page.evaluate(() => {
        for (const id of ["rec-fees", "rec-mandate-fr", "rec-mandate-en"])
            document.getElementById(id).value = "é".repeat(20000);
    });
    await page.fill("#rec-mandate-version", "2026-09-c");
    const tooLong = page.waitForResponse((r) => r.request().method() === "PATCH");
    await page.click("#record-save");
    equal((await tooLong).status(), 413, "texts too long together");
    await page.locator("#record-status:has-text('too long in all')").waitFor();
    await noStatusCode("#record-status", "a body over the limit");
    check(await page.locator("#record-errors").isHidden(), "no stale field errors");
    // the record read again: the unsaved texts go
    await page.click("#tab-summary");
    await page.click("#tab-record");
    await page.waitForFunction(() => document.getElementById("rec-mandate-version").value === "2026-09-b");
    // the same action's record read again and refused: its form goes (the values read before
    // may be stale), the refusal is said with Try again, which reads it and shows the form again
    const rereadRefused = await refuseNextRead(`/v1/actions/${action.id}`);
    await page.click("#tab-summary");
    await page.click("#tab-record");
    await page.locator("#record-status.status-error").waitFor();
    await page.locator('#record[aria-busy="false"]').waitFor({ state: "attached" });
    equal(rereadRefused.refused(), 1, "the record's re-read refused");
    check(await page.locator("#record-body").isHidden(), "the form read before is not shown beside the refusal");
    contains(await text("#record-status"), "temporarily unavailable", "the refusal said");
    equal(await text("#record-status button"), "Try again", "with Try again");
    await rereadRefused.off();
    await page.click("#record-status button");
    await page.locator("#record-body:not([hidden])").waitFor();
    equal(await page.inputValue("#rec-mandate-version"), "2026-09-b", "the record read again");
    check(await page.locator("#record-status").isHidden(), "the refusal gone with the record read");
    // on a phone, in French, each step's cells say what they are; axe on the tab as it is
    await switchLanguage(page, "fr");
    await page.setViewportSize({ width: 390, height: 844 });
    const hearingCells = await page.locator('#history-rows tr[data-kind="hearing"] td').evaluateAll((tds) =>
        tds.filter((td) => getComputedStyle(td).display !== "none")
            .map((td) => getComputedStyle(td, "::before").content + "=" + td.textContent));
    equal(hearingCells.join(" | "), '"Date"=15 mars 2030 | "Étape"=Audience | "Référence au tribunal"=RG 30/01234 | "Note"=Mise en état',
        "the step's card on a phone");
    // the dates in the page's language: read, typed and sent
    equal(await page.inputValue("#rec-next-date"), "15/03/2030", "the next date written as French writes it");
    equal(await text("#rec-next-date-format"), "Format\u00a0: jj/mm/aaaa", "its format said in French");
    await page.fill("#rec-next-date", "31/02/2030");
    await page.click("#record-save");
    await page.locator("#rec-next-date-error:not([hidden])").waitFor();
    contains(await text("#rec-next-date-error"), "Cette date ne peut pas être lue", "a day that does not exist, said at the field");
    await page.fill("#rec-next-date", "16.3.30");
    const datePatch = page.waitForResponse((r) => r.request().method() === "PATCH");
    await page.click("#record-save");
    equal(JSON.stringify((await datePatch).request().postDataJSON()), '{"next_date":"2030-03-16"}',
        "what a French volunteer types, sent as the API's date");
    await page.locator("#record-status.status-success").waitFor();
    equal(await page.inputValue("#rec-next-date"), "16/03/2030", "written back in the page's format");
    const openedCells = await page.locator('#history-rows tr[data-kind="opened"] td').evaluateAll((tds) =>
        tds.filter((td) => getComputedStyle(td).display !== "none").length);
    equal(openedCells, 2, "a step without court reference nor note: no empty lines");
    await injectAxe();
    const recordAxe = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
    equal(recordAxe.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id).join(","),
        "", "axe on the record tab with its history (phone, French)");
    await page.locator("#history-table").scrollIntoViewIfNeeded();
    await shoot("29-dashboard-history-fr", { fullPage: false });
    await page.setViewportSize({ width: 1280, height: 800 });
    await switchLanguage(page, "en");
    const withHearing = await apiGet(`/v1/actions/${action.id}`);
    const step = withHearing.history.at(-1);
    equal([step.kind, step.date, step.court_reference, step.note].join("|"),
        "hearing|2030-03-15|RG 30/01234|Mise en état", "the step stored");
    equal(withHearing.next_date, "2030-03-16", "the next date as typed in French");
    const publicPage = await (await context.request.get(`${baseUrl}/a/${action.id}?lang=fr`)).text();
    for (const shown of ["Cotisations des membres", "RG 30/01234", "Audience de mise en état",
        "Nouveau texte du mandat."])
        contains(publicPage, shown, "the public page shows the record");
    contains(await (await context.request.get(`${baseUrl}/a/${action.id}?lang=en`)).text(), "New mandate text.",
        "the English text of the new version");
    await page.locator("#record").scrollIntoViewIfNeeded();
    await shoot("29-dashboard-record", { fullPage: false });

    // --- an incident that exposed no password: no supplement for one --------------------------
    steps.current = "simulate: no password exposed";
    await page.selectOption("#o-incident", setup.no_passwords);
    await page.fill("#o-title", "Sans mots de passe " + setup.no_passwords);
    await page.fill("#o-deadline", "2030-01-31T12:00");
    await page.fill("#o-counsel-name", "Maître Dupont");
    await page.fill("#o-counsel-email", "avocat@example.org");
    await page.fill("#o-mandate-text", "Je donne mandat.");
    await page.fill("#o-mandate-version", "v1");
    const openedNoPw = page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/v1/actions");
    await page.click("#open-submit");
    const noPwAction = await (await openedNoPw).json();
    await page.locator(`#action-h2:text-is("Action: Sans mots de passe ${setup.no_passwords}")`).waitFor();
    await page.click("#tab-simulate");
    check(await page.locator("#sim-supplement").isHidden(), "no supplement per password where none was exposed");
    const noPwSim = page.waitForResponse((r) => r.url().endsWith("/v1/compensation/simulate"));
    await page.click("#sim-run");
    const noPwAnswer = await noPwSim;
    equal(noPwAnswer.status(), 200, "simulated");
    equal(noPwAnswer.request().postDataJSON().action_id, noPwAction.id, "on that action");
    equal(JSON.stringify(noPwAnswer.request().postDataJSON().scheme.category_supplements), '{"phone":700}',
        "the incident's own supplement sent as it is, none for passwords");
    // the incident closed by the operator: the page lists open incidents only, so the tab
    // reads the incident itself and still starts from its scheme (no password field either)
    const closed = await context.request.patch(`${baseUrl}/v1/incidents/${setup.no_passwords}`,
        { headers: { Authorization: "Bearer " + setup.operator_key, "Content-Type": "application/merge-patch+json" },
            data: JSON.stringify({ status: "closed" }) });
    equal(closed.status(), 200, "incident closed by the operator");
    await page.reload();
    await page.locator(`#actions-rows tr[data-id="${noPwAction.id}"] button`).click();
    await page.locator("#action:not([hidden])").waitFor();
    await page.click("#tab-simulate");
    await page.waitForFunction(() => document.getElementById("sim-hours").value === "20");
    check(await page.locator("#sim-supplement").isHidden(), "a closed incident's categories read too");
    const closedSim = page.waitForResponse((r) => r.url().endsWith("/v1/compensation/simulate"));
    await page.click("#sim-run");
    equal(JSON.stringify((await closedSim).request().postDataJSON().scheme.category_supplements), '{"phone":700}',
        "a closed incident's scheme simulated as it stands");
    await page.locator(`#actions-rows tr[data-id="${action.id}"] button`).click();
    await page.locator(`#action-h2:text-is("Action: ${title}")`).waitFor();
    await page.click("#tab-simulate");
    check(await page.locator("#sim-supplement").isVisible(), "and back on the first action, offered again");

    // --- dates in the page's language, whatever the browser's --------------------------------
    steps.current = "date fields";
    {
        const us = await newContext(browser, { locale: "en-US", timezoneId: "Europe/Paris" });
        const p = await us.newPage();
        watchPage(p, baseUrl, steps, problems);
        await p.goto(`${baseUrl}/dashboard?lang=fr`);
        await p.locator("#ml-from-format").waitFor({ state: "attached" });
        equal(await p.locator("#ml-from-format").textContent(), "Format\u00a0: jj/mm/aaaa",
            "an American browser, the page in French: the French format");
        equal(await p.locator("#ml-from").getAttribute("type"), "text", "no mm/dd/yyyy mask of the browser's");
        equal(await p.locator("#o-deadline-format").textContent(), "Format\u00a0: jj/mm/aaaa hh:mm", "a date and time too");
        check(await p.locator("#ml-from ~ button.date-pick").count() === 1, "the browser's calendar still offered");
        // what a French volunteer types, read as the day it means
        const read = await p.evaluate(async () => {
            const { parseDate } = await import("/static/date-field.js");
            return ["07/12/2026", "7/12/2026", "7.12.26", "07-12-2026", "7 décembre 2026", "7 déc. 2026", "07122026",
                "2026-12-07", "31/02/2026", "12/31/2026", "demain", ""].map((x) => parseDate(x))
                .concat([parseDate("31/01/2030 12h00", true), parseDate("31/01/2030 9:05", true),
                    parseDate("31/01/2030", true)]);
        });
        equal(JSON.stringify(read), JSON.stringify(["2026-12-07", "2026-12-07", "2026-12-07", "2026-12-07", "2026-12-07", "2026-12-07",
            "2026-12-07", "2026-12-07", null, null, null, "", "2030-01-31T12:00", "2030-01-31T09:05", null]),
        "French dates read");
        // typed in English (month first for this browser), it stays the same day in French
        await switchLanguage(p, "en");
        equal(await p.locator("#ml-from-format").textContent(), "Format: mm/dd/yyyy", "the browser's English order");
        await p.evaluate(() => {
            const i = document.getElementById("ml-from");
            i.value = "12/24/2026";
            i.dispatchEvent(new Event("input", { bubbles: true }));
        });
        await switchLanguage(p, "fr");
        equal(await p.inputValue("#ml-from"), "24/12/2026", "the same day, written the French way");
        await us.close();
    }

    // --- a keyboard that ticked rows: the bulk actions, above the list, reached from after it --
    steps.current = "members: from the ticked rows to the bulk actions";
    {
        const active = () => page.evaluate(() => document.activeElement?.id || document.activeElement?.getAttribute("aria-label"));
        await page.click("#tab-list");
        await page.selectOption("#ml-status", "verified");
        await page.click("#ml-apply");
        await listShown();
        const refs = await page.locator("#ml-rows tr").evaluateAll((trs) => trs.map((tr) => tr.dataset.reference));
        check(refs.length >= 2, "two verified members listed at least");
        check(await page.locator("#ml-to-bulk").isHidden(), "nothing ticked: no way to the selection's actions");
        // ticked with the keyboard: Space on the first row's box, then Tab onwards (past the way
        // to the actions, which follows the box ticked last), Space on the second's, Tab: the way
        let presses = 0;
        await page.getByRole("checkbox", { name: `Select ${refs[0]}` }).focus();
        await page.keyboard.press("Space");
        equal(await text("#ml-to-bulk"), "Act on the 1 selected member", "one ticked: the way to its actions, counted");
        for (let second = false; presses < 10 * refs.length; presses++) {
            await page.keyboard.press("Tab");
            const at = await active();
            if (at === `Select ${refs[1]}`) {
                await page.keyboard.press("Space");
                second = true;
            }
            if (at === "ml-to-bulk" && second)
                break;
        }
        equal(await active(), "ml-to-bulk", "right after the second box ticked");
        // its name is what a screen reader says on it: the count, not only seen
        equal(await page.getByRole("button", { name: "Act on the 2 selected members" }).count(), 1,
            "two ticked: its name says so");
        await page.keyboard.press("Enter");
        equal(await active(), "ml-selected", "Enter: the focus on the selection's line, above the rows");
        contains(await text("#ml-selected"), "2 selected", "which says the count");
        const order = [];
        for (let i = 0; i < 4; i++) {
            await page.keyboard.press("Tab");
            order.push(await active());
        }
        equal(order.join(","), "ml-reason,ml-note,ml-verify-selected,ml-reject-selected",
            "then Tab: the reason, the message, Verify and Reject the selection");
        // Reject the selection asked for the two ticked (cancelled: the focus rules stand)
        await page.keyboard.press("Enter");
        await page.locator("#ml-confirm:not([hidden])").waitFor();
        equal(await active(), "ml-confirm-yes", "the confirmation on its button");
        contains(await text("#ml-confirm-text"), "2 members will be rejected", "the two ticked with the keyboard");
        await page.keyboard.press("Tab");
        await page.keyboard.press("Enter");
        await page.locator("#ml-confirm").waitFor({ state: "hidden" });
        equal(await active(), "ml-reject-selected", "cancelled: the focus back on Reject selected");
        await switchLanguage(page, "fr");
        equal(await text("#ml-to-bulk"), "Agir sur les 2 membres sélectionnés", "in French");
        await switchLanguage(page, "en");
        for (const ref of refs.slice(0, 2))
            await page.getByRole("checkbox", { name: `Select ${ref}` }).uncheck();
        check(await page.locator("#ml-to-bulk").isHidden(), "nothing ticked any more: gone");
    }

    // --- more than a page of members: where the volunteer is, and back a page -------------
    // The action has a few members; 120 are served in place of its list (three pages of 50, by
    // their cursors), as the API pages them: the page's own arithmetic is what is checked.
    steps.current = "members: paging through 120";
    {
        const fake = (i) => ({ reference: `RC-PAGE-${String(i).padStart(4, "0")}`, claim_status: "received",
            email_confirmed: true, country: "FR", data_categories: ["email"], payment_preference: "voucher",
            added_at: "2026-12-01T10:00:00Z", mandated_at: "2026-12-01T10:00:00Z", reviewed_at: null,
            mandate_text_version: "2026-03-a", mandate_channel: "web", duplicate_attempts: 0 });
        const pages = { "": [1, 50, "p2"], p2: [51, 100, "p3"], p3: [101, 120, null] };
        const path = `/v1/actions/${action.id}/members`;
        const served = (route) => {
            const url = new URL(route.request().url());
            const [from, to, next] = pages[url.searchParams.get("cursor") ?? ""];
            const data = Array.from({ length: to - from + 1 }, (_, k) => fake(from + k));
            return route.fulfill({ contentType: "application/json", body: JSON.stringify({ data, next }) });
        };
        const match = (url) => url.pathname === path;
        await page.route(match, served);
        await page.setViewportSize({ width: 360, height: 740 });
        await page.click("#tab-list");
        await page.selectOption("#ml-status", "");
        await page.click("#ml-apply");
        await listShown();
        // the action counts fewer members than listed here: no total is said before the last page
        equal(await text("#ml-range"), "Members 1–50 (more on the next pages)", "the first page");
        check(await page.locator("#ml-prev").isHidden() && await page.locator("#ml-first").isHidden(), "no page before");
        await page.click("#ml-next");
        await listShown();
        equal(await text("#ml-range"), "Members 51–100 (more on the next pages)", "the second page");
        contains(await text("#ml-selected"), "Members 51–100", "said above the rows too");
        check(await page.locator("#ml-first").isHidden(), "on the second page, Previous is the first page");
        await page.click("#ml-next");
        await listShown();
        equal(await text("#ml-range"), "Members 101–120 of 120", "the last page knows the total");
        check(await page.locator("#ml-next").isHidden(), "nothing after it");
        await switchLanguage(page, "fr");
        equal((await text("#ml-range")).replace(NBSP, " "), "Membres 101 à 120 sur 120", "in French");
        await switchLanguage(page, "en");
        await page.click("#ml-prev");
        await listShown();
        equal(await text("#ml-range"), "Members 51–100 (more on the next pages)", "Previous: the page before");
        equal(await focused(), "ml-prev", "the focus stays on Previous");
        // on a 360 px phone each row is a card: the reference is shown whole in it
        const cut = await page.locator('#ml-rows button[data-act="open"]').evaluateAll((bs) => bs.filter((b) =>
            b.getBoundingClientRect().right > b.closest("td").getBoundingClientRect().right + 1
            || b.scrollWidth > b.clientWidth + 1).map((b) => b.textContent));
        equal(cut.join(", "), "", "no reference cut in its card at 360 px");
        await page.click("#ml-prev");
        await listShown();
        equal(await text("#ml-range"), "Members 1–50 (more on the next pages)", "back on the first page");
        check(await page.locator("#ml-prev").isHidden(), "no Previous on the first page");

        // a reload (a phone reloads a background tab by itself) returns to the place: the action
        // and its tab from the address, the members' filter and page from the tab's storage
        steps.current = "a reload keeps the place";
        await page.selectOption("#ml-status", "received");
        await page.selectOption("#ml-sort", "mandated_at:desc");
        await page.click("#ml-apply");
        await listShown();
        await page.click("#ml-next");
        await listShown();
        equal(new URL(page.url()).hash, `#action=${action.id}&tab=members`, "the action and its tab in the address, nothing more");
        await page.reload();
        await page.locator("#action:not([hidden])").waitFor();
        await listShown();
        equal(await text("#ml-range"), "Members 51–100 (more on the next pages)", "the page shown before the reload");
        equal(`${await page.inputValue("#ml-status")} ${await page.inputValue("#ml-sort")}`, "received mandated_at:desc",
            "its filter and order");
        equal(await focused(), "member-list-h3", "the keyboard on the tab's heading");
        // the incidents are read beside the key on a reload: the action waited for them, so
        // its incident is named (and its amounts in its currency), not its slug alone
        contains(await text("#action-facts"), ` — `, "the incident's controller and title after a reload");
        await page.click("#ml-prev");
        await listShown();
        equal(await text("#ml-range"), "Members 1–50 (more on the next pages)", "Previous still knows the page before");
        await page.click("#tab-summary");
        equal(new URL(page.url()).hash, `#action=${action.id}&tab=summary`, "the tab chosen in the address");
        await page.goBack();
        await page.locator("#panel-list:not([hidden])").waitFor();
        equal(await focused(), "member-list-h3", "Back: the members again");
        await page.goForward();
        await page.locator("#panel-summary:not([hidden])").waitFor();
        equal(await focused(), "totals-h3", "Forward: the summary again");
        await page.goto(`${baseUrl}/dashboard#action=00000000-0000-4000-8000-000000000000&tab=summary`);
        await page.locator("#actions-status:has-text('no longer exists')").waitFor();
        check(await page.locator("#action").isHidden(), "an action not the association's: no action shown");
        equal(`${new URL(page.url()).hash}|${await focused()}`, "|actions-h2", "the list of actions, the address cleared");
        await page.locator(`#actions-rows tr[data-id="${action.id}"] button`).click();
        await listShown();
        await page.unroute(match, served);
        await page.setViewportSize({ width: 1280, height: 800 });
        await page.click("#ml-apply");
        await listShown();
    }

    // --- simulate: an amount typed is said in money under its field -------------------------
    // (the unit is the currency's smallest: "30" typed for 30 euros is €0.30)
    steps.current = "simulate: each amount in money";
    await page.click("#tab-simulate");
    const baseBefore = await page.inputValue("#sim-base");
    await page.fill("#sim-base", "30");
    equal(await text("#sim-base-money"), "That is €0.30.", "30 typed is 30 cents, said under the field");
    equal(await page.getAttribute("#sim-base", "aria-describedby"), "sim-base-money", "read with the field");
    equal(await page.locator("#sim-hours-money").count(), 0, "hours are no money");
    await switchLanguage(page, "fr");
    equal((await text("#sim-base-money")).replace(NBSP, " "), "Soit 0,30 €.", "in French");
    await switchLanguage(page, "en");
    await page.fill("#sim-base", baseBefore);
    // one eligible claim is one claim ("1 eligible claims" was said), zero too in French: the
    // server's answer counted one
    const simPath = (url) => url.pathname === "/v1/compensation/simulate";
    const one = async (route) => {
        const real = await route.fetch();
        return route.fulfill({ response: real, json: { ...await real.json(), eligible: 1 } });
    };
    await page.route(simPath, one);
    await page.click("#sim-run");
    await page.locator("#sim-status:has-text('Simulated on 1 eligible')").waitFor();
    equal(await text("#sim-status"), "Simulated on 1 eligible claim.", "one claim");
    await switchLanguage(page, "fr");
    equal(await text("#sim-status"), "Simulation sur 1 réclamation éligible.", "in French");
    await switchLanguage(page, "en");
    await page.unroute(simPath, one);

    // --- notices: the counts said in words of their number ---------------------------------
    // ("1 members will receive it; 0 who stopped non-essential notices will not"): the count's
    // answer made one recipient and one who stopped notices; nothing is sent (Cancel)
    steps.current = "notices: one member counted";
    await page.click("#tab-notices");
    await page.locator("#panel-notices:not([hidden]) #nt-form").waitFor();
    for (const [id, value] of [["nt-subject-fr", "Audience"], ["nt-body-fr", "L'audience aura lieu."],
        ["nt-subject-en", "Hearing"], ["nt-body-en", "The hearing will take place."]])
        await page.fill(`#${id}`, value);
    await page.click("#nt-save");
    await page.locator("#nt-preview:not([hidden])").waitFor();
    const sendPath = (url) => url.pathname.endsWith("/send");
    const oneEach = async (route) => {
        const real = await route.fetch();
        return route.fulfill({ response: real, json: { ...await real.json(), recipients: 1, skipped_opted_out: 1 } });
    };
    await page.route(sendPath, oneEach);
    await page.click("#nt-count");
    await page.locator("#nt-confirm:not([hidden])").waitFor();
    equal(await text("#nt-confirm-text"), "1 member will receive it. 1 who stopped non-essential notices will not.",
        "one recipient, one who stopped notices");
    await switchLanguage(page, "fr");
    equal(await text("#nt-confirm-text"), "1 membre le recevra. 1 qui a refusé les avis non essentiels ne le recevra pas.",
        "in French");
    await switchLanguage(page, "en");
    await page.click("#nt-confirm-no");
    await page.unroute(sendPath, oneEach);

    // --- an export of no member: nothing to hand to counsel, said -------------------------
    // (its record said as any other: "give counsel its SHA-256 digest"); the record's answer
    // made one of no row
    steps.current = "export: no member";
    await page.click("#tab-exports");
    const recordPath = (url) => url.pathname.startsWith("/v1/exports/");
    const noRows = async (route) => {
        const real = await route.fetch();
        return route.fulfill({ response: real, json: { ...await real.json(), rows: 0 } });
    };
    await page.route(recordPath, noRows);
    const emptyDownload = page.waitForEvent("download");
    await page.click("#export-csv");
    await emptyDownload;
    await page.locator("#export-status:has-text('lists no member')").waitFor();
    equal(await text("#export-status"), `Saved as ${await text("#export-file")}. The file lists no member: `
        + "the action has none yet, so there is nothing to hand to counsel.", "said, not handed over");
    await page.unroute(recordPath, noRows);
    // the members' filter and pages kept for a reload (checked forgotten with the key, below)
    const keptMembers = await page.evaluate(() => sessionStorage.getItem("recours.dashboard.members"));

    // --- the fund cap's effect said in words, its exact factor kept under it --------------
    // ("Pro rata factor 1.000000" told a volunteer nothing); the totals' answer made one of a
    // cap reached, then one of a cap not reached
    steps.current = "summary: the fund cap in words";
    await page.click("#tab-summary");
    const compensationPath = (url) => url.pathname === `/v1/actions/${action.id}/compensation`;
    let capFactor = "0.834999";
    const capped = async (route) => {
        const real = await route.fetch();
        return route.fulfill({ response: real, json: { ...await real.json(), fund_cap: 100000, pro_rata_factor: capFactor } });
    };
    await page.route(compensationPath, capped);
    const totalsReadAgain = async () => {
        const before = Number(await page.getAttribute("#totals", "data-reads-handled") || 0);
        await page.click("#totals-refresh");
        await page.waitForFunction((n) => {
            const region = document.getElementById("totals");
            return Number(region.dataset.readsHandled || 0) > n && region.getAttribute("aria-busy") === "false";
        }, before);
    };
    const whole = (selector) => page.locator(selector).evaluate((e) => e.textContent);
    await totalsReadAgain();
    equal(await whole("#total-cap-effect"), "Cap reached: every award is reduced to 83.4% of its amount under the scheme.",
        "a cap reached, in words, its percentage cut to one decimal");
    equal(await whole("#total-factor"), "0.834999", "the exact factor under it");
    await switchLanguage(page, "fr");
    equal(await whole("#total-cap-effect"),
        "Plafond du fonds atteint\u00a0: chaque indemnisation est réduite à 83,4\u00a0% de son montant selon le barème.",
        "in French, no-break spaces before : and %");
    equal(await whole("#total-factor"), "0,834999", "the exact factor in French notation");
    await switchLanguage(page, "en");
    capFactor = "1.000000";
    await totalsReadAgain();
    equal(await whole("#total-cap-effect"), "Cap not reached: every member receives their full award.",
        "a cap not reached, in words");
    equal(await whole("#total-factor"), "1.000000", "its exact factor still there");
    await page.unroute(compensationPath, capped);

    // --- on a phone, from the members' heading past the filters to the rows ---------------
    // (19 Tabs through the filters, the dates' calendars and the selection's actions): the
    // first Tab meets "Skip the filters", seen once focused; Enter leads to the list's table
    steps.current = "members: skip the filters";
    await page.setViewportSize({ width: 390, height: 844 });
    await page.click("#tab-list");
    await listShown();
    await page.focus("#member-list-h3");
    await page.keyboard.press("Tab");
    equal(await focused(), "ml-skip", "the first Tab after the heading: skip the filters");
    const skipBox = await page.locator("#ml-skip").boundingBox();
    check(skipBox && skipBox.width > 40 && skipBox.height > 20, `seen once focused (${JSON.stringify(skipBox)})`);
    equal(await text("#ml-skip"), "Skip the filters: go to the list of members", "its name");
    await page.keyboard.press("Enter");
    equal(await focused(), "ml-table", "Enter: the focus on the members' table");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    const firstRow = await page.$eval("#ml-rows tr", (r) => r.dataset.reference);
    equal(await page.evaluate(() => document.activeElement.closest("#ml-rows tr")?.dataset.reference ?? null), firstRow,
        "two Tabs more (the page's selection), the first member's row");
    await page.setViewportSize({ width: 1280, height: 800 });

    // --- the two CSVs saved under two names ------------------------------------------------
    // (both came as the server's "recours-<id>-<date>.csv"): the ";" one says its separator, in
    // the page's language; the "," one keeps the server's name
    steps.current = "export: the separator in the file's name";
    await page.click("#tab-exports");
    const savedAs = async (button) => {
        const saved = page.waitForEvent("download");
        await page.click(button);
        const name = (await saved).suggestedFilename();
        await page.locator("#exports[aria-busy=false]").waitFor({ state: "attached" });
        return name;
    };
    const serverName = `recours-${action.id}-`;
    const comma = await savedAs("#export-csv");
    check(new RegExp(`^${serverName}\\d{8}\\.csv$`).test(comma), `the "," file under the server's name: ${comma}`);
    await switchLanguage(page, "fr");
    equal(await savedAs("#export-csv-semicolon"), comma.replace(/\.csv$/, "-point-virgule.csv"), "the \";\" file, in French");
    await switchLanguage(page, "en");

    // --- a member's claim closed from the keyboard, and from its top on a phone -----------
    // Its Close is the first Tab from the claim, and gives the focus back to the member's
    // reference; Escape within the claim does the same. On a 360 px phone the claim is a
    // section of the page under the list (no popup), and its Close sits at its top, kept in
    // sight while the claim is scrolled through: at its foot, a finger scrolled sixteen facts
    // down for it. On a laptop it stands on the heading's line, at the claim's right.
    steps.current = "members: a claim closed from the keyboard";
    await page.setViewportSize({ width: 360, height: 740 });
    await page.click("#tab-list");
    await listShown();
    const opened = await page.$eval("#ml-rows tr", (r) => r.dataset.reference);
    const openIt = async () => {
        await page.locator(`#ml-rows tr[data-reference="${opened}"] button[data-act=open]`).press("Enter");
        await page.locator("#ml-detail:not([hidden])").waitFor();
    };
    await openIt();
    equal(await page.locator("#ml-detail").evaluate((d) => getComputedStyle(d).position), "static",
        "the claim a section of the page on a phone, not a popup");
    await page.keyboard.press("Tab");
    equal(await page.evaluate(() => document.activeElement.textContent), "Close", "the first Tab: Close");
    await page.keyboard.press("Enter");
    await page.locator("#ml-detail").waitFor({ state: "hidden" });
    equal(await focusedRow(), `${opened} open`, "closed: the focus back on the member's reference");
    await openIt();
    const closeAt = () => page.evaluate(() => {
        const detail = document.getElementById("ml-detail");
        const close = detail.querySelector(".detail-head button");
        const b = close.getBoundingClientRect();
        return { top: Math.round(b.top), bottom: Math.round(b.bottom), shown: innerHeight,
            aboveFacts: b.bottom <= detail.querySelector("dl").getBoundingClientRect().top + 1,
            right: Math.round(detail.getBoundingClientRect().right - b.right) };
    });
    const atTop = await closeAt();
    check(atTop.aboveFacts, `Close above the claim's facts (${JSON.stringify(atTop)})`);
    await page.evaluate(() => {
        const d = document.getElementById("ml-detail").getBoundingClientRect();
        scrollBy(0, d.bottom - innerHeight);   // the claim read to its foot
    });
    const atFoot = await closeAt();
    check(atFoot.top >= 0 && atFoot.bottom <= atFoot.shown, `Close in sight at the claim's foot (${JSON.stringify(atFoot)})`);
    if (process.env.RECOURS_WEB_SCREENSHOTS)
        await page.screenshot({ path: `${outDir}/29-claim-phone-foot.png` });
    await page.locator("#ml-detail dl").click();   // a finger on the facts, then Escape
    await page.keyboard.press("Escape");
    await page.locator("#ml-detail").waitFor({ state: "hidden" });
    equal(await focusedRow(), `${opened} open`, "Escape: the focus back on the member's reference");
    await page.setViewportSize({ width: 1280, height: 800 });
    await openIt();
    await page.locator("#ml-detail").evaluate((d) => d.scrollIntoView());   // its top in sight
    const laptop = await closeAt();
    check(laptop.aboveFacts && laptop.right < 40, `on a laptop Close at the claim's top right (${JSON.stringify(laptop)})`);
    await page.keyboard.press("Escape");
    await page.locator("#ml-detail").waitFor({ state: "hidden" });

    // --- a simulation says what its fund cap does, as the summary does ------------------
    // (a cap typed there drew charts, the awards' reduction said nowhere): a cap of one cent
    // is reached by any award; the words, the totals and the exact factor are the answer's
    steps.current = "simulate: the fund cap's effect in words";
    await page.click("#tab-simulate");
    const capBefore = await page.inputValue("#sim-fund-cap");
    await page.fill("#sim-fund-cap", "1");
    const capped1 = page.waitForResponse((r) => r.request().method() === "POST" && r.url().endsWith("/v1/compensation/simulate"));
    await page.click("#sim-run");
    const capAnswer = await (await capped1).json();
    await page.locator("#sim-totals").waitFor();
    check(capAnswer.total_before_cap > 1, `the simulation awards something (${capAnswer.total_before_cap})`);
    contains(await whole("#sim-cap-effect"), "Cap reached: every award is reduced to ", "the cap's effect in words");
    equal(await whole("#sim-factor"), capAnswer.pro_rata_factor, "the answer's exact factor under it");
    equal(await whole("#sim-after-cap"), new Intl.NumberFormat("en-GB", { style: "currency", currency: "EUR" })
        .format(capAnswer.total_after_cap / 100), "the answer's total after the cap");
    await switchLanguage(page, "fr");
    contains(await whole("#sim-cap-effect"), "Plafond du fonds atteint\u00a0: chaque indemnisation est réduite à ", "in French");
    await switchLanguage(page, "en");
    await page.fill("#sim-fund-cap", capBefore);

    // --- a member's claim open when the language changes: drawn again in it ---------------
    // ("Claim …", "Close" and every label stayed English under French tabs)
    steps.current = "members: a claim follows the language";
    await page.click("#tab-list");
    await listShown();
    await page.locator(`#ml-rows tr[data-reference="${opened}"] button[data-act=open]`).click();
    await page.locator("#ml-detail:not([hidden])").waitFor();
    await switchLanguage(page, "fr");
    equal(await text("#ml-detail h4"), `Réclamation ${opened}`, "its heading in French");
    equal(await text("#ml-detail .detail-head button"), "Fermer", "its Close in French");
    contains(await text("#ml-detail dl"), "Date de naissance", "its labels in French");
    await switchLanguage(page, "en");
    await page.click("#ml-detail .detail-head button");
    await page.locator("#ml-detail").waitFor({ state: "hidden" });

    // --- Escape in a confirmation is its Cancel ----------------------------------------------
    // (it did nothing: the keyboard stayed in the question), the focus back on the row's Reject
    steps.current = "members: Escape cancels a confirmation";
    await page.locator(`#ml-rows tr[data-reference="${opened}"] button[data-act=reject]`).press("Enter");
    await page.locator("#ml-confirm:not([hidden])").waitFor();
    equal(await focused(), "ml-confirm-reason", "the question asked, its reason first");
    await page.keyboard.press("Escape");
    await page.locator("#ml-confirm").waitFor({ state: "hidden" });
    equal(await focusedRow(), `${opened} reject`, "Escape: the question dropped, the focus back on the row's Reject");
    const stillReceived = await page.$eval(`#ml-rows tr[data-reference="${opened}"]`, (r) => r.dataset.status);
    check(stillReceived !== "rejected", `nothing decided (${stillReceived})`);

    // --- the risk flags and the controller's list: filtered on, and said on the claim -----------
    // (the API filtered on both and gave each member's flags with what was counted; the page
    // offered neither, so a volunteer never saw a reason to look). No claim of this incident has
    // a disposable address: none matches; the claim opened says its flags as the API gives them.
    steps.current = "members: reasons to look";
    const riskRead = page.waitForRequest((r) => r.url().includes("/members?") && new URL(r.url()).searchParams.get("risk") === "disposable_email");
    await page.selectOption("#ml-risk", "disposable_email");
    await page.click("#ml-apply");
    await riskRead;
    await listReadAgain("filtered on a disposable address");
    equal(await text("#ml-list-line"), "No member matches.", "no member with a disposable address");
    const eligRead = page.waitForRequest((r) => r.url().includes("/members?") && new URL(r.url()).searchParams.get("eligibility") === "unknown");
    await page.selectOption("#ml-risk", "");
    await page.selectOption("#ml-eligibility", "unknown");
    await page.click("#ml-apply");
    await eligRead;
    await listReadAgain("filtered on no list received");
    check(await page.locator(`#ml-rows tr[data-reference="${opened}"]`).count() === 1,
        "no controller's list for this incident: every member not checked, the one opened before included");
    const flagged = await context.request.get(`${baseUrl}/v1/actions/${action.id}/members/${opened}`,
        { headers: { Authorization: "Bearer " + setup.key } });
    equal(flagged.status(), 200, "the member's claim from the API");
    const risk = (await flagged.json()).risk;
    await page.locator(`#ml-rows tr[data-reference="${opened}"] button[data-act=open]`).click();
    await page.locator("#ml-detail:not([hidden])").waitFor();
    const reasons = await page.locator("#ml-detail dt", { hasText: /^Reasons to look$/ }).locator("xpath=following-sibling::dd").innerText();
    const phrases = { network: "from the same network", address: "give the same postal address",
        disposable_email: "disposable email", email_unconfirmed: "not confirmed", unmatched: "not on the controller's list" };
    if (!risk || risk.flags.length === 0)
        equal(reasons, risk ? "None" : "Not evaluated yet", "no flag, said");
    for (const f of risk?.flags ?? []) {
        contains(reasons, phrases[f.flag], `the flag ${f.flag} in words`);
        if (f.evidence.threshold !== undefined)
            contains(reasons, `above ${f.evidence.threshold}`, `the flag ${f.flag}'s threshold`);
    }
    await switchLanguage(page, "fr");
    equal(await text('label[for="ml-risk"]'), "Raisons de vérifier (signaux de risque)", "the filter's label in French");
    check(await page.locator("#ml-detail dt", { hasText: /^Raisons de vérifier$/ }).count() === 1, "the claim's flags in French");
    await switchLanguage(page, "en");
    await page.click("#ml-detail .detail-head button");
    await page.locator("#ml-detail").waitFor({ state: "hidden" });
    await page.selectOption("#ml-eligibility", "");

    // --- a member's claim says its review history, newest first, in words ------------------
    // (the member view gave who decided what, when and why; the claim showed its last decision
    // only). One member with decisions, and one never reviewed, as the API gives them.
    steps.current = "members: a claim's review history";
    const en = JSON.parse(readFileSync(new URL("../../web/i18n/en.json", import.meta.url), "utf-8"));
    const fr = JSON.parse(readFileSync(new URL("../../web/i18n/fr.json", import.meta.url), "utf-8"));
    const memberView = async (ref) => (await context.request.get(`${baseUrl}/v1/actions/${action.id}/members/${ref}`,
        { headers: { Authorization: "Bearer " + setup.key } })).json();
    // every member listed: the filter left by the steps before emptied and applied
    await page.evaluate(() => document.getElementById("ml-filter").reset());
    const allRead = page.waitForRequest((r) => r.url().includes("/members?") && !new URL(r.url()).searchParams.has("eligibility"));
    await page.click("#ml-apply");
    await allRead;
    await listReadAgain("with no filter");
    const views = {};
    for (const ref of await page.$$eval("#ml-rows tr", (rs) => rs.map((r) => r.dataset.reference)))
        views[ref] = await memberView(ref);
    const decided = Object.keys(views).find((ref) => views[ref].review.history.length > 0);
    const undecided = Object.keys(views).find((ref) => views[ref].review.history.length === 0);
    check(decided && undecided, `a member decided and one never reviewed (${Object.keys(views).length} listed)`);
    const openClaim = async (ref) => {
        await page.locator(`#ml-rows tr[data-reference="${ref}"] button[data-act=open]`).click();
        await page.locator(`#ml-detail[data-reference="${ref}"]:not([hidden])`).waitFor();
    };
    const factOf = (label) => page.locator("#ml-detail dt", { hasText: label }).locator("xpath=following-sibling::dd");
    await openClaim(decided);
    const history = views[decided].review.history;
    const items = await factOf(en["ws.d.history"]).locator("li").allInnerTexts();
    equal(items.length, history.length, "one line per decision");
    history.slice().reverse().forEach((h, i) => {
        const day = new Intl.DateTimeFormat("en-GB", { dateStyle: "long", timeZone: "Europe/Paris" }).format(new Date(h.at));
        check(items[i].startsWith(day), `line ${i + 1}, newest first, dated ${day}: ${items[i]}`);
        contains(items[i], `${en["ws.h." + h.decision]} ${en["ws.h.by." + h.by]}`, `line ${i + 1} says what and who`);
        if (h.reason)
            contains(items[i], `(${en["ws.reason." + h.reason]})`, `line ${i + 1} says why`);
    });
    await injectAxe();
    const historyAxe = await page.evaluate(() => window.axe.run(document.getElementById("ml-detail"), { resultTypes: ["violations"] }));
    equal(historyAxe.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id).join(", "),
        "", "axe on the claim with its history");
    await switchLanguage(page, "fr");
    const newest = history[history.length - 1];
    contains((await factOf(fr["ws.d.history"]).locator("li").first().innerText()).replace(NBSP, " "),
        `${fr["ws.h." + newest.decision]} ${fr["ws.h.by." + newest.by]}`, "in French");
    await switchLanguage(page, "en");
    await openClaim(undecided);
    equal((await factOf(en["ws.d.history"]).innerText()).trim(), en["ws.d.history_none"], "a claim never reviewed says so");
    await page.click("#ml-detail .detail-head button");
    await page.locator("#ml-detail").waitFor({ state: "hidden" });

    // --- a member's claim says whether the claimant confirmed their address -----------------
    // (the list's rows carry it, which only the filter used); as the API's list says
    steps.current = "members: the address confirmed, said on the claim";
    const listedRows = (await (await context.request.get(`${baseUrl}/v1/actions/${action.id}/members?limit=100`,
        { headers: { Authorization: "Bearer " + setup.key } })).json()).data;
    const confirmedOf = Object.fromEntries(listedRows.map((m) => [m.reference, m.email_confirmed]));
    for (const ref of [decided, undecided]) {
        await openClaim(ref);
        equal((await factOf(en["ws.d.email_confirmed"]).innerText()).trim(),
            en[confirmedOf[ref] ? "ws.email.yes" : "ws.email.no"], `${ref}: confirmed or not, as listed`);
    }
    await switchLanguage(page, "fr");
    equal((await factOf(fr["ws.d.email_confirmed"]).innerText()).trim(),
        fr[confirmedOf[undecided] ? "ws.email.yes" : "ws.email.no"], "in French");
    await switchLanguage(page, "en");
    await page.click("#ml-detail .detail-head button");
    await page.locator("#ml-detail").waitFor({ state: "hidden" });

    // --- the key revoked while in use ------------------------------------------------------
    steps.current = "key revoked meanwhile";
    const revoked = await context.request.delete(`${baseUrl}/v1/keys/${setup.key_id}`,
        { headers: { Authorization: "Bearer " + setup.operator_key } });
    equal(revoked.status(), 204, "key revoked by the operator");
    await page.click("#tab-summary");   // its charts are read again, with the revoked key
    await page.locator("#key-status.status-error").waitFor();
    contains(await text("#key-status"), "This key was refused", "asked for the key again");
    check(await page.locator("#workspace").isHidden(), "workspace hidden");
    equal(await focused(), "api_key", "focus on the key field");

    // --- the key refused: the members' filter goes with it ---------------------------------
    // as "Forget the key" does: a reference searched for is a member's, and stayed in the tab
    // (for the next key's holder on a shared computer) once the key no longer worked
    steps.current = "key refused: the members' filter forgotten";
    check(keptMembers !== null, "the members' list was kept for a reload before");
    equal(await page.evaluate(() => sessionStorage.getItem("recours.dashboard.members")), null,
        "the members' filter and pages forgotten with the key");
    equal(await page.evaluate(() => sessionStorage.getItem("recours.dashboard.key")), null, "the key forgotten");

    steps.current = "end";
    if (problems.length)
        fail("console errors, CSP violations or failed assets:\n  " + problems.join("\n  "));
    console.log(JSON.stringify({ action_id: action.id, export_id: exportId, sha256: digest }));
} catch (e) {
    exitCode = 1;
    console.error("dashboard_flow: FAILED: " + (e && e.stack ? e.stack : e));
    if (problems.length && steps.current !== "end")
        console.error("also seen:\n  " + problems.join("\n  "));
} finally {
    await browser.close();
}
process.exit(exitCode);
