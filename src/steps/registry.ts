import type { StepDefinition } from './define.js';
import { assertStep } from './assert.js';
import { awaitApprovalStep } from './await-approval.js';
import { awaitEventStep } from './await-event.js';
import { awaitOrderStep } from './await-order.js';
import { cancelOrderStep } from './cancel-order.js';
import { createAccountStep } from './create-account.js';
import { createFiatDepositInstructionsStep } from './create-fiat-deposit-instructions.js';
import { createIdentityStep } from './create-identity.js';
import { fundProfileStep } from './fund-profile.js';
import { getAccountStep } from './get-account.js';
import { getBalancesStep } from './get-balances.js';
import { getIdentityStep } from './get-identity.js';
import { getOrderStep } from './get-order.js';
import { httpStep } from './http.js';
import { placeOrderStep } from './place-order.js';
import { sandboxFiatDepositStep } from './sandbox-fiat-deposit.js';
import { setIdentityStatusStep } from './set-identity-status.js';
import { uploadDocumentStep } from './upload-document.js';

/** Every step type paxflow knows. This is the only list; schema, docs and the engine read it. */
export const stepRegistry: readonly StepDefinition[] = [
  httpStep,
  assertStep,
  createIdentityStep,
  getIdentityStep,
  awaitApprovalStep,
  setIdentityStatusStep,
  awaitEventStep,
  uploadDocumentStep,
  createAccountStep,
  getAccountStep,
  fundProfileStep,
  createFiatDepositInstructionsStep,
  sandboxFiatDepositStep,
  getBalancesStep,
  placeOrderStep,
  getOrderStep,
  awaitOrderStep,
  cancelOrderStep,
];

const byType = new Map(stepRegistry.map((step) => [step.type, step]));

/** The step type named in `uses:`, or undefined. */
export const findStep = (type: string): StepDefinition | undefined => byType.get(type);

/** Names of every registered step type, in registry order. */
export const stepTypeNames = (): string[] => stepRegistry.map((step) => step.type);
