import { createWithRefId } from '../paxos/create.js';
import { deriveRefId } from '../paxos/ref-id.js';
import { segment } from './_paxos.js';
import { defineStep } from './define.js';
import { createFiatDepositInstructionsInput, fiatDepositInstructionsOutput, type FiatDepositInstructions } from './schemas/fiat.js';

export interface CreateFiatDepositInstructionsInput {
  profile_id: string;
  fiat_network: string;
  identity_id?: string;
  account_id?: string;
  ref_id?: string;
  routing_number_type?: string;
  metadata?: Record<string, string>;
}

const INSTRUCTIONS_PATH = '/transfer/fiat-deposit-instructions';

export const createFiatDepositInstructionsStep = defineStep<CreateFiatDepositInstructionsInput, FiatDepositInstructions>({
  type: 'createFiatDepositInstructions',
  description:
    'Creates fiat deposit instructions for a profile (POST /transfer/fiat-deposit-instructions), exactly once per ref_id; the output\'s memo_id is what a deposit must carry.',
  input: createFiatDepositInstructionsInput,
  output: fiatDepositInstructionsOutput,
  scopes: ['transfer:write_fiat_deposit_instructions', 'transfer:read_fiat_deposit_instructions'],
  sandboxOnly: false,
  retrySafe: true,
  async run(input, context) {
    const refId = input.ref_id ?? deriveRefId(context.runId, context.stepId);
    const { value } = await createWithRefId<FiatDepositInstructions>(context.paxos, {
      path: INSTRUCTIONS_PATH,
      json: { ...input, ref_id: refId },
      signal: context.signal,
      onExchange: context.recordExchange,
      // `default` stands for the omnibus profile, whose real id the stored object carries.
      matches: (existing) => input.profile_id === 'default' || existing.profile_id === input.profile_id,
      lookup: async (ref, get) =>
        (await get<{ items?: FiatDepositInstructions[] }>(INSTRUCTIONS_PATH, { ref_ids: ref })).items?.find((item) => item.ref_id === ref),
      fetchExisting: (id, get) => get<FiatDepositInstructions>(`${INSTRUCTIONS_PATH}/${segment(id)}`),
    });
    return value;
  },
});
