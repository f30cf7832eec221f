import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Problem } from '../../src/sandbox/http-types.js';
import { resolveProfile } from '../../src/sandbox/profiles.js';
import { expectOk, expectProblem } from './_expect.js';
import { call, getToken, startTestSandbox, type SandboxHandle } from './_helpers.js';

interface Context {
  sandbox: SandboxHandle;
  token: string;
}

const MISSING = '2f4c6e80-aaaa-4bbb-8ccc-dddddddddddd';

const profiles = suite<Context>('profiles');

profiles.before(async (context) => {
  context.sandbox = await startTestSandbox();
  context.token = await getToken(context.sandbox, ['funding:read_profile', 'funding:write_profile']);
});
profiles.after(async ({ sandbox }) => {
  await sandbox.close();
});

profiles('a new server has exactly one DEFAULT profile, nicknamed default, reachable by its alias', async (context) => {
  const list = expectOk(await call(context.sandbox, 'GET', '/v2/profiles', { token: context.token }), 'ProfileList');
  assert.is(list.items.length, 1);
  const [profile] = list.items;
  assert.equal(profile, { id: profile.id, nickname: 'default', type: 'DEFAULT' });
  const byAlias = expectOk(await call(context.sandbox, 'GET', '/v2/profiles/default', { token: context.token }), 'Profile');
  assert.equal(byAlias, profile);
  assert.equal(expectOk(await call(context.sandbox, 'GET', `/v2/profiles/${profile.id}`, { token: context.token }), 'Profile'), profile);
});

profiles('resolveProfile finds by id and alias and throws the Paxos 404', (context) => {
  const byAlias = resolveProfile(context.sandbox.state, 'default');
  assert.is(byAlias.type, 'DEFAULT');
  assert.is(resolveProfile(context.sandbox.state, byAlias.id), byAlias);
  try {
    resolveProfile(context.sandbox.state, MISSING);
    assert.unreachable('expected a Problem');
  } catch (error) {
    assert.instance(error, Problem);
    assert.equal((error as Problem).toJSON(), { type: 'about:blank', title: 'Not Found', status: 404, detail: `profile not found: ${MISSING}` });
  }
});

profiles('creates NORMAL profiles; a duplicate nickname is 409 with meta.existing', async (context) => {
  const created = expectOk(await call(context.sandbox, 'POST', '/v2/profiles', {
    token: context.token, body: { nickname: 'Trading Desk', description: 'desk funds' },
  }), 'Profile');
  assert.equal({ ...created, id: undefined }, { id: undefined, nickname: 'Trading Desk', type: 'NORMAL', description: 'desk funds' });
  const duplicate = await call(context.sandbox, 'POST', '/v2/profiles', { token: context.token, body: { nickname: 'trading desk' } });
  const problem = expectProblem(duplicate, 409);
  assert.is(problem.type, 'https://developer.paxos.com/docs/v2/problems/already-exists');
  assert.equal(problem.meta, { existing: { id: created.id, nickname: 'Trading Desk', type: 'NORMAL' } });
  const taken = await call(context.sandbox, 'POST', '/v2/profiles', { token: context.token, body: { nickname: 'default' } });
  assert.is(expectProblem(taken, 409).meta.existing.type, 'DEFAULT');
});

profiles('create validation', async (context) => {
  const bad = async (body: unknown, detail: string) =>
    expectProblem(await call(context.sandbox, 'POST', '/v2/profiles', { token: context.token, body }), 400, detail);
  await bad({}, 'nickname: required');
  await bad({ nickname: 7 }, 'nickname: must be a string');
  await bad({ nickname: '  ' }, 'nickname: must not be empty');
  await bad({ nickname: 'x', type: 'DEFAULT' }, 'type: unknown field');
});

profiles('an unknown profile is 404 profile not found', async (context) => {
  expectProblem(await call(context.sandbox, 'GET', `/v2/profiles/${MISSING}`, { token: context.token }), 404, `profile not found: ${MISSING}`);
});

profiles('lists oldest first, pages, and filters by nickname prefix and ids', async (context) => {
  for (const nickname of ['alpha-1', 'alpha-2', 'beta-1']) {
    await call(context.sandbox, 'POST', '/v2/profiles', { token: context.token, body: { nickname } });
  }
  const get = async (query: string) => expectOk(await call(context.sandbox, 'GET', `/v2/profiles${query}`, { token: context.token }), 'ProfileList');
  const everything = await get('');
  assert.equal(everything.items.map((item: any) => item.nickname), ['default', 'Trading Desk', 'alpha-1', 'alpha-2', 'beta-1']);
  const first = await get('?limit=2');
  assert.equal(first.items.map((item: any) => item.nickname), ['default', 'Trading Desk']);
  const second = await get(`?limit=2&page_cursor=${first.next_page_cursor}`);
  assert.equal(second.items.map((item: any) => item.nickname), ['alpha-1', 'alpha-2']);
  const third = await get(`?limit=2&page_cursor=${second.next_page_cursor}`);
  assert.equal(third.items.map((item: any) => item.nickname), ['beta-1']);
  assert.is(third.next_page_cursor, undefined);
  assert.equal((await get('?nickname=ALPHA')).items.map((item: any) => item.nickname), ['alpha-1', 'alpha-2']);
  const ids = everything.items.slice(3).map((item: any) => item.id);
  assert.equal((await get(`?ids=${ids[0]}&ids=${ids[1]}`)).items.map((item: any) => item.id), ids);
  assert.equal((await get('?order=DESC&limit=1')).items.map((item: any) => item.nickname), ['beta-1']);
  expectProblem(await call(context.sandbox, 'GET', '/v2/profiles?limit=1001', { token: context.token }), 400, 'limit must be between 1 and 1000');
});

profiles('reading needs funding:read_profile, creating funding:write_profile', async (context) => {
  const token = await getToken(context.sandbox, ['funding:read_profile']);
  const result = await call(context.sandbox, 'POST', '/v2/profiles', { token, body: { nickname: 'nope' } });
  expectProblem(result, 403, "insufficient scopes: found 'funding:read_profile', required one of '[funding:write_profile]'");
  const other = await getToken(context.sandbox, ['identity:read_identity']);
  expectProblem(await call(context.sandbox, 'GET', '/v2/profiles/default', { token: other }), 403, /required one of '\[funding:read_profile\]'$/);
});

profiles.run();
