// Shared steps of the trading tests: a funded, approved customer and small request wrappers.
import * as assert from 'uvu/assert';
import { call, getToken, guidePerson, pollUntil, type CallResult, type SandboxHandle } from './_helpers.js';
import { assertTradingSchema, type TradingSchema } from './_trading-schemas.js';

/** Asserts a JSON success with this status that matches the trading schema, and returns its body. */
export function expectTrading(result: CallResult, schema: TradingSchema, status = 200): any {
  assert.is(result.status, status, `expected HTTP ${status}, got ${result.status}: ${JSON.stringify(result.body)}`);
  assert.match(result.headers.get('content-type') ?? '', /^application\/json/);
  assertTradingSchema(schema, result.body);
  return result.body;
}

export interface Customer {
  token: string;
  identityId: string;
  accountId: string;
  profileId: string;
}

/** Creates the guide's person, waits until APPROVED, and opens a brokerage account with a profile. */
export async function onboard(sandbox: SandboxHandle, token?: string): Promise<Customer> {
  const bearer = token ?? (await getToken(sandbox));
  const created = await call(sandbox, 'POST', '/v2/identity/identities', { token: bearer, body: guidePerson() });
  assert.is(created.status, 200, JSON.stringify(created.body));
  const identityId: string = created.body.id;
  await pollUntil(async () => {
    const identity = await call(sandbox, 'GET', `/v2/identity/identities/${identityId}`, { token: bearer });
    return identity.body.summary_status === 'APPROVED' ? true : undefined;
  });
  const account = await call(sandbox, 'POST', '/v2/identity/accounts', {
    token: bearer,
    body: { create_profile: true, account: { identity_id: identityId, type: 'BROKERAGE', description: 'Brokerage account for Billy Duncan' } },
  });
  assert.is(account.status, 200, JSON.stringify(account.body));
  return { token: bearer, identityId, accountId: account.body.id, profileId: account.body.profile_id };
}

export async function deposit(sandbox: SandboxHandle, customer: Customer, asset: string, amount: string): Promise<void> {
  const result = await call(sandbox, 'POST', `/v2/sandbox/profiles/${customer.profileId}/deposit`, {
    token: customer.token,
    body: { asset, amount },
  });
  expectTrading(result, 'DepositResponse');
}

export async function balance(sandbox: SandboxHandle, customer: Customer, asset: string): Promise<{ available: string; trading: string }> {
  const result = await call(sandbox, 'GET', `/v2/profiles/${customer.profileId}/balances/${asset}`, { token: customer.token });
  const body = expectTrading(result, 'ProfileBalance');
  return { available: body.available, trading: body.trading };
}

export function placeOrder(sandbox: SandboxHandle, customer: Customer, body: Record<string, unknown>): Promise<CallResult> {
  return call(sandbox, 'POST', `/v2/profiles/${customer.profileId}/orders`, { token: customer.token, body });
}

/** Polls the order until its status is one of `statuses`; returns the order. */
export function waitForOrder(sandbox: SandboxHandle, customer: Customer, orderId: string, statuses: string[]): Promise<any> {
  return pollUntil(async () => {
    const result = await call(sandbox, 'GET', `/v2/profiles/${customer.profileId}/orders/${orderId}`, { token: customer.token });
    const order = expectTrading(result, 'Order');
    return statuses.includes(order.status) ? order : undefined;
  });
}

/** Places an order that must be accepted and waits for it to reach one of `statuses`. */
export async function placeAndSettle(sandbox: SandboxHandle, customer: Customer, body: Record<string, unknown>, statuses = ['FILLED']): Promise<any> {
  const created = expectTrading(await placeOrder(sandbox, customer, body), 'Order');
  assert.is(created.status, 'SUBMITTED');
  return waitForOrder(sandbox, customer, created.id, statuses);
}

/** The guide's order bodies, with the customer's identity and account. */
export const guideBuy = (customer: Customer) => ({
  side: 'BUY', market: 'ETHUSD', type: 'LIMIT', price: '1814.8', base_amount: '1',
  identity_id: customer.identityId, identity_account_id: customer.accountId,
});

export const guideSell = (customer: Customer) => ({
  side: 'SELL', market: 'ETHUSD', type: 'LIMIT', price: '1804.2', base_amount: '1',
  identity_id: customer.identityId, identity_account_id: customer.accountId,
});
