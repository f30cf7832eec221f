import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { StepDefinition } from '../../src/steps/define.js';
import { createIdentityStep } from '../../src/steps/create-identity.js';
import { placeOrderStep } from '../../src/steps/place-order.js';
import { stepRegistry } from '../../src/steps/registry.js';
import { compileSchema } from '../../src/workflow/ajv.js';
import { compileStepInput } from '../../src/workflow/step-input.js';
import { guideIdentityBody } from './_setup.js';

const PAXOS_STEPS = [
  'createIdentity', 'getIdentity', 'awaitApproval', 'setIdentityStatus', 'createAccount', 'getAccount',
  'fundProfile', 'getBalances', 'placeOrder', 'getOrder', 'awaitOrder', 'cancelOrder',
];
const steps = PAXOS_STEPS.map((type) => stepRegistry.find((step) => step.type === type)!);

/** Raw ajv errors of an input, from the process-wide Ajv instance the engine uses. */
const errorsOf = (step: StepDefinition, input: unknown) => {
  const validate = compileSchema(step.input);
  return validate(input) ? [] : (validate.errors ?? []);
};

/** Every object schema below `schema` with its path, following properties, items and subschemas. */
const objectSchemas = (schema: unknown, path = '', found: Array<[string, Record<string, any>]> = []) => {
  if (typeof schema !== 'object' || schema === null) return found;
  const node = schema as Record<string, any>;
  if (node.properties) found.push([path, node]);
  for (const [key, child] of Object.entries(node.properties ?? {})) objectSchemas(child, `${path}/${key}`, found);
  if (node.items) objectSchemas(node.items, `${path}[]`, found);
  return found;
};

const test = suite('step schemas');

test('every Paxos step type is registered once', () => {
  assert.equal(steps.map((step) => step?.type), PAXOS_STEPS);
  assert.is(new Set(stepRegistry.map((step) => step.type)).size, stepRegistry.length);
});

test('every input and output schema compiles with the shared strict Ajv instance', () => {
  for (const step of steps) {
    assert.type(compileSchema(step.input), 'function', `${step.type} input`);
    assert.type(compileSchema(step.output), 'function', `${step.type} output`);
  }
});

test('inputs are closed and every input property is described; outputs are documented objects', () => {
  for (const step of steps) {
    assert.ok(step.description.length > 20, step.type);
    for (const [path, node] of objectSchemas(step.input)) {
      assert.is(node.additionalProperties, false, `${step.type} input object ${path || '(top)'} must be closed`);
      for (const [key, child] of Object.entries(node.properties as Record<string, any>)) {
        assert.type(child.description, 'string', `${step.type} ${path}/${key} needs a description`);
      }
    }
    assert.ok(Object.keys((step.output.properties as object) ?? {}).length > 0, `${step.type} output lists its fields`);
  }
});

test('personal data is marked x-sensitive', () => {
  const person = (createIdentityStep.input.properties as any).person_details.properties;
  for (const field of ['first_name', 'last_name', 'middle_name', 'date_of_birth', 'cip_id', 'govt_id', 'email', 'phone_number', 'passthrough_verification_id']) {
    assert.is(person[field]['x-sensitive'], true, field);
  }
  for (const field of ['address1', 'address2', 'city', 'zip_code']) assert.is(person.address.properties[field]['x-sensitive'], true, field);
  const tax = (createIdentityStep.input.properties as any).tax_details.items.properties;
  assert.is(tax.tax_payer_id['x-sensitive'], true);
  assert.is(person.verifier_type['x-sensitive'], undefined);
});

test('the onboarding guide\'s identity body validates as createIdentity input', () => {
  assert.equal(errorsOf(createIdentityStep, guideIdentityBody()), []);
});

test('an institution with members validates', () => {
  const institution = {
    institution_details: {
      name: 'Acme Trading LLC', institution_type: 'LLC', institution_sub_type: 'CRYPTO', cip_id: '12-3456789', cip_id_type: 'EIN',
      cip_id_country: 'USA', business_address: { country: 'USA', address1: '1 Main St', city: 'Austin', province: 'TX' },
    },
    institution_members: [{ identity_id: '6b2a9d3e-7c1f-4e8a-9b5d-2f4c6e8a0b1c', roles: ['BENEFICIAL_OWNER'], ownership: '51' }],
    tax_details_not_required: true,
  };
  assert.equal(errorsOf(createIdentityStep, institution), []);
  const { institution_members: _members, ...alone } = institution;
  assert.ok(errorsOf(createIdentityStep, alone).some((error) => error.params.missingProperty === 'institution_members'));
});

test('a bad enum, an unknown key, a missing passthrough field and a bad date are rejected', () => {
  const body = guideIdentityBody();
  const badEnum = { ...body, customer_due_diligence: { ...body.customer_due_diligence, employment_status: 'EMPLOYED' } };
  const enumErrors = errorsOf(createIdentityStep, badEnum);
  assert.ok(enumErrors.some((error) => error.keyword === 'enum' && error.instancePath === '/customer_due_diligence/employment_status'));

  const unknown = errorsOf(createIdentityStep, { ...body, person_details: { ...body.person_details, firstname: 'Billy' } });
  assert.ok(unknown.some((error) => error.keyword === 'additionalProperties' && error.params.additionalProperty === 'firstname'));

  const { passthrough_verified_at: _at, ...withoutAt } = body.person_details;
  const missing = errorsOf(createIdentityStep, { ...body, person_details: withoutAt });
  assert.ok(missing.some((error) => error.params.missingProperty === 'passthrough_verified_at'));

  const badDate = errorsOf(createIdentityStep, { ...body, person_details: { ...body.person_details, date_of_birth: '01/01/1960' } });
  assert.ok(badDate.some((error) => error.instancePath === '/person_details/date_of_birth'));
  // Calendar-checked formats, not just patterns: no 30 February, no month 13.
  const impossibleDay = errorsOf(createIdentityStep, { ...body, person_details: { ...body.person_details, date_of_birth: '1960-02-30' } });
  assert.ok(impossibleDay.some((error) => error.keyword === 'format' && error.instancePath === '/person_details/date_of_birth'));
  const impossibleTime = errorsOf(createIdentityStep, { ...body, person_details: { ...body.person_details, passthrough_verified_at: '2021-13-16T09:28:14Z' } });
  assert.ok(impossibleTime.some((error) => error.keyword === 'format' && error.instancePath === '/person_details/passthrough_verified_at'));

  assert.ok(errorsOf(createIdentityStep, { ...body, institution_details: { name: 'Both' } }).length > 0, 'person and institution at once');
});

const order = {
  profile_id: '6b2a9d3e-7c1f-4e8a-9b5d-2f4c6e8a0b1c',
  side: 'BUY',
  market: 'ETHUSD',
  type: 'LIMIT',
  price: '1814.8',
  base_amount: '1',
  identity_id: '0d4f0a4e-1b7c-4f3e-8a2d-9c6b5e4d3a21',
  identity_account_id: '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b',
};

test('the guide\'s order body validates as placeOrder input', () => {
  assert.equal(errorsOf(placeOrderStep, order), []);
  assert.equal(errorsOf(placeOrderStep, { ...order, side: 'SELL', price: '1804.2' }), []);
  assert.equal(errorsOf(placeOrderStep, { profile_id: order.profile_id, side: 'BUY', market: 'ETHUSD', type: 'MARKET', quote_amount: '100.50' }), []);
});

test('amounts given as numbers are rejected with a message that says to quote them', () => {
  const problems = compileStepInput(placeOrderStep)({ ...order, price: 1814.8, base_amount: 1 });
  assert.equal(problems.map((problem) => `${problem.code} ${problem.path}`).sort(), ['WRONG_TYPE with.base_amount', 'WRONG_TYPE with.price']);
  assert.ok(problems.every((problem) => /quote/i.test(problem.message)));
  assert.match((placeOrderStep.input.properties as any).price.description, /quote it/i);
});

test('order rules: market buy needs quote_amount, limit needs price, identity ids go together', () => {
  const marketBuy = errorsOf(placeOrderStep, { profile_id: order.profile_id, side: 'BUY', market: 'ETHUSD', type: 'MARKET', base_amount: '1' });
  assert.ok(marketBuy.some((error) => error.params.missingProperty === 'quote_amount'));
  const { price: _price, ...noPrice } = order;
  assert.ok(errorsOf(placeOrderStep, noPrice).some((error) => error.params.missingProperty === 'price'));
  const { identity_account_id: _account, ...half } = order;
  assert.ok(errorsOf(placeOrderStep, half).some((error) => error.params.missingProperty === 'identity_account_id'));
  assert.ok(errorsOf(placeOrderStep, { ...order, time_in_force: 'GTT' }).some((error) => error.params.missingProperty === 'expiration_date'));
  assert.ok(errorsOf(placeOrderStep, { ...order, side: 'HOLD' }).some((error) => error.keyword === 'enum'));
});

test('scopes, sandboxOnly and retrySafe follow the API', () => {
  const byType = Object.fromEntries(steps.map((step) => [step.type, step]));
  assert.equal(byType.createIdentity!.scopes, ['identity:write_identity', 'identity:read_identity']);
  assert.equal(byType.placeOrder!.scopes, ['exchange:write_order', 'exchange:read_order']);
  assert.equal(steps.filter((step) => step.sandboxOnly).map((step) => step.type), ['setIdentityStatus', 'fundProfile']);
  assert.equal(steps.filter((step) => !step.retrySafe).map((step) => step.type), ['fundProfile']);
});

test.run();
