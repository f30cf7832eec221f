import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { expectOk, expectProblem } from './_expect.js';
import { call, getToken, guidePerson, startTestSandbox, type SandboxHandle } from './_helpers.js';

interface Context {
  sandbox: SandboxHandle;
  token: string;
  holder: string;
  owner: string;
}

const ACCOUNTS = '/v2/identity/accounts';
const MISSING = '0b9d6a1e-1111-4222-8333-944455556666';

const createAccount = (context: Context, body: unknown, headers?: Record<string, string>) =>
  call(context.sandbox, 'POST', ACCOUNTS, { token: context.token, body, ...(headers ? { headers } : {}) });

const accounts = suite<Context>('accounts');

accounts.before(async (context) => {
  context.sandbox = await startTestSandbox({ approvalDelayMs: 0 });
  context.token = await getToken(context.sandbox, [
    'identity:read_identity', 'identity:write_identity', 'identity:read_account', 'identity:write_account', 'funding:read_profile',
  ]);
  const person = async () =>
    (await call(context.sandbox, 'POST', '/v2/identity/identities', { token: context.token, body: guidePerson() })).body.id as string;
  context.holder = await person();
  context.owner = await person();
});
accounts.after(async ({ sandbox }) => {
  await sandbox.close();
});

accounts('the guide account + profile: a flat Account with profile_id of a NORMAL profile', async (context) => {
  const result = await createAccount(context, {
    create_profile: true,
    account: { identity_id: context.holder, ref_id: 'acct-billy-1', type: 'BROKERAGE', description: 'Brokerage account for Billy Duncan' },
  }, { 'content-type': 'application/x-www-form-urlencoded' });
  const account = expectOk(result, 'Account');
  assert.is(account.identity_id, context.holder);
  assert.is(account.ref_id, 'acct-billy-1');
  assert.is(account.type, 'BROKERAGE');
  assert.is(account.description, 'Brokerage account for Billy Duncan');
  assert.equal(account.members, []);
  assert.equal(account.metadata, {});
  assert.is(account.user_disabled, false);
  assert.is(account.admin_disabled, false);
  assert.type(account.profile_id, 'string');

  const profile = expectOk(await call(context.sandbox, 'GET', `/v2/profiles/${account.profile_id}`, { token: context.token }), 'Profile');
  assert.is(profile.type, 'NORMAL');
  assert.is(profile.account_id, account.id);
  assert.equal(expectOk(await call(context.sandbox, 'GET', `${ACCOUNTS}/${account.id}`, { token: context.token }), 'Account'), account);
});

accounts('without create_profile there is no profile_id and no new profile', async (context) => {
  const before = context.sandbox.state.profiles.size;
  const account = expectOk(await createAccount(context, { account: { identity_id: context.holder, metadata: { crm: '7' } } }), 'Account');
  assert.is(account.profile_id, undefined);
  assert.is(account.type, 'BROKERAGE');
  assert.equal(account.metadata, { crm: '7' });
  assert.is(context.sandbox.state.profiles.size, before);
});

accounts('the beneficial-owner variant stores members with server ids', async (context) => {
  const account = expectOk(await createAccount(context, {
    create_profile: true,
    account: {
      identity_id: context.holder, ref_id: 'acct-joint-1', type: 'BROKERAGE', description: 'Brokerage account for John Doe',
      members: [{ identity_id: context.owner, roles: ['BENEFICIAL_OWNER'] }],
    },
  }), 'Account');
  assert.is(account.members.length, 1);
  assert.is(account.members[0].identity_id, context.owner);
  assert.equal(account.members[0].roles, ['BENEFICIAL_OWNER']);
  assert.type(account.members[0].id, 'string');
  assert.type(account.profile_id, 'string');
});

accounts('summary_status follows the account holder', async (context) => {
  const account = expectOk(await createAccount(context, { account: { identity_id: context.holder } }), 'Account');
  const identity = context.sandbox.state.identities.get(context.holder)!;
  assert.is(account.summary_status, identity.summary_status);
});

accounts('missing identities: 404 for the holder, 404 naming the member index', async (context) => {
  expectProblem(await createAccount(context, { account: { identity_id: MISSING } }), 404, `identity not found: ${MISSING}`);
  const result = await createAccount(context, {
    account: { identity_id: context.holder, members: [{ identity_id: context.owner, roles: ['AUTHORIZED_USER'] }, { identity_id: MISSING, roles: ['BENEFICIAL_OWNER'] }] },
  });
  expectProblem(result, 404, `account.members[1].identity_id: identity not found: ${MISSING}`);
});

accounts('validation: required fields, enums, unknown and server-set fields', async (context) => {
  const bad = async (body: unknown, detail: string | RegExp) => expectProblem(await createAccount(context, body), 400, detail);
  await bad({ create_profile: true }, 'account: required');
  await bad({ account: {} }, 'account.identity_id: required');
  await bad({ account: { identity_id: 'abc' } }, 'account.identity_id: must be a UUID');
  await bad({ account: { identity_id: context.holder, type: 'CHECKING' } }, 'account.type: must be one of BROKERAGE, TRADITIONAL_IRA, ROTH_IRA, SEP_IRA, FINANCIAL_ADVISOR');
  await bad({ account: { identity_id: context.holder, nickname: 'x' } }, 'account.nickname: unknown field');
  await bad({ account: { identity_id: context.holder, profile_id: MISSING } }, 'account.profile_id: is set by Paxos and must not be sent');
  await bad({ account: { identity_id: context.holder }, open: true }, 'open: unknown field');
  await bad({ account: { identity_id: context.holder }, create_profile: 'yes' }, 'create_profile: must be true or false');
  await bad({ account: { identity_id: context.holder, members: [{ identity_id: context.owner, roles: ['OWNER'] }] } },
    'account.members[0].roles[0]: must be one of BENEFICIAL_OWNER, AUTHORIZED_USER, FINANCIAL_ADVISOR');
  await bad({ account: { identity_id: context.holder, members: [{ identity_id: context.owner, roles: [] }] } }, 'account.members[0].roles: must have at least one entry');
  await bad({ account: { identity_id: context.holder, members: [{ id: MISSING, identity_id: context.owner, roles: ['AUTHORIZED_USER'] }] } },
    'account.members[0].id: is assigned by Paxos and must not be sent');
});

accounts('a duplicate ref_id is 409 with meta.existing.id', async (context) => {
  const first = expectOk(await createAccount(context, { account: { identity_id: context.holder, ref_id: 'acct-dup' } }), 'Account');
  const problem = expectProblem(await createAccount(context, { account: { identity_id: context.owner, ref_id: 'acct-dup' } }), 409, 'duplicate ref_id provided');
  assert.is(problem.type, 'https://developer.paxos.com/docs/v2/problems/already-exists');
  assert.equal(problem.meta, { existing: { id: first.id } });
});

accounts('GET of an unknown account is 404', async (context) => {
  expectProblem(await call(context.sandbox, 'GET', `${ACCOUNTS}/${MISSING}`, { token: context.token }), 404, `account not found: ${MISSING}`);
});

accounts('lists accounts newest first, filtered by identity_id, across pages', async (context) => {
  const mine: string[] = [];
  for (let i = 0; i < 3; i += 1) {
    mine.push(expectOk(await createAccount(context, { account: { identity_id: context.owner, ref_id: `owner-acct-${i}` } }), 'Account').id);
  }
  const ids: string[] = [];
  let cursor = '';
  for (let page = 0; page < 10; page += 1) {
    const query = `?identity_id=${context.owner}&limit=2${cursor ? `&page_cursor=${cursor}` : ''}`;
    const result = expectOk(await call(context.sandbox, 'GET', `${ACCOUNTS}${query}`, { token: context.token }), 'AccountList');
    ids.push(...result.items.map((item: any) => item.id));
    if (!result.next_page_cursor) break;
    cursor = result.next_page_cursor;
  }
  assert.equal(ids, [...mine].reverse());
  const all = expectOk(await call(context.sandbox, 'GET', `${ACCOUNTS}?order=ASC`, { token: context.token }), 'AccountList');
  assert.equal(all.items.slice(-3).map((item: any) => item.id), mine);
  expectProblem(await call(context.sandbox, 'GET', `${ACCOUNTS}?identity_id=nope`, { token: context.token }), 400, 'identity_id: must be a UUID');
});

accounts('account routes need the account scopes', async (context) => {
  const token = await getToken(context.sandbox, ['identity:read_identity']);
  const result = await call(context.sandbox, 'POST', ACCOUNTS, { token, body: { account: { identity_id: context.holder } } });
  expectProblem(result, 403, "insufficient scopes: found 'identity:read_identity', required one of '[identity:write_account]'");
  expectProblem(await call(context.sandbox, 'GET', ACCOUNTS, { token }), 403, /required one of '\[identity:read_account\]'$/);
});

accounts.run();
