import { type DocumentType, DOCUMENT_TYPES, uploadedTypes } from './document-store.js';
import { recordEvent } from './events.js';
import type { IdentityRecord, SandboxState } from './state.js';
import { isPlainObject } from './validate.js';

/** One documented risk rule: a due-diligence answer that makes a person high risk, and what it asks for. */
export interface RiskRule {
  field: string;
  values: readonly string[];
  documents: readonly DocumentType[];
}

/**
 * The emulator's enhanced due diligence rules (docs/emulator.md). Paxos does not publish its own; these are
 * fixed so that a scenario can count on them. A person matching any rule needs every document type the
 * matching rules list before the automatic review may approve it.
 */
export const RISK_RULES: readonly RiskRule[] = [
  {
    field: 'expected_transfer_value',
    values: ['TRANSFER_VALUE_ABOVE_5M'],
    documents: ['TAX_IDENTIFICATION', 'PROOF_OF_RESIDENCY', 'PROOF_OF_FUNDS'],
  },
  {
    field: 'employment_industry_sector',
    values: ['ADULT_ENTERTAINMENT', 'DRUGS', 'GAMBLING', 'SHELL_BANK', 'WEAPONS'],
    documents: ['PROOF_OF_RESIDENCY', 'PROOF_OF_FUNDS'],
  },
];

/** The document types a person must upload before approval, in `DOCUMENT_TYPES` order; empty when not high risk. */
export function requiredDocuments(identity: IdentityRecord): DocumentType[] {
  if (identity.type !== 'PERSON') return [];
  const cdd = isPlainObject(identity.customer_due_diligence) ? identity.customer_due_diligence : {};
  const wanted = new Set<DocumentType>();
  for (const rule of RISK_RULES) {
    const answer = cdd[rule.field];
    if (typeof answer === 'string' && rule.values.includes(answer)) for (const type of rule.documents) wanted.add(type);
  }
  return DOCUMENT_TYPES.filter((type) => wanted.has(type));
}

/** Required document types not uploaded yet. */
export function missingDocuments(state: SandboxState, identity: IdentityRecord): DocumentType[] {
  const uploaded = uploadedTypes(state, identity.id);
  return requiredDocuments(identity).filter((type) => !uploaded.has(type));
}

/** Identities held for documents, per state: a later upload completing the set restarts their review. */
const held = new WeakMap<SandboxState, Set<string>>();

const heldOf = (state: SandboxState): Set<string> => {
  let ids = held.get(state);
  if (!ids) held.set(state, (ids = new Set()));
  return ids;
};

/** Whether the identity waits for documents after its automatic review held it. */
export const isHeldForDocuments = (state: SandboxState, identityId: string): boolean => heldOf(state).has(identityId);

/** Ids of the identities held for documents (for snapshots). */
export const heldForDocuments = (state: SandboxState): string[] => [...heldOf(state)];

/** Puts back holds a snapshot recorded. */
export function restoreHolds(state: SandboxState, identityIds: readonly string[]): void {
  for (const id of identityIds) heldOf(state).add(id);
}

/**
 * Called when the automatic review would approve: a high-risk person with documents missing stays PENDING
 * and an `identity.documents_required` event names the missing types (once per hold). True when held.
 */
export function holdForDocuments(state: SandboxState, identity: IdentityRecord): boolean {
  const missing = missingDocuments(state, identity);
  if (missing.length === 0) {
    heldOf(state).delete(identity.id);
    return false;
  }
  if (heldOf(state).has(identity.id)) return true;
  heldOf(state).add(identity.id);
  recordEvent(state, 'identity.documents_required', { identity_id: identity.id, required_documents: missing });
  return true;
}
