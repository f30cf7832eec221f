import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Route } from '../../src/sandbox/http-types.js';
import { Router } from '../../src/sandbox/router.js';

const route = (method: Route['method'], path: string): Route => ({ method, path, scopes: 'public', handle: () => ({ body: path }) });

const router = suite('router');

const routes = [
  route('GET', '/v2/profiles/:profile_id'),
  route('GET', '/v2/profiles/:profile_id/orders/:id'),
  route('DELETE', '/v2/profiles/:profile_id/orders/:id'),
  route('GET', '/v2/profiles/special'),
  route('POST', '/v2/profiles'),
];

router('matches parameters and decodes them', () => {
  const match = new Router(routes).match('GET', '/v2/profiles/a%20b/orders/42');
  assert.is(match.kind, 'found');
  if (match.kind === 'found') assert.equal(match.params, { profile_id: 'a b', id: '42' });
});

router('prefers literal segments over parameters', () => {
  const match = new Router(routes).match('GET', '/v2/profiles/special');
  assert.is(match.kind === 'found' && match.route.path, '/v2/profiles/special');
});

router('reports the allowed methods of a known path', () => {
  assert.equal(new Router(routes).match('PUT', '/v2/profiles/p/orders/1'), { kind: 'wrong-method', allow: ['GET', 'DELETE'] });
});

router('does not match empty segments, extra segments or bad escapes', () => {
  const compiled = new Router(routes);
  assert.is(compiled.match('GET', '/v2/profiles/').kind, 'none');
  assert.is(compiled.match('GET', '/v2/profiles/a/b').kind, 'none');
  assert.is(compiled.match('GET', '/v2/profiles/%E0%A4%A').kind, 'none');
});

router('refuses two routes for the same method and path shape', () => {
  assert.throws(() => new Router([route('GET', '/v2/a/:x'), route('GET', '/v2/a/:y')]), /duplicate sandbox route/);
});

router.run();
