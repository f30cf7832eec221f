import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { StepResult } from '../../src/engine/results.js';
import { formatDiagnostic, formatError } from '../../src/report/format-error.js';
import { REDACTED, createRedactor } from '../../src/report/redact.js';
import { redactEvent } from '../../src/report/redact-result.js';
import { PaxflowError } from '../../src/errors.js';
import { sensitiveFieldNames } from '../../src/steps/sensitive.js';

const SSN = '078-05-1120';
const SECRET = 'canary-Secret-7d41f0c2';
const TOKEN = 'tok_9b1c7e2a55f04d0e';
const fields = sensitiveFieldNames();

const redact = suite('redact: one redactor for every output');

redact('by field: schema-marked fields are masked at any depth, in lists too, whatever the value type', () => {
  const r = createRedactor({ fields });
  const masked = r.value({
    id: 'identity-1',
    person_details: { cip_id: SSN, date_of_birth: '1960-01-01', address: { address1: '1 Main St', country: 'USA' }, aliases: ['B'] },
    members: [{ email: 'a@b.example', roles: ['BENEFICIAL_OWNER'] }],
    nothing: { email: null },
    number: { zip_code: 10001 },
  });
  assert.equal(masked, {
    id: 'identity-1',
    person_details: { cip_id: REDACTED, date_of_birth: REDACTED, address: { address1: REDACTED, country: 'USA' }, aliases: REDACTED },
    members: [{ email: REDACTED, roles: ['BENEFICIAL_OWNER'] }],
    nothing: { email: null },
    number: { zip_code: REDACTED },
  });
});

redact('by value: secrets are masked as substrings, with base64, URL and JSON escaping, and as Bearer credentials', () => {
  const r = createRedactor({ secrets: [SECRET] });
  r.addSecret(TOKEN);
  const text = [
    `a${SECRET}b`,
    Buffer.from(SECRET).toString('base64'),
    Buffer.from(SECRET).toString('base64url'),
    encodeURIComponent(`${SECRET}/x`),
    `Authorization: Bearer ${TOKEN}`,
    'Bearer someOtherToken123',
  ].join(' ');
  const out = r.text(text);
  for (const leak of [SECRET, TOKEN, Buffer.from(SECRET).toString('base64').replace(/=+$/, ''), 'someOtherToken123']) assert.not.ok(out.includes(leak), leak);
  assert.is(out.split(REDACTED).length - 1, 6);
});

redact('by value: a secret with markup characters is masked as the HTML report escapes it too', () => {
  const secret = 'p<a>ss&"w\'ord-41';
  const r = createRedactor({ secrets: [secret] });
  const out = r.text(`<code>p&lt;a&gt;ss&amp;&quot;w&#39;ord-41</code> ${secret}`);
  assert.is(out, `<code>${REDACTED}</code> ${REDACTED}`);
});

redact('by value: personal data and sensitive values are masked as whole tokens, never inside a longer word', () => {
  const r = createRedactor({ fields });
  r.capture({ person_details: { last_name: 'Lovelace', email: 'ada@example.org', cip_id: '123-45-6789' } });
  r.addSensitive(['Mark', 'Alan']);
  const out = r.text('Market orders by Mark. Lovelaces, Lovelace; Also Alana, (Alan) <ada@example.org>, SSN:123-45-6789, x123-45-67890');
  assert.is(out, `Market orders by ${REDACTED}. Lovelaces, ${REDACTED}; Also Alana, (${REDACTED}) <${REDACTED}>, SSN:${REDACTED}, x123-45-67890`);
  // Sensitive values are masked like secrets: also without personal-data redaction.
  const off = createRedactor({ fields, pii: false });
  off.addSensitive('Mark');
  assert.is(off.text('Mark at Market'), `${REDACTED} at Market`);
});

redact('messages: a key=value in prose is not a query string (`--var takes name=value`)', () => {
  const r = createRedactor({ fields });
  assert.is(r.message('--var takes name=value, with a name of letters'), '--var takes name=value, with a name of letters');
  assert.is(r.message('name=Ada&email=a%40b.c'), `name=${REDACTED}&email=${REDACTED}`);
  assert.is(r.message('params a=1; email=a%40b.c'), `params a=1; email=${REDACTED}`);
});

redact('SSNs are masked with and without dashes once seen, and dashed SSN shapes always', () => {
  const r = createRedactor({ fields });
  r.capture({ person_details: { cip_id: '900-12-3456' } });
  const out = r.text('seen 900-12-3456 and 900123456, unseen 078-05-1120; not SSNs: 2021-06-16 555-678-1234 12345');
  assert.is(out, `seen ${REDACTED} and ${REDACTED}, unseen ${REDACTED}; not SSNs: 2021-06-16 555-678-1234 12345`);
  const plain = createRedactor({ fields });
  plain.capture({ tax_payer_id: '900123456' });
  assert.is(plain.text('dashed 900-12-3456'), `dashed ${REDACTED}`);
});

redact('values seen in sensitive fields are masked anywhere later, e.g. interpolated into a message', () => {
  const r = createRedactor({ fields });
  const result: StepResult = {
    id: 'details',
    uses: 'getIdentity',
    status: 'passed',
    durationMs: 1,
    attempts: 1,
    output: { person_details: { email: 'jane.doe@example.com', first_name: 'Jane' } },
    exchanges: [],
    polls: [],
  };
  redactEvent({ type: 'step:end', runId: 'r', index: 0, result }, r);
  const later = redactEvent(
    { type: 'step:end', runId: 'r', index: 1, result: { ...result, id: 'check', output: undefined, status: 'failed', error: { code: 'ASSERTION_FAILED', message: 'expected "x", got "mail jane.doe@example.com"' } } },
    r,
  );
  assert.ok(later.type === 'step:end' && later.result.error?.message === `expected "x", got "mail ${REDACTED}"`);
});

redact('short values are masked by field only; they would wreck the text if masked everywhere', () => {
  const r = createRedactor({ fields });
  r.capture({ first_name: 'Al', zip_code: '10001', middle_name: 'true' });
  assert.equal(r.value({ first_name: 'Al' }), { first_name: REDACTED });
  assert.is(r.text('Al paid 10001 USD: true'), 'Al paid 10001 USD: true');
});

redact('messages: a value written after a sensitive key is masked in JSON, query strings and YAML lines', () => {
  const r = createRedactor({ fields });
  assert.is(r.message('body {"cip_id":"123456789","ref_id":"r1","email":"x@y.z'), `body {"cip_id":"${REDACTED}","ref_id":"r1","email":"${REDACTED}"`);
  assert.is(r.message('GET /v2/x?email=a%40b.c&limit=2'), `GET /v2/x?email=${REDACTED}&limit=2`);
  assert.is(r.message('near:\n      date_of_birth: 1960-01-01\n'), `near:\n      date_of_birth: ${REDACTED}\n`);
  assert.is(r.message('`with.person_details.cip_id` must be text, not a number.'), '`with.person_details.cip_id` must be text, not a number.');
});

redact('redact: entries add field names and dotted paths, matched by the end of the key path', () => {
  const r = createRedactor({ fields, paths: ['account_number', 'person_details.nationality'] });
  assert.equal(r.value({ account_number: 'AC-991', person_details: { nationality: 'USA' }, institution: { nationality: 'USA' } }), {
    account_number: REDACTED,
    person_details: { nationality: REDACTED },
    institution: { nationality: 'USA' },
  });
  r.capture({ person_details: { nationality: 'Freedonia' } });
  assert.is(r.text('from Freedonia'), `from ${REDACTED}`);
});

redact('pii off masks no personal data, but secrets, credential fields and tokens stay masked', () => {
  const r = createRedactor({ fields, pii: false, secrets: [SECRET] });
  r.capture({ cip_id: SSN, headers: { Authorization: `Bearer ${TOKEN}` } });
  assert.equal(r.value({ cip_id: SSN, headers: { Authorization: 'x' } }), { cip_id: SSN, headers: { Authorization: REDACTED } });
  assert.is(r.text(`${SSN} ${SECRET} ${TOKEN}`), `${SSN} ${REDACTED} ${REDACTED}`);
});

redact('the final text pass keeps a redacted JSON document parseable', () => {
  const r = createRedactor({ fields, secrets: [SECRET, 'quote"inside'] });
  r.capture({ cip_id: '900123456', email: 'null' });
  const data = { a: `x ${SECRET} y`, b: 'quote"inside', n: 900123456, m: null, t: true, email: 'null' };
  const parsed = JSON.parse(r.text(JSON.stringify(r.value(data)))) as Record<string, unknown>;
  assert.equal(parsed, { a: `x ${REDACTED} y`, b: REDACTED, n: REDACTED, m: null, t: true, email: REDACTED });
  assert.equal(JSON.parse(r.text(JSON.stringify({ b: 'quote"inside' }))), { b: REDACTED });
});

redact('captureText learns values from YAML source, but not templates nor the names of steps', () => {
  const r = createRedactor({ fields });
  r.captureText('name: Create the identity\n  - id: a\n    name: Jane step\n    with:\n      first_name: "Jane"\n      cip_id: 900123456 # test\n      x: { email: j@x.io, y: 1 }\n      date_of_birth: "{{vars.dob}}"\n');
  assert.is(r.text('Jane 900-12-3456 j@x.io; Create the identity; {{vars.dob}}'), `${REDACTED} ${REDACTED} ${REDACTED}; Create the identity; {{vars.dob}}`);
});

redact('formatError and formatDiagnostic go through the redactor', () => {
  const r = createRedactor({ fields, secrets: [SECRET] });
  assert.equal(formatError(new PaxflowError('X', `nope ${SECRET} {"email":"a@b.c"}`), r), [`error X nope ${REDACTED} {"email":"${REDACTED}"}`]);
  assert.is(formatDiagnostic({ code: 'Y', message: `bad ${SSN}`, file: 'f.yaml', line: 2, col: 3 }), `f.yaml:2:3 error Y bad ${REDACTED}`);
  assert.equal(formatError(Object.assign(new Error(SECRET), { body: SECRET })), [
    'error INTERNAL_ERROR paxflow hit an unexpected Error; this is a bug, please report it with the command you ran',
  ]);
});

redact.run();
