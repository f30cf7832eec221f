import fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createAccountBody } from '../../src/sandbox/accounts.js';
import { DEPOSIT_FIELDS } from '../../src/sandbox/balances.js';
import { uploadBody } from '../../src/sandbox/documents.js';
import { createInstructionsBody, fiatDepositBody } from '../../src/sandbox/fiat.js';
import { createIdentityBody, sandboxStatusBody, updateIdentityBody } from '../../src/sandbox/identity-validation.js';
import { ORDER_FIELDS } from '../../src/sandbox/order-input.js';
import { createProfileBody } from '../../src/sandbox/profiles.js';
import type { Check } from '../../src/sandbox/validate.js';
import { call, getToken, guidePerson, startTestSandbox, type CallResult, type SandboxHandle } from './_helpers.js';
import { assertTradingSchema, type TradingSchema } from './_trading-schemas.js';
import { assertTransferSchema, type TransferSchemaName } from './_transfer-schemas.js';
import { onboard, deposit, type Customer } from './_trading.js';
import { assertSchema, type SchemaName } from './schemas.js';

type Path = Array<string | number>;

/** Every field path the emulator's own request rules describe, list entries as index 0, nested to `depth`. */
function fieldPaths(check: Check, prefix: Path = [], depth = 4): Path[] {
  const shape = check.shape;
  if (!shape || depth === 0) return [];
  if (shape.kind === 'object') {
    return Object.entries(shape.fields).flatMap(([key, field]) => [[...prefix, key], ...fieldPaths(field, [...prefix, key], depth - 1)]);
  }
  if (shape.kind === 'list') return [[...prefix, 0], ...fieldPaths(shape.item, [...prefix, 0], depth - 1)];
  return [];
}

const flat = (fields: ReadonlySet<string>): Path[] => [...fields].map((field) => [field]);

/** `base` with `value` at `path`, parents made objects or arrays as the path needs. */
function withValue(base: Record<string, unknown>, path: Path, value: unknown): Record<string, unknown> {
  const body = structuredClone(base);
  let node: any = body;
  path.forEach((key, index) => {
    if (index === path.length - 1) {
      node[key] = value;
      return;
    }
    const next = path[index + 1];
    const wanted = typeof next === 'number' ? Array.isArray(node[key]) : node[key] !== null && typeof node[key] === 'object' && !Array.isArray(node[key]);
    if (!wanted) node[key] = typeof next === 'number' ? [] : {};
    node = node[key];
  });
  return body;
}

const nullPaths = (value: unknown, path = ''): string[] =>
  value === null ? [path] : typeof value === 'object' ? Object.entries(value as object).flatMap(([key, entry]) => nullPaths(entry, `${path}.${key}`)) : [];

/** Null, empty and wrong-typed values: what a fuzzer driven by the API description sends. */
const hostile = fc.constantFrom<unknown>(null, '', ' ', 0, -1, 1.5, 1e21, true, false, [], {}, [null], { a: null }, 'x', 'x'.repeat(600), '2020-02-30', '\u0000');

interface Operation {
  name: string;
  method: 'POST' | 'PUT';
  path: (context: Context) => string;
  base: (context: Context) => Record<string, unknown>;
  paths: Path[];
  schema: { kind: 'core'; name: SchemaName } | { kind: 'trading'; name: TradingSchema } | { kind: 'transfer'; name: TransferSchemaName };
}

const FUZZ_WIRE = {
  account_number: '1',
  fiat_account_owner_address: { country: 'USA' },
  routing_details: { routing_number_type: 'ABA', routing_number: '1', bank_name: 'Bank', bank_address: { country: 'USA' } },
};

interface Context {
  sandbox: SandboxHandle;
  token: string;
  customer: Customer;
  serial: number;
  memoId: string;
}

const operations: Operation[] = [
  {
    name: 'CreateIdentity', method: 'POST', path: () => '/v2/identity/identities', base: () => guidePerson(),
    paths: fieldPaths(createIdentityBody), schema: { kind: 'core', name: 'Identity' },
  },
  {
    name: 'UpdateIdentity', method: 'PUT', path: ({ customer }) => `/v2/identity/identities/${customer.identityId}`, base: () => ({}),
    paths: fieldPaths(updateIdentityBody), schema: { kind: 'core', name: 'Identity' },
  },
  {
    name: 'SandboxSetIdentityStatus', method: 'PUT', path: ({ customer }) => `/v2/identity/identities/${customer.identityId}/sandbox-status`,
    base: () => ({ sanctions_verification_status: 'APPROVED' }), paths: fieldPaths(sandboxStatusBody), schema: { kind: 'core', name: 'Empty' },
  },
  {
    name: 'CreateAccount', method: 'POST', path: () => '/v2/identity/accounts',
    base: ({ customer }) => ({ create_profile: true, account: { identity_id: customer.identityId, type: 'BROKERAGE' } }),
    paths: fieldPaths(createAccountBody), schema: { kind: 'core', name: 'Account' },
  },
  {
    name: 'CreateProfile', method: 'POST', path: () => '/v2/profiles', base: (context) => ({ nickname: `fuzz-${(context.serial += 1)}` }),
    paths: fieldPaths(createProfileBody), schema: { kind: 'core', name: 'Profile' },
  },
  {
    name: 'CreateOrder', method: 'POST', path: ({ customer }) => `/v2/profiles/${customer.profileId}/orders`,
    base: () => ({ side: 'BUY', market: 'ETHUSD', type: 'LIMIT', base_amount: '0.001', price: '1' }),
    paths: flat(ORDER_FIELDS), schema: { kind: 'trading', name: 'Order' },
  },
  {
    name: 'CreateSandboxDeposit', method: 'POST', path: ({ customer }) => `/v2/sandbox/profiles/${customer.profileId}/deposit`,
    base: () => ({ asset: 'USD', amount: '1' }), paths: flat(DEPOSIT_FIELDS), schema: { kind: 'trading', name: 'DepositResponse' },
  },
  {
    name: 'DocumentUpload', method: 'PUT', path: ({ customer }) => `/v2/identity/identities/${customer.identityId}/documents`,
    base: () => ({ name: 'a.pdf', document_types: ['OTHER_DOCUMENTS'] }), paths: fieldPaths(uploadBody), schema: { kind: 'transfer', name: 'DocumentUpload' },
  },
  {
    name: 'CreateFiatDepositInstructions', method: 'POST', path: () => '/v2/transfer/fiat-deposit-instructions',
    base: ({ customer }) => ({ profile_id: customer.profileId, fiat_network: 'WIRE' }), paths: fieldPaths(createInstructionsBody),
    schema: { kind: 'transfer', name: 'FiatDepositInstructions' },
  },
  {
    name: 'InitiateSandboxFiatDeposit', method: 'POST', path: () => '/v2/sandbox/fiat-deposits',
    base: ({ memoId }) => ({ amount: '1', asset: 'USD', memo_id: memoId, fiat_network_instructions: { wire: FUZZ_WIRE } }),
    paths: fieldPaths(fiatDepositBody), schema: { kind: 'core', name: 'Empty' },
  },
];

/** Whatever was sent: never a server error, a success matches the response schema with no null in it, a refusal is a Problem. */
function checkAnswer(operation: Operation, sent: unknown, result: CallResult): void {
  const label = `${operation.name} ${JSON.stringify(sent).slice(0, 300)} -> ${result.status} ${JSON.stringify(result.body).slice(0, 300)}`;
  assert.ok(result.status < 500, label);
  if (result.status >= 400) {
    assert.match(result.headers.get('content-type') ?? '', /^application\/problem\+json/, label);
    assertSchema('Problem', result.body);
    return;
  }
  assert.is(result.status, 200, label);
  if (operation.schema.kind === 'core') assertSchema(operation.schema.name, result.body);
  else if (operation.schema.kind === 'trading') assertTradingSchema(operation.schema.name, result.body);
  else assertTransferSchema(operation.schema.name, result.body);
  assert.equal(nullPaths(result.body), [], label);
}

const rules = suite<Context>('sandbox: the request rules, walked with null, empty and wrong-typed values');

rules.before(async (context) => {
  context.sandbox = await startTestSandbox({ approvalDelayMs: 0 });
  context.token = await getToken(context.sandbox);
  context.customer = await onboard(context.sandbox, context.token);
  context.serial = 0;
  await deposit(context.sandbox, context.customer, 'USD', '1000000');
  const instructions = await call(context.sandbox, 'POST', '/v2/transfer/fiat-deposit-instructions', {
    token: context.token, body: { profile_id: context.customer.profileId, fiat_network: 'WIRE' },
  });
  context.memoId = instructions.body.memo_id;
});
rules.after(async ({ sandbox }) => {
  await sandbox.close();
});

const send = (context: Context, operation: Operation, body: unknown) =>
  call(context.sandbox, operation.method, operation.path(context), { token: context.token, body });

rules('the walk reaches the nested fields the fuzzer found bugs in', () => {
  const identityPaths = operations[0]!.paths.map((path) => path.join('.'));
  for (const path of ['tax_details.0.tax_payer_country', 'person_details.address.address2', 'customer_due_diligence.aliases.0']) {
    assert.ok(identityPaths.includes(path), path);
  }
  assert.ok(operations[4]!.paths.some((path) => path.join('.') === 'description'));
});

rules('null at every field of every body is answered as if the field were absent, or refused as required', async (context) => {
  for (const operation of operations) {
    for (const path of operation.paths) {
      const body = withValue(operation.base(context), path, null);
      const result = await send(context, operation, body);
      checkAnswer(operation, body, result);
      if (result.status === 400) {
        assert.not.match(String(result.body.detail), /must be (a|an|one|true)/, `${operation.name} ${path.join('.')}: null was checked as a value: ${result.body.detail}`);
      }
    }
  }
});

rules('random null, empty and wrong-typed values at random fields never break a response schema', async (context) => {
  for (const [index, operation] of operations.entries()) {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...operation.paths), hostile, fc.option(fc.tuple(fc.constantFrom(...operation.paths), hostile)), async (path, value, second) => {
        let body = withValue(operation.base(context), path, value);
        if (second) body = withValue(body, second[0], second[1]);
        checkAnswer(operation, body, await send(context, operation, body));
      }),
      { numRuns: 120, seed: 1700 + index },
    );
  }
});

rules.run();
