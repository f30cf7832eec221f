import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { expectOk, expectProblem } from './_expect.js';
import { call, getToken, guidePerson, pollUntil, startTestSandbox, type SandboxHandle } from './_helpers.js';

interface Context {
  sandbox: SandboxHandle;
  token: string;
  /** Ids in creation order: five approved-to-be persons, two denied, one institution. */
  ids: string[];
  approved: string[];
  denied: string[];
  institution: string;
  middle: string;
}

const list = async (context: Context, query: string) =>
  expectOk(await call(context.sandbox, 'GET', `/v2/identity/identities${query}`, { token: context.token }), 'IdentityList');

async function collect(context: Context, query: string): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const separator = query === '' ? '?' : '&';
    const page = await list(context, `${query}${cursor ? `${separator}page_cursor=${encodeURIComponent(cursor)}` : ''}`);
    ids.push(...page.items.map((item: any) => item.id));
    cursor = page.next_page_cursor;
    pages += 1;
    assert.ok(pages < 50);
  } while (cursor);
  return { ids, pages };
}

const identities = suite<Context>('identities: list, filters and pagination');

identities.before(async (context) => {
  context.sandbox = await startTestSandbox({ approvalDelayMs: 0 });
  context.token = await getToken(context.sandbox);
  context.ids = [];
  const post = async (body: Record<string, unknown>) =>
    (await call(context.sandbox, 'POST', '/v2/identity/identities', { token: context.token, body })).body.id as string;
  context.approved = [];
  for (let i = 0; i < 5; i += 1) context.approved.push(await post(guidePerson()));
  context.denied = [];
  for (let i = 0; i < 2; i += 1) context.denied.push(await post(guidePerson({ person_details: { passthrough_verification_status: 'DENIED' } })));
  context.institution = await post({
    institution_details: { name: 'Listing Co', institution_type: 'CORPORATION' },
    institution_members: [{ identity_id: context.approved[0], roles: ['ACCOUNT_OPENER'] }],
  });
  context.ids = [...context.approved, ...context.denied, context.institution];
  context.middle = context.sandbox.state.identities.get(context.denied[0]!)!.created_at as string;
  await pollUntil(async () => {
    const page = await list(context, '?summary_status=PENDING');
    return page.items.length === 1 ? true : undefined;
  });
});
identities.after(async ({ sandbox }) => {
  await sandbox.close();
});

identities('lists newest first by default, without details', async (context) => {
  const page = await list(context, '');
  assert.equal(page.items.map((item: any) => item.id), [...context.ids].reverse());
  assert.is(page.next_page_cursor, undefined);
  for (const item of page.items) assert.is(item.person_details, undefined);
});

identities('order=ASC lists oldest first', async (context) => {
  assert.equal((await list(context, '?order=ASC')).items.map((item: any) => item.id), context.ids);
});

identities('pages through every identity with an opaque cursor, in either order', async (context) => {
  const descending = await collect(context, '?limit=3');
  assert.equal(descending.ids, [...context.ids].reverse());
  assert.is(descending.pages, 3);
  const ascending = await collect(context, '?limit=2&order=ASC');
  assert.equal(ascending.ids, context.ids);
  assert.is(ascending.pages, 4);
  const first = await list(context, '?limit=2');
  assert.type(first.next_page_cursor, 'string');
  assert.not.ok(context.ids.some((id) => first.next_page_cursor.includes(id)));
});

identities('a page that ends exactly at the last item has no cursor', async (context) => {
  const page = await list(context, `?limit=${context.ids.length}`);
  assert.is(page.items.length, context.ids.length);
  assert.is(page.next_page_cursor, undefined);
});

identities('filters by summary_status and identity_type, also while paging', async (context) => {
  assert.equal((await collect(context, '?summary_status=APPROVED&limit=2&order=ASC')).ids, context.approved);
  assert.equal((await list(context, '?summary_status=DENIED&order=ASC')).items.map((item: any) => item.id), context.denied);
  assert.equal((await list(context, '?identity_type=INSTITUTION')).items.map((item: any) => item.id), [context.institution]);
  assert.is((await list(context, '?identity_type=PERSON')).items.length, 7);
});

identities('filters by created_at and updated_at bounds', async (context) => {
  const since = await list(context, `?order=ASC&created_at.gte=${encodeURIComponent(context.middle)}`);
  assert.equal(since.items.map((item: any) => item.id), [...context.denied, context.institution]);
  const before = await list(context, `?order=ASC&created_at.lt=${encodeURIComponent(context.middle)}`);
  assert.equal(before.items.map((item: any) => item.id), context.approved);
  const exact = await list(context, `?created_at.eq=${encodeURIComponent(context.middle)}`);
  assert.equal(exact.items.map((item: any) => item.id), [context.denied[0]]);
  const future = await list(context, '?updated_at.gt=2999-01-01T00:00:00Z');
  assert.equal(future.items, []);
});

identities('bad list parameters are 400 Problems', async (context) => {
  const bad = async (query: string, detail: string | RegExp) =>
    expectProblem(await call(context.sandbox, 'GET', `/v2/identity/identities${query}`, { token: context.token }), 400, detail);
  await bad('?summary_status=GREAT', /^summary_status: must be one of PENDING, ERROR, APPROVED, DENIED, DISABLED$/);
  await bad('?identity_type=ROBOT', 'identity_type: must be one of PERSON, INSTITUTION');
  await bad('?limit=0', 'limit must be between 1 and 1000');
  await bad('?limit=abc', 'limit must be between 1 and 1000');
  await bad('?order=UP', 'order: must be ASC or DESC');
  await bad('?order_by=NAME', 'order_by: must be CREATED_AT');
  await bad('?created_at.gt=yesterday', /^created_at\.gt: must be an RFC3339 timestamp/);
  await bad('?page_cursor=not-a-cursor', 'page_cursor: invalid cursor');
});

identities.run();
