import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { defineStep } from '../../src/steps/define.js';
import { sensitiveFieldNames } from '../../src/steps/sensitive.js';

const sensitive = suite('sensitiveFieldNames');

sensitive('collects the personal-data fields the Paxos step schemas mark', () => {
  const names = sensitiveFieldNames();
  for (const name of ['cip_id', 'date_of_birth', 'email', 'phone_number', 'first_name', 'last_name', 'tax_payer_id', 'passthrough_verification_id', 'address1']) {
    assert.ok(names.has(name), name);
  }
  for (const name of ['id', 'summary_status', 'profile_id', 'amount', 'market']) assert.not.ok(names.has(name), name);
});

sensitive('follows nested properties, list items, maps and combinators of inputs and outputs', () => {
  const step = defineStep({
    type: 'probe',
    description: 'probe',
    input: {
      type: 'object',
      properties: {
        list: { type: 'array', items: { type: 'object', properties: { a: { type: 'string', 'x-sensitive': true } } } },
        either: { anyOf: [{ type: 'object', properties: { b: { 'x-sensitive': true } } }, { type: 'string' }] },
        plain: { type: 'string', description: 'x-sensitive is only a word here' },
      },
    },
    output: { type: 'object', additionalProperties: { type: 'object', properties: { c: { 'x-sensitive': true } } } },
    scopes: [],
    sandboxOnly: false,
    retrySafe: true,
    run: async () => ({}),
  });
  assert.equal([...sensitiveFieldNames([step])].sort(), ['a', 'b', 'c']);
});

sensitive.run();
