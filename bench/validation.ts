/**
 * Validation scaling: generated workflows of 10 to 10,000 steps, loaded and validated in-process
 * (loadWorkflow + validateWorkflow, the pure front half of `paxflow validate`). Each block of ten steps
 * is the onboarding guide with its own step ids and templates that point at the block's earlier steps,
 * so the schema, the reference checks and the template analysis all grow with the file.
 */

import { loadWorkflow, validateWorkflow } from '../src/workflow/index.js';
import { DEFAULT_MAX_BYTES } from '../src/workflow/index.js';
import { median, round } from './_stats.js';
import type { BenchContext, Figure, Row } from './_types.js';

const FIGURE = 'Validation scaling';
const SIZES = [10, 100, 1_000, 10_000] as const;
/** One repetition that takes longer than this is not repeated. */
const SLOW_RUN_MS = 20_000;

const block = (n: number): string => `
  - id: identity_${n}
    name: Create identity ${n}
    uses: createIdentity
    with:
      ref_id: "{{run.id}}-identity-${n}"
      person_details:
        verifier_type: PASSTHROUGH
        passthrough_verifier_type: JUMIO
        passthrough_verified_at: "2021-06-16T09:28:14Z"
        passthrough_verification_id: "{{uuid}}"
        passthrough_verification_status: APPROVED
        passthrough_verification_fields: [FULL_LEGAL_NAME, DATE_OF_BIRTH]
        first_name: Billy
        last_name: Duncan
        date_of_birth: "1960-01-01"
        address: { address1: 123 Main St, city: New York, province: NY, country: USA, zip_code: "10001" }
        nationality: USA
        cip_id: "{{test_ssn}}"
        cip_id_type: SSN
        cip_id_country: USA
  - id: approval_${n}
    uses: awaitApproval
    timeout: 2m
    with: { identity_id: "{{steps.identity_${n}.id}}" }
  - id: account_${n}
    uses: createAccount
    with:
      create_profile: true
      account: { identity_id: "{{steps.identity_${n}.id}}", ref_id: "{{run.id}}-account-${n}", type: BROKERAGE }
  - id: funding_${n}
    uses: fundProfile
    with: { profile_id: "{{steps.account_${n}.profile_id}}", asset: USD, amount: "{{vars.deposit}}" }
  - id: buy_${n}
    uses: placeOrder
    with:
      profile_id: "{{steps.account_${n}.profile_id}}"
      ref_id: "{{run.id}}-buy-${n}"
      side: BUY
      market: "{{vars.market}}"
      type: LIMIT
      price: "{{vars.buy_price}}"
      base_amount: "{{vars.quantity}}"
      identity_id: "{{steps.identity_${n}.id}}"
      identity_account_id: "{{steps.account_${n}.id}}"
  - id: buy_filled_${n}
    uses: awaitOrder
    timeout: 1m
    with: { profile_id: "{{steps.account_${n}.profile_id}}", order_id: "{{steps.buy_${n}.id}}" }
  - id: sell_${n}
    uses: placeOrder
    with:
      profile_id: "{{steps.account_${n}.profile_id}}"
      ref_id: "{{run.id}}-sell-${n}"
      side: SELL
      market: "{{vars.market}}"
      type: LIMIT
      price: "{{vars.sell_price}}"
      base_amount: "{{vars.quantity}}"
      identity_id: "{{steps.identity_${n}.id}}"
      identity_account_id: "{{steps.account_${n}.id}}"
  - id: sell_filled_${n}
    uses: awaitOrder
    with: { profile_id: "{{steps.account_${n}.profile_id}}", order_id: "{{steps.sell_${n}.id}}" }
  - id: balances_${n}
    uses: getBalances
    with: { profile_id: "{{steps.account_${n}.profile_id}}", assets: [USD, ETH] }
  - id: check_${n}
    uses: assert
    if: "{{vars.expected_usd}}"
    with:
      checks:
        - { actual: "{{steps.buy_filled_${n}.amount_filled}}", equals: "{{vars.quantity}}" }
        - { actual: "{{steps.balances_${n}.by_asset.USD.available}}", equals: "{{vars.expected_usd}}" }
`;

/** A valid workflow of `steps` steps (a multiple of 10). */
export const generateWorkflow = (steps: number): string => {
  const header = `version: 1
name: Generated workflow of ${steps} steps
vars:
  market: ETHUSD
  deposit: "10000"
  buy_price: "1814.8"
  sell_price: "1804.2"
  quantity: "1"
  expected_usd: "9990.44"
steps:`;
  const parts = [header];
  for (let n = 0; n < steps / 10; n += 1) parts.push(block(n));
  return parts.join('');
};

const validateOnce = (source: string, file: string): number => {
  const started = performance.now();
  const { diagnostics } = validateWorkflow(loadWorkflow(source, file, { maxBytes: Number.MAX_SAFE_INTEGER }), file);
  const ms = performance.now() - started;
  if (diagnostics.length > 0) throw new Error(`the generated ${file} does not validate: ${diagnostics.slice(0, 3).map((d) => `${d.code} ${d.line}:${d.col}`).join(', ')}`);
  return ms;
};

const measure = async (context: BenchContext): Promise<Row[]> => {
  const repeats: Record<number, number> = context.quick ? { 10: 5, 100: 3, 1000: 2, 10000: 1 } : { 10: 30, 100: 20, 1000: 15, 10000: 4 };
  // The first validation compiles the schemas; it is not what scales.
  validateOnce(generateWorkflow(10), 'warm-up.yaml');
  const medians: Record<number, number> = {};
  const bytes: Record<number, number> = {};
  for (const size of SIZES) {
    const source = generateWorkflow(size);
    bytes[size] = Buffer.byteLength(source);
    const times: number[] = [];
    for (let index = 0; index < repeats[size]!; index += 1) {
      const ms = validateOnce(source, `generated-${size}.yaml`);
      times.push(ms);
      if (ms > SLOW_RUN_MS) break;
    }
    medians[size] = median(times);
    context.log(`validation: ${size} steps (${Math.round(bytes[size]! / 1024)} KiB) in ${round(medians[size]!)} ms`);
  }
  const largest = medians[10_000]!;
  const growth = largest / medians[1_000]!;
  const shown = SIZES.map((size) => `${size.toLocaleString('en-US')}: ${round(medians[size]!)} ms`).join(', ');
  return [
    {
      figure: FIGURE,
      name: 'time for 10,000 steps / time for 1,000 steps',
      value: round(growth),
      unit: 'x',
      budget: { op: '<=', limit: 12 },
      note: shown,
      details: { medianMs: medians, bytes, repeats },
    },
    {
      figure: FIGURE,
      name: 'load + validate 10,000 steps',
      value: round(largest),
      unit: 'ms',
      budget: { op: '<', limit: 1_500 },
      note: `${(bytes[10_000]! / 2 ** 20).toFixed(1)} MiB of YAML, in-process${bytes[10_000]! > DEFAULT_MAX_BYTES ? `; \`paxflow validate\` refuses files over ${DEFAULT_MAX_BYTES / 2 ** 20} MiB` : ''}`,
    },
  ];
};

export const validationFigure: Figure = { id: 'validation', title: FIGURE, measure };
