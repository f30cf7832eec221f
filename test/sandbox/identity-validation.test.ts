import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { INDUSTRY_SECTORS } from '../../src/sandbox/identity-enums.js';
import { expectOk, expectProblem } from './_expect.js';
import { call, getToken, guidePerson, startTestSandbox, type SandboxHandle } from './_helpers.js';

interface Context {
  sandbox: SandboxHandle;
  token: string;
}

const IDENTITIES = '/v2/identity/identities';
const post = (context: Context, body: unknown) => call(context.sandbox, 'POST', IDENTITIES, { token: context.token, body });

/** Posts `body` and expects a 400 whose detail has `fragment` and never the person's SSN. */
async function expectRejected(context: Context, body: Record<string, any>, fragment: string | RegExp): Promise<string> {
  const problem = expectProblem(await post(context, body), 400);
  assert.is(problem.title, 'Bad Request');
  assert.is(problem.type, 'about:blank');
  if (typeof fragment === 'string') assert.ok(problem.detail.includes(fragment), `detail "${problem.detail}" lacks "${fragment}"`);
  else assert.match(problem.detail, fragment);
  const ssn = body.person_details?.cip_id;
  if (typeof ssn === 'string') assert.not.ok(problem.detail.includes(ssn), 'the detail echoes the SSN');
  return problem.detail;
}

const rules = suite<Context>('identity validation');

rules.before(async (context) => {
  context.sandbox = await startTestSandbox({ approvalDelayMs: 0 });
  context.token = await getToken(context.sandbox);
});
rules.after(async ({ sandbox }) => {
  await sandbox.close();
});

rules('enums name the field and the allowed values', async (context) => {
  await expectRejected(context, guidePerson({ person_details: { cip_id_type: 'SOCIAL' } }),
    'person_details.cip_id_type: must be one of SSN, ID_CARD, ITIN, PASSPORT, DRIVING_LICENSE, VISA');
  await expectRejected(context, guidePerson({ person_details: { verifier_type: 'SELF' } }), 'person_details.verifier_type: must be one of PAXOS, PASSTHROUGH, MANUAL');
  await expectRejected(context, guidePerson({ person_details: { passthrough_verification_fields: ['FULL_LEGAL_NAME', 'FACE'] } }),
    'person_details.passthrough_verification_fields[1]: must be one of FULL_LEGAL_NAME, ADDRESS, DATE_OF_BIRTH, CIP_ID');
  await expectRejected(context, guidePerson({ customer_due_diligence: { estimated_yearly_income: 'LOTS' } }), 'customer_due_diligence.estimated_yearly_income: must be one of INCOME_0_TO_50K');
  await expectRejected(context, guidePerson({ customer_due_diligence: { expected_transfer_value: 'SOME' } }), 'customer_due_diligence.expected_transfer_value: must be one of');
  await expectRejected(context, guidePerson({ customer_due_diligence: { source_of_wealth: 'LOTTERY' } }), 'customer_due_diligence.source_of_wealth: must be one of');
  await expectRejected(context, guidePerson({ customer_due_diligence: { employment_status: 'BUSY' } }), 'customer_due_diligence.employment_status: must be one of');
  await expectRejected(context, guidePerson({ customer_due_diligence: { employment_industry_sector: 'ARTS' } }), 'customer_due_diligence.employment_industry_sector: must be one of INVESTMENT');
  await expectRejected(context, guidePerson({ customer_due_diligence: { customer_regions: ['MARS'] } }), 'customer_due_diligence.customer_regions[0]: must be one of');
  await expectRejected(context, guidePerson({ customer_due_diligence: { estimated_net_worth: 'HUGE', source_of_funds: 'X', purpose_of_account: 'Y', merchant_funding_source: 'Z' } }),
    /estimated_net_worth: must be one of .*source_of_funds: must be one of .*purpose_of_account: must be one of .*merchant_funding_source: must be one of/);
});

rules('every one of the 43 industry sectors and the AIPRISE verifier are accepted', async (context) => {
  assert.is(INDUSTRY_SECTORS.length, 43);
  for (const sector of INDUSTRY_SECTORS) {
    expectOk(await post(context, guidePerson({ customer_due_diligence: { employment_industry_sector: sector, industry_sector: sector } })), 'Identity');
  }
  expectOk(await post(context, guidePerson({ person_details: { passthrough_verifier_type: 'AIPRISE' } })), 'Identity');
});

rules('patterns: names, dates, countries and lengths', async (context) => {
  await expectRejected(context, guidePerson({ person_details: { first_name: 'Billy<script>' } }), "person_details.first_name: may only contain letters, digits, spaces and / ? : ( ) . , & ' + -");
  await expectRejected(context, guidePerson({ person_details: { last_name: 'D'.repeat(201) } }), 'person_details.last_name: must be at most 200 characters');
  await expectRejected(context, guidePerson({ person_details: { date_of_birth: '01/01/1960' } }), 'person_details.date_of_birth: must be a date in the form YYYY-MM-DD');
  await expectRejected(context, guidePerson({ person_details: { date_of_birth: '1961-02-29' } }), 'person_details.date_of_birth: must be a real calendar date');
  await expectRejected(context, guidePerson({ person_details: { nationality: 'US' } }), 'person_details.nationality: must be an ISO 3166-1 alpha-3 country code');
  await expectRejected(context, guidePerson({ person_details: { cip_id_country: 'usa' } }), 'person_details.cip_id_country: must be an ISO 3166-1 alpha-3');
  await expectRejected(context, guidePerson({ person_details: { passthrough_verified_at: 'yesterday' } }), 'person_details.passthrough_verified_at: must be an RFC3339 timestamp');
  await expectRejected(context, guidePerson({ person_details: { address: { address1: '1 Main St', country: 'USA' } } }),
    'person_details.address.city: required; person_details.address.province: required');
  await expectRejected(context, guidePerson({ person_details: { address: { address1: 'x'.repeat(36), city: 'A', province: 'B', country: 'USA' } } }),
    'person_details.address.address1: must be at most 35 characters');
  await expectRejected(context, guidePerson({ metadata: { crm: 42 } }), 'metadata.crm: must be a string');
  await expectRejected(context, guidePerson({ tax_details_not_required: 'yes' }), 'tax_details_not_required: must be true or false');
});

rules('a rejected SSN is never echoed', async (context) => {
  const body = guidePerson({ person_details: { cip_id: '123-45-6789<' } });
  const detail = await expectRejected(context, body, 'person_details.cip_id: may only contain');
  assert.not.ok(detail.includes('123-45-6789'));
  const long = guidePerson({ person_details: { cip_id: `987-65-4321${'9'.repeat(200)}` } });
  assert.not.ok((await expectRejected(context, long, 'person_details.cip_id: must be at most 200 characters')).includes('987-65-4321'));
});

rules('passthrough: all five fields are required, and only APPROVED or DENIED may be passed', async (context) => {
  const detail = await expectRejected(context, guidePerson({
    person_details: { passthrough_verifier_type: undefined, passthrough_verified_at: undefined, passthrough_verification_id: undefined,
      passthrough_verification_status: undefined, passthrough_verification_fields: undefined },
  }), 'person_details.passthrough_verifier_type: required when verifier_type is PASSTHROUGH');
  for (const field of ['passthrough_verified_at', 'passthrough_verification_id', 'passthrough_verification_status', 'passthrough_verification_fields']) {
    assert.ok(detail.includes(`person_details.${field}: required when verifier_type is PASSTHROUGH`), field);
  }
  await expectRejected(context, guidePerson({ person_details: { passthrough_verification_status: 'PENDING' } }),
    'person_details.passthrough_verification_status: must be APPROVED or DENIED');
  await expectRejected(context, guidePerson({ person_details: { passthrough_verification_fields: [] } }),
    'person_details.passthrough_verification_fields: must name at least one verified field');
});

rules('unknown fields are named at every level', async (context) => {
  await expectRejected(context, guidePerson({ favourite_colour: 'blue' }), 'favourite_colour: unknown field');
  await expectRejected(context, guidePerson({ person_details: { shoe_size: '9' } }), 'person_details.shoe_size: unknown field');
  await expectRejected(context, guidePerson({ person_details: { address: { address1: 'a', city: 'b', province: 'c', country: 'USA', planet: 'Earth' } } }),
    'person_details.address.planet: unknown field');
  await expectRejected(context, guidePerson({ customer_due_diligence: { mood: 'calm' } }), 'customer_due_diligence.mood: unknown field');
  await expectRejected(context, guidePerson({ status: 'APPROVED' }), 'status: unknown field');
});

rules('read-only sub-statuses in a create body are ignored, not trusted', async (context) => {
  const created = expectOk(await post(context, guidePerson({
    person_details: { verifier_type: 'MANUAL', id_verification_status: 'APPROVED', sanctions_verification_status: 'APPROVED',
      passthrough_verifier_type: undefined, passthrough_verified_at: undefined, passthrough_verification_id: undefined,
      passthrough_verification_status: undefined, passthrough_verification_fields: undefined },
  })), 'Identity');
  assert.is(created.summary_status, 'PENDING');
  assert.is(created.person_details.id_verification_status, 'PENDING');
});

rules('exactly one of person_details and institution_details', async (context) => {
  await expectRejected(context, { ref_id: 'nobody' }, 'person_details: one of person_details or institution_details is required');
  await expectRejected(context, guidePerson({ institution_details: { name: 'Acme' } }), 'institution_details: only one of person_details or institution_details may be sent');
  expectProblem(await post(context, ['not', 'an', 'object']), 400, 'body: a JSON object is required');
});

rules('institutions need members that exist, and valid institution enums', async (context) => {
  const base = { institution_details: { name: 'Acme Trust', institution_type: 'TRUST' } };
  await expectRejected(context, base, 'institution_members: an institution needs at least one member');
  await expectRejected(context, { ...base, institution_members: [{ identity_id: '5f1d1c2e-0000-4000-8000-000000000001', roles: ['TRUSTEE'] }] },
    'institution_members[0].identity_id: no identity with this id exists');
  const member = expectOk(await post(context, guidePerson()), 'Identity');
  await expectRejected(context, { ...base, institution_members: [{ identity_id: member.id, roles: ['KING'] }] }, 'institution_members[0].roles[0]: must be one of BENEFICIAL_OWNER');
  await expectRejected(context, { ...base, institution_members: [{ id: member.id, identity_id: member.id, roles: ['TRUSTEE'] }] }, 'institution_members[0].id: is assigned by Paxos');
  await expectRejected(context, { institution_details: { name: 'Acme', institution_type: 'COOP', cip_id_type: 'SSN_CARD', regulation_status: 'X', trading_type: 'Y', institution_sub_type: 'Z' },
    institution_members: [{ identity_id: member.id, roles: ['TRUSTEE'] }] },
  /institution_type: must be one of TRUST, CORPORATION, LLC, PARTNERSHIP.*cip_id_type: must be one of EIN, SSN, ITIN, REGISTRATION_NUMBER.*regulation_status.*trading_type.*institution_sub_type/);
});

rules('a duplicate ref_id is 409 already-exists naming the existing identity', async (context) => {
  const first = expectOk(await post(context, guidePerson()), 'Identity');
  const again = guidePerson({ ref_id: first.ref_id });
  const problem = expectProblem(await post(context, again), 409, 'duplicate ref_id provided');
  assert.equal(problem, {
    type: 'https://developer.paxos.com/docs/v2/problems/already-exists',
    title: 'Already Exists',
    status: 409,
    detail: 'duplicate ref_id provided',
    meta: { existing: { id: first.id } },
  });
});

rules('a duplicate (cip_id, cip_id_type, cip_id_country) is 409; another country is not a duplicate', async (context) => {
  const first = expectOk(await post(context, guidePerson()), 'Identity');
  const cipId = (await call(context.sandbox, 'GET', `${IDENTITIES}/${first.id}?include_details=true`, { token: context.token })).body.person_details.cip_id;
  const problem = expectProblem(await post(context, guidePerson({ person_details: { cip_id: cipId } })), 409,
    'duplicate (cip_id, cip_id_type, cip_id_country) provided');
  assert.equal(problem.meta, { existing: { id: first.id } });
  assert.not.ok(JSON.stringify(problem).includes(cipId));
  expectOk(await post(context, guidePerson({ person_details: { cip_id: cipId, cip_id_type: 'PASSPORT', cip_id_country: 'CAN', nationality: 'CAN' } })), 'Identity');
});

rules('an update that would duplicate another identity is 409 too', async (context) => {
  const first = expectOk(await post(context, guidePerson()), 'Identity');
  const second = expectOk(await post(context, guidePerson()), 'Identity');
  const result = await call(context.sandbox, 'PUT', `${IDENTITIES}/${second.id}`, { token: context.token, body: { ref_id: first.ref_id } });
  assert.equal(expectProblem(result, 409, 'duplicate ref_id provided').meta, { existing: { id: first.id } });
  const unknown = await call(context.sandbox, 'PUT', `${IDENTITIES}/${second.id}`, { token: context.token, body: { institution_members: [] } });
  expectProblem(unknown, 400, /^institution_members: cannot be changed here/);
});

rules('a ref_id changed by an update is taken by the identity from then on, and its old one is free', async (context) => {
  const first = expectOk(await post(context, guidePerson()), 'Identity');
  const renamed = `${first.ref_id}-renamed`;
  expectOk(await call(context.sandbox, 'PUT', `${IDENTITIES}/${first.id}`, { token: context.token, body: { ref_id: renamed } }), 'Identity');
  const taken = expectProblem(await post(context, guidePerson({ ref_id: renamed })), 409, 'duplicate ref_id provided');
  assert.equal(taken.meta, { existing: { id: first.id } });
  expectOk(await post(context, guidePerson({ ref_id: first.ref_id })), 'Identity');
});

rules.run();
