import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { expectOk, expectProblem } from './_expect.js';
import { call, getToken, guidePerson, pollUntil, startTestSandbox, type SandboxHandle } from './_helpers.js';

interface Context {
  sandbox: SandboxHandle;
  token: string;
}

const IDENTITIES = '/v2/identity/identities';

async function create(context: Context, body: Record<string, unknown>): Promise<any> {
  return expectOk(await call(context.sandbox, 'POST', IDENTITIES, { token: context.token, body }), 'Identity');
}

async function get(context: Context, id: string, query = ''): Promise<any> {
  return expectOk(await call(context.sandbox, 'GET', `${IDENTITIES}/${id}${query}`, { token: context.token }), 'Identity');
}

function waitForStatus(context: Context, id: string, status: string): Promise<any> {
  return pollUntil(async () => {
    const identity = await get(context, id);
    return identity.summary_status === status ? identity : undefined;
  });
}

async function eventsFor(context: Context, identityId: string): Promise<any[]> {
  const result = expectOk(await call(context.sandbox, 'GET', '/v2/events', { token: context.token }), 'EventList');
  return result.events.filter((event: any) => event.object.identity_id === identityId);
}

async function setStatus(context: Context, id: string, body: Record<string, unknown>): Promise<void> {
  expectOk(await call(context.sandbox, 'PUT', `${IDENTITIES}/${id}/sandbox-status`, { token: context.token, body }), 'Empty');
}

const guide = suite<Context>('identities: the onboarding guide as curl sends it');

guide.before(async (context) => {
  context.sandbox = await startTestSandbox();
  context.token = await getToken(context.sandbox, ['identity:read_identity', 'identity:write_identity', 'events:read_event']);
});
guide.after(async ({ sandbox }) => {
  await sandbox.close();
});

guide('creates the guide person from a form-typed raw JSON body, PENDING first, APPROVED after the delay', async (context) => {
  const person = guidePerson();
  const response = await fetch(`${context.sandbox.apiUrl}/identity/identities`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${context.token}`,
      'Content-Type': 'application/x-www-form-urlencoded',
      Accept: '*/*',
      'User-Agent': 'curl/8.5.0',
    },
    body: JSON.stringify(person, null, 2),
  });
  const created = (await response.json()) as any;
  assert.is(response.status, 200);
  expectOk({ status: response.status, headers: response.headers, body: created }, 'Identity');
  assert.is(created.summary_status, 'PENDING');
  assert.is(created.type, 'PERSON');
  assert.is(created.ref_id, person.ref_id);
  assert.is(created.person_details.first_name, 'Billy');

  const approved = await waitForStatus(context, created.id, 'APPROVED');
  assert.is(approved.person_details, undefined);
  const events = await eventsFor(context, created.id);
  assert.is(events.length, 1);
  assert.is(events[0].type, 'identity.approved');
  assert.equal({ ...events[0].object, id: undefined }, {
    id: undefined, identity_id: created.id, old_summary_status: 'PENDING', new_summary_status: 'APPROVED',
  });
});

guide('a passthrough DENIED person becomes DENIED after the delay, with an identity.denied event', async (context) => {
  const created = await create(context, guidePerson({ person_details: { passthrough_verification_status: 'DENIED' } }));
  assert.is(created.summary_status, 'PENDING');
  const denied = await waitForStatus(context, created.id, 'DENIED');
  const details = await get(context, denied.id, '?include_details=true');
  assert.is(details.person_details.id_verification_status, 'DENIED');
  const events = await eventsFor(context, created.id);
  assert.equal(events.map((event) => event.type), ['identity.denied']);
});

guide.run();

const status = suite<Context>('identities: status model');

status.before(async (context) => {
  context.sandbox = await startTestSandbox({ approvalDelayMs: 0 });
  context.token = await getToken(context.sandbox);
});
status.after(async ({ sandbox }) => {
  await sandbox.close();
});

status('an incomplete person and a PAXOS-verified person stay PENDING while a complete one is approved', async (context) => {
  const incomplete = await create(context, guidePerson({ customer_due_diligence: { employment_industry_sector: undefined } }));
  const noDob = await create(context, guidePerson({ person_details: { date_of_birth: undefined } }));
  const paxos = await create(context, guidePerson({
    person_details: {
      verifier_type: 'PAXOS', passthrough_verifier_type: undefined, passthrough_verified_at: undefined,
      passthrough_verification_id: undefined, passthrough_verification_status: undefined, passthrough_verification_fields: undefined,
    },
  }));
  const complete = await create(context, guidePerson());
  // Reviews run in creation order with the same delay: once the last one is decided, the earlier ones were too.
  await waitForStatus(context, complete.id, 'APPROVED');
  for (const identity of [incomplete, noDob, paxos]) {
    assert.is((await get(context, identity.id)).summary_status, 'PENDING');
    assert.equal(await eventsFor(context, identity.id), []);
  }
});

status('sandbox-status drives the summary status and records events', async (context) => {
  const created = await create(context, guidePerson({ person_details: { verifier_type: 'MANUAL', passthrough_verifier_type: undefined,
    passthrough_verified_at: undefined, passthrough_verification_id: undefined, passthrough_verification_status: undefined,
    passthrough_verification_fields: undefined } }));
  const id = created.id;
  await setStatus(context, id, { id_verification_status: 'APPROVED' });
  assert.is((await get(context, id)).summary_status, 'PENDING');
  await setStatus(context, id, { sanctions_verification_status: 'APPROVED' });
  assert.is((await get(context, id)).summary_status, 'APPROVED');
  await setStatus(context, id, { additional_screening_status: 'ERROR' });
  assert.is((await get(context, id)).summary_status, 'ERROR');
  await setStatus(context, id, { additional_screening_status: 'APPROVED', sanctions_verification_status: 'DENIED' });
  assert.is((await get(context, id)).summary_status, 'DENIED');
  await setStatus(context, id, { sanctions_verification_status: 'APPROVED', user_disabled: { disabled: true } });
  assert.is((await get(context, id)).summary_status, 'DISABLED');
  await setStatus(context, id, { user_disabled: { disabled: false }, admin_disabled: { disabled: true } });
  const adminDisabled = await get(context, id, '?include_details=true');
  assert.is(adminDisabled.summary_status, 'DISABLED');
  assert.is(adminDisabled.admin_disabled, true);
  assert.is(adminDisabled.user_disabled, false);
  assert.is(adminDisabled.person_details.sanctions_verification_status, 'APPROVED');
  await setStatus(context, id, { id: id, admin_disabled: { disabled: false } });
  assert.is((await get(context, id)).summary_status, 'APPROVED');

  const events = await eventsFor(context, id);
  assert.equal(events.map((event) => [event.type, event.object.old_summary_status, event.object.new_summary_status]), [
    ['identity.approved', 'PENDING', 'APPROVED'],
    ['identity.denied', 'ERROR', 'DENIED'],
    ['identity.disabled', 'DENIED', 'DISABLED'],
    ['identity.approved', 'DISABLED', 'APPROVED'],
  ]);
});

status('sandbox-status keeps each kind of details to its own sub-statuses', async (context) => {
  // A person's details have no document check and an institution's none for ID verification: setting the
  // other kind's sub-status is accepted, but leaves no field behind and does not move the summary status.
  const person = await create(context, guidePerson({ person_details: { verifier_type: 'MANUAL', passthrough_verifier_type: undefined,
    passthrough_verified_at: undefined, passthrough_verification_id: undefined, passthrough_verification_status: undefined,
    passthrough_verification_fields: undefined } }));
  await setStatus(context, person.id, { id_verification_status: 'APPROVED', sanctions_verification_status: 'APPROVED', document_verification_status: 'DENIED' });
  const personView = await get(context, person.id, '?include_details=true');
  assert.is(personView.summary_status, 'APPROVED');
  assert.is('document_verification_status' in personView.person_details, false);

  const institution = await create(context, {
    institution_details: {
      name: 'Sub Status Trust', institution_type: 'TRUST', cip_id: '12-0000001', cip_id_type: 'EIN', cip_id_country: 'USA',
      business_address: { address1: '1 Wall St', city: 'New York', province: 'NY', country: 'USA' },
    },
    institution_members: [{ identity_id: person.id, roles: ['TRUSTEE'] }],
  });
  await setStatus(context, institution.id, { sanctions_verification_status: 'APPROVED', id_verification_status: 'DENIED' });
  const institutionView = await get(context, institution.id, '?include_details=true');
  assert.is(institutionView.summary_status, 'APPROVED');
  assert.is('id_verification_status' in institutionView.institution_details, false);
  assert.is(institutionView.institution_details.sanctions_verification_status, 'APPROVED');
});

status('sandbox-status rejects bad bodies and unknown identities', async (context) => {
  const created = await create(context, guidePerson());
  const path = `${IDENTITIES}/${created.id}/sandbox-status`;
  const put = (body: unknown) => call(context.sandbox, 'PUT', path, { token: context.token, body });
  expectProblem(await put({ id_verification_status: 'MAYBE' }), 400, /^id_verification_status: must be one of PENDING, ERROR, APPROVED, DENIED$/);
  expectProblem(await put({ summary_status: 'APPROVED' }), 400, 'summary_status: unknown field');
  expectProblem(await put({ user_disabled: true }), 400, /^user_disabled: must be a JSON object/);
  expectProblem(await put({ id: '00000000-0000-4000-8000-000000000000' }), 400, 'id: must match the identity id in the path');
  const missing = await call(context.sandbox, 'PUT', `${IDENTITIES}/00000000-0000-4000-8000-000000000000/sandbox-status`, {
    token: context.token, body: {},
  });
  expectProblem(missing, 404, 'identity not found: 00000000-0000-4000-8000-000000000000');
});

status('update applies a delta; set_user_disabled disables; completing a person gets it reviewed', async (context) => {
  const created = await create(context, guidePerson({ customer_due_diligence: { source_of_wealth: undefined } }));
  const put = (body: unknown) => call(context.sandbox, 'PUT', `${IDENTITIES}/${created.id}`, { token: context.token, body });
  const updated = expectOk(await put({
    metadata: { crm: '42' },
    person_details: { middle_name: 'Q', address: { address2: 'Apt 4' } },
    customer_due_diligence: { source_of_wealth: 'INHERITANCE' },
  }), 'Identity');
  assert.equal(updated.metadata, { crm: '42' });
  assert.is(updated.person_details.middle_name, 'Q');
  assert.is(updated.person_details.first_name, 'Billy');
  assert.is(updated.person_details.address.address2, 'Apt 4');
  assert.is(updated.person_details.address.city, 'New York');
  await waitForStatus(context, created.id, 'APPROVED');

  const cleared = expectOk(await put({ person_details: { address: { address2: '' } } }), 'Identity');
  assert.is(cleared.person_details.address.address2, undefined);
  const disabled = expectOk(await put({ set_user_disabled: true }), 'Identity');
  assert.is(disabled.summary_status, 'DISABLED');
  assert.is(disabled.user_disabled, true);
  expectProblem(await put({ institution_details: { name: 'Acme' } }), 400, /^institution_details: a PERSON identity cannot become an INSTITUTION$/);
  expectProblem(await put({ person_details: { verifier_type: 'PASSTHROUGH', passthrough_verifier_type: 'NOPE' } }), 400,
    /^person_details\.passthrough_verifier_type: must be one of JUMIO, .*AIPRISE$/);
  const events = await eventsFor(context, created.id);
  assert.equal(events.map((event) => event.type), ['identity.approved', 'identity.disabled']);
});

status('include_details adds person_details and the tax details filled from the SSN', async (context) => {
  const person = guidePerson();
  const created = await create(context, person);
  const plain = await get(context, created.id);
  assert.is(plain.person_details, undefined);
  assert.is(plain.tax_details, undefined);
  assert.is(plain.summary_tin_verification_status, 'TIN_VERIFICATION_PENDING');
  assert.not.match(JSON.stringify(plain), person.person_details.cip_id);
  const detailed = await get(context, created.id, '?include_details=true');
  assert.is(detailed.person_details.cip_id, person.person_details.cip_id);
  assert.equal(detailed.tax_details, [{ tax_payer_id: person.person_details.cip_id, tax_payer_country: 'USA', tin_verification_status: 'TIN_VERIFICATION_PENDING' }]);
  assert.equal(detailed.customer_due_diligence, person.customer_due_diligence);
  const waived = await get(context, (await create(context, guidePerson({ tax_details_not_required: true }))).id, '?include_details=true');
  assert.is(waived.tax_details, undefined);
  assert.is(waived.tax_details_not_required, true);
  expectProblem(await call(context.sandbox, 'GET', `${IDENTITIES}/${created.id}?include_details=yes`, { token: context.token }), 400);
  expectProblem(await call(context.sandbox, 'GET', `${IDENTITIES}/nope`, { token: context.token }), 404, 'identity not found: nope');
});

status('an institution with an existing member stays PENDING until sanctions screening is approved', async (context) => {
  const owner = await create(context, guidePerson());
  const institution = await create(context, {
    ref_id: `inst-${owner.id}`,
    institution_details: {
      name: 'Duncan Holdings LLC', institution_type: 'LLC', institution_sub_type: 'INVESTMENT', cip_id: '12-3456789',
      cip_id_type: 'EIN', cip_id_country: 'USA',
      business_address: { address1: '1 Wall St', city: 'New York', province: 'NY', country: 'USA' },
    },
    institution_members: [{ identity_id: owner.id, roles: ['BENEFICIAL_OWNER'], ownership: '100' }],
  });
  assert.is(institution.type, 'INSTITUTION');
  assert.is(institution.summary_status, 'PENDING');
  assert.is(institution.institution_members.length, 1);
  await waitForStatus(context, owner.id, 'APPROVED');
  const withMembers = await get(context, institution.id, '?include_institution_members=true&include_details=true');
  assert.is(withMembers.institution_members[0].summary_status, 'APPROVED');
  assert.is(withMembers.institution_details.document_verification_status, 'PENDING');
  assert.is(withMembers.summary_status, 'PENDING');
  await setStatus(context, institution.id, { sanctions_verification_status: 'APPROVED' });
  assert.is((await get(context, institution.id)).summary_status, 'APPROVED');
});

status.run();

const review = suite<Context>('identities: sandbox-status overrides a scheduled review');

review.before(async (context) => {
  context.sandbox = await startTestSandbox({ approvalDelayMs: 60_000 });
  context.token = await getToken(context.sandbox);
});
review.after(async ({ sandbox }) => {
  await sandbox.close();
  assert.is(sandbox.state.timers.size, 0);
});

review('a manual decision cancels the automatic one, and close() clears pending timers', async (context) => {
  const first = await create(context, guidePerson());
  await create(context, guidePerson());
  assert.is(context.sandbox.state.timers.size, 2);
  await setStatus(context, first.id, { sanctions_verification_status: 'DENIED' });
  assert.is((await get(context, first.id)).summary_status, 'DENIED');
  assert.is(context.sandbox.state.timers.size, 1);
});

review.run();
