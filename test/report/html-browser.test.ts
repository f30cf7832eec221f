import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli, tempFiles } from '../cli/_io.js';
import { dumpDom, screenshot, withoutScripts } from './_chromium.js';
import { decodePng, imageStats } from './_png.js';
import { parseJsonReport } from './_reports.js';

// The HTML report in Debian's headless Chromium: what a person opening the CI artifact sees.
const browser = suite<{ dir: string }>('html report in headless Chromium');

browser.before((context) => {
  context.dir = mkdtempSync(join(tmpdir(), 'paxflow-html-'));
});

const HOSTILE = '</script><img src=x onerror=alert(1)>';

/** A failing run against the emulator: a Paxos refusal, an expectation that does not hold, a skip, and a finally: step with markup in its message. */
const failingWorkflow = `version: 1
name: "Order beyond funds ${HOSTILE}"
vars:
  evil: "${HOSTILE}<script>alert(2)</script>\\u2028<!--"
steps:
  - id: identity
    name: "Create the <b>customer</b>"
    uses: createIdentity
    with:
      ref_id: "{{run.id}}-identity"
      person_details:
        verifier_type: PASSTHROUGH
        passthrough_verifier_type: JUMIO
        passthrough_verified_at: "2024-02-01T10:00:00Z"
        passthrough_verification_id: "{{uuid}}"
        passthrough_verification_status: APPROVED
        passthrough_verification_fields: [FULL_LEGAL_NAME, DATE_OF_BIRTH, ADDRESS, CIP_ID]
        first_name: Penny
        last_name: Short
        date_of_birth: "1988-03-14"
        address: { address1: 12 Thrift Lane, city: Denver, province: CO, country: USA, zip_code: "80202" }
        nationality: USA
        cip_id: "{{test_ssn}}"
        cip_id_type: SSN
        cip_id_country: USA
      customer_due_diligence:
        estimated_yearly_income: INCOME_0_TO_50K
        expected_transfer_value: TRANSFER_VALUE_0_TO_25K
        source_of_wealth: EMPLOYMENT_INCOME
        employment_status: PART_TIME
        employment_industry_sector: RETAIL_TRADE
  - id: approval
    uses: awaitApproval
    timeout: 30s
    continue_on_error: true
    with:
      identity_id: "{{steps.identity.id}}"
    expect:
      summary_status: DENIED
  - id: account
    uses: createAccount
    with:
      create_profile: true
      account: { identity_id: "{{steps.identity.id}}", ref_id: "{{run.id}}-account", type: BROKERAGE }
  - id: buy
    name: Buy 1 ETH with no funds
    uses: placeOrder
    with:
      profile_id: "{{steps.account.profile_id}}"
      side: BUY
      market: ETHUSD
      type: LIMIT
      base_amount: "1"
      price: "1814.8"
  - id: never
    uses: getIdentity
    with:
      identity_id: "{{steps.identity.id}}"
finally:
  - id: evil_check
    name: "{{vars.evil}}"
    uses: assert
    with:
      checks:
        - actual: "{{vars.evil}}"
          equals: "<img src=y onerror=alert(3)>"
`;

/** Runs paxflow with the html and json reporters into the suite's folder; returns the paths and the JSON report. */
const runWithHtml = async (dir: string, name: string, argv: string[]) => {
  const html = join(dir, `${name}.html`);
  const json = join(dir, `${name}.json`);
  const run = await runCli(['run', ...argv, '--reporter', `html=${html}`, '--reporter', `json=${json}`]);
  return { ...run, html, report: parseJsonReport(readFileSync(json, 'utf8')) as ReturnType<typeof parseJsonReport> & Record<string, unknown> };
};

/** The element of step `index` (its li) in a dumped DOM, up to the next step. */
const stepElement = (dom: string, prefix: string, index: number): string => {
  const start = dom.indexOf(`id="${prefix}${index}"`);
  assert.ok(start >= 0, `step ${prefix}${index} is on the page`);
  return dom.slice(start, dom.indexOf('</summary>', start));
};

/** A screenshot that shows something: many colours and real contrast, not a blank or single-colour page. */
const assertNotBlank = async (html: string, png: string) => {
  const shot = await screenshot(html, png);
  assert.equal(shot.console, []);
  const image = decodePng(readFileSync(png));
  assert.is(image.width, 1280);
  const { colours, variance } = imageStats(image);
  assert.ok(colours > 50 && variance > 100, `the screenshot is not blank (${colours} colours, variance ${variance.toFixed(0)})`);
};

browser("the guide's passing run: every step on the timeline, the script ran, no console errors", async ({ dir }) => {
  const run = await runWithHtml(dir, 'guide', ['workflows/onboard-and-trade.yaml']);
  assert.is(run.code, 0, run.stderr);
  const { stdout: dom, console } = await dumpDom(run.html);
  assert.equal(console, []);
  assert.match(dom, /<html lang="en" class="">/, 'the script ran');
  assert.ok(dom.indexOf('class="summary') < dom.indexOf('class="timeline"'), 'the summary comes first');
  assert.match(dom, new RegExp(`<code>${run.report.runId}</code>`));
  assert.is(run.report.steps.length, 11);
  run.report.steps.forEach((step, index) => {
    const element = stepElement(dom, 's', index);
    assert.match(element, new RegExp(`<b>${step.id}</b>`));
    assert.match(element, /<span class="bar" style="left:[\d.]+%;width:[\d.]+%"><\/span>/, `${step.id} has its bar`);
  });
  // The waiting steps show their checks on the axis.
  const approval = run.report.steps.findIndex((step) => step.id === 'approval');
  assert.match(stepElement(dom, 's', approval), /<i class="tick" style="left:[\d.]+%" title="check 1: PENDING/);
});

browser('a failing scenario: the failure with code and place, escaped markup, a screenshot, and the same page without scripts', async ({ dir }) => {
  const file = tempFiles({ 'beyond-funds.yaml': failingWorkflow })['beyond-funds.yaml']!;
  const run = await runWithHtml(dir, 'failing', [file]);
  assert.is(run.code, 1, run.stderr);
  const ids = run.report.steps.map((step) => step.id);
  assert.equal(ids, ['identity', 'approval', 'account', 'buy', 'never', 'evil_check']);
  const buy = run.report.steps[3]!;
  assert.is(buy.error?.code, 'PAXOS_INSUFFICIENT_FUNDS');

  const [scripts, noScripts] = await Promise.all([
    dumpDom(run.html),
    dumpDom(withoutScripts(run.html)),
    assertNotBlank(run.html, join(dir, 'failing.png')),
  ]);
  assert.equal(scripts.console, []);
  assert.equal(noScripts.console, []);
  assert.match(scripts.stdout, /<html lang="en" class="">/);
  assert.match(noScripts.stdout, /<html lang="en" class="nojs">/, 'no script ran');
  for (const dom of [scripts.stdout, noScripts.stdout]) {
    const summary = dom.slice(dom.indexOf('<header class="summary'), dom.indexOf('</header>'));
    assert.match(summary, /<span class="badge">FAILED<\/span>/);
    assert.match(summary, /<h2>Failures<\/h2>/);
    assert.match(summary, new RegExp(`<b>buy</b></a> <code class="code">PAXOS_INSUFFICIENT_FUNDS</code> .*>at ${file}:\\d+:5`));
    assert.match(summary, /<b>approval<\/b><\/a> <span class="tag">continue_on_error<\/span> <code class="code">EXPECTATION_FAILED<\/code>/);
    assert.match(summary, /<b>evil_check<\/b><\/a> <code class="code">ASSERTION_FAILED<\/code>/);
    assert.match(summary, /To resume: <code>paxflow run .* --resume /);
    // The failed step is open, with its exchange; the expectation shows expected against actual.
    assert.match(dom, /<li class="step st-failed" id="s3"><details open="">/);
    assert.match(dom, /<td><code>POST<\/code><\/td><td><code class="path">\/v2\/profiles\/[^<]+\/orders<\/code><\/td><td><span class="http4">403<\/span>/);
    assert.match(dom, /<td><code>summary_status<\/code><\/td><td><code>"DENIED"<\/code><\/td><td><code>"APPROVED"<\/code><\/td>/);
    assert.match(dom, /<p class="group">finally:/);
    // Markup from the run is text: no element came of it.
    assert.not.match(dom, /<img|<b>customer|<script>alert/i);
    assert.match(dom, /Order beyond funds &lt;\/script&gt;&lt;img src=x onerror=alert\(1\)&gt;/);
  }
  assert.is(scripts.stdout.split('<script').length - 1, 2, "only the page's own two scripts");
});

browser('a data-driven batch (batch-onboarding.yaml with its data file): a row per run, each opening its own steps', async ({ dir }) => {
  const run = await runWithHtml(dir, 'batch', ['workflows/batch-onboarding.yaml', '--data', 'workflows/data/customers.csv']);
  // Row 8 of the data file lacks a date of birth: it is invalid, the other rows pass.
  assert.is(run.code, 1, run.stderr);
  // Without scripts the summary still comes first (the style sheet puts it there); the screenshot shows it.
  const [{ stdout: dom, console }] = await Promise.all([dumpDom(run.html), assertNotBlank(withoutScripts(run.html), join(dir, 'batch.png'))]);
  assert.equal(console, []);
  const units = [...dom.matchAll(/<details class="unit st-(\w+)" id="u(\d+)"[^>]*data-label="([^"]+)"/g)].map((m) => [m[2], m[1], m[3]]);
  assert.is(units.length, 12);
  assert.equal(units[7], ['8', 'invalid', 'row 8']);
  assert.ok(units.every(([, status], index) => status === (index === 7 ? 'invalid' : 'passed')));
  assert.match(dom, /<button type="button" class="count st-passed" data-status="passed" aria-pressed="true">11 passed<\/button>/);
  assert.match(dom, /<span class="uerr"><code class="code">ROW_MISSING_COLUMN<\/code>/);
  // Each passed row holds its four steps on its own timeline.
  for (const [index] of units.filter(([, status]) => status === 'passed')) {
    for (const [step, id] of ['identity', 'approval', 'account', 'approved'].entries()) {
      assert.match(stepElement(dom, `u${index}-s`, step), new RegExp(`<b>${id}</b>`));
    }
  }
  assert.ok(dom.indexOf('<header class="summary') < dom.indexOf('<section class="units"'), 'the script put the summary first');
});

browser.run();
