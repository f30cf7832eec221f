import { DOCUMENT_TYPES, documentsOf, type DocumentRecord } from './document-store.js';
import { instructionsOf, type InstructionsRecord } from './fiat.js';
import { heldForDocuments, restoreHolds } from './risk.js';
import type { SandboxState } from './state.js';
import { transfersOf, type TransferRecord } from './transfers.js';
import { type Check, Issues, dateTime, isPlainObject, join, listOf, objectOf, oneOf, str, stringMap } from './validate.js';

/**
 * The parts of a snapshot for enhanced due diligence and fiat funding. Each is optional, so a snapshot
 * taken before they existed still restores.
 */
export interface SnapshotFunding {
  /** Document slots, with the facts of the file once it was uploaded (never its bytes). */
  documents?: DocumentRecord[];
  /** Identities whose automatic review waits for documents. */
  held_for_documents?: string[];
  fiat_deposit_instructions?: InstructionsRecord[];
  /** Oldest first. */
  transfers?: TransferRecord[];
}

export function takeFunding(state: SandboxState): SnapshotFunding {
  return {
    documents: structuredClone([...documentsOf(state).values()]),
    held_for_documents: heldForDocuments(state),
    fiat_deposit_instructions: structuredClone(instructionsOf(state)),
    transfers: structuredClone(transfersOf(state)),
  };
}

/** Loads the parts into a fresh state; before pending reviews run, which read documents and holds. */
export function restoreFunding(state: SandboxState, snapshot: SnapshotFunding): void {
  for (const record of structuredClone(snapshot.documents ?? [])) documentsOf(state).set(record.file_id, record);
  restoreHolds(state, snapshot.held_for_documents ?? []);
  instructionsOf(state).push(...structuredClone(snapshot.fiat_deposit_instructions ?? []));
  transfersOf(state).push(...structuredClone(snapshot.transfers ?? []));
}

const text = str();
const decimal: Check = (value, path, issues) => {
  if (typeof value !== 'string' || !/^[0-9]*\.?[0-9]+$/.test(value)) issues.add(path, 'must be a decimal string');
};
const size: Check = (value, path, issues) => {
  if (!Number.isSafeInteger(value) || (value as number) < 1) issues.add(path, 'must be a whole number above 0');
};

/** The shapes of the parts, for the snapshot's own closed shape. */
export const fundingShape: Record<keyof SnapshotFunding, Check> = {
  documents: listOf(objectOf({
    fields: {
      file_id: text, identity_id: text, name: text, document_types: listOf(oneOf(DOCUMENT_TYPES)), created_at: dateTime, token: text,
      file: objectOf({ fields: { size, media_type: text, sha256: text, uploaded_at: dateTime }, required: ['size', 'media_type', 'sha256', 'uploaded_at'] }),
    },
    required: ['file_id', 'identity_id', 'name', 'document_types', 'created_at', 'token'],
  })),
  held_for_documents: listOf(text),
  fiat_deposit_instructions: listOf(objectOf({
    fields: {
      id: text, profile_id: text, identity_id: text, account_id: text, ref_id: text, status: oneOf(['VALID', 'DEPRECATED']), memo_id: text,
      fiat_network: oneOf(['WIRE', 'DBS_ACT', 'CUBIX', 'SCB']),
      fiat_network_instructions: (value, path, issues) => {
        if (!isPlainObject(value)) issues.add(path, 'must be an object');
      },
      metadata: stringMap, created_at: dateTime,
    },
    required: ['id', 'profile_id', 'status', 'memo_id', 'fiat_network', 'fiat_network_instructions', 'created_at'],
  })),
  transfers: listOf(objectOf({
    fields: {
      id: text, customer_id: text, profile_id: text, identity_id: text, account_id: text, ref_id: text, amount: decimal, total: decimal,
      fee: decimal, asset: text, balance_asset: text, direction: oneOf(['CREDIT', 'DEBIT']), type: text,
      status: oneOf(['PENDING', 'COMPLETED', 'FAILED']), created_at: dateTime, updated_at: dateTime, metadata: stringMap, memo: text,
    },
    required: ['id', 'customer_id', 'profile_id', 'amount', 'total', 'fee', 'asset', 'balance_asset', 'direction', 'type', 'status', 'created_at', 'updated_at'],
  })),
};

/** References: documents and holds name identities, instructions and transfers name profiles, memo ids are unique. */
export function checkFundingReferences(
  snapshot: SnapshotFunding,
  known: { identities: ReadonlySet<string>; profiles: ReadonlySet<string> },
  issues: Issues,
): void {
  const names = (ids: ReadonlySet<string>, id: string | undefined, path: string, what: string): void => {
    if (id !== undefined && !ids.has(id)) issues.add(path, `names no ${what} of the snapshot`);
  };
  const unique = (values: string[], path: string): void => {
    const seen = new Set<string>();
    values.forEach((value, index) => {
      if (seen.has(value)) issues.add(join(path, index), 'repeats an id listed before it');
      seen.add(value);
    });
  };
  const documents = snapshot.documents ?? [];
  unique(documents.map((item) => item.file_id), 'documents');
  documents.forEach((item, index) => names(known.identities, item.identity_id, join(join('documents', index), 'identity_id'), 'identity'));
  (snapshot.held_for_documents ?? []).forEach((id, index) => names(known.identities, id, join('held_for_documents', index), 'identity'));
  const instructions = snapshot.fiat_deposit_instructions ?? [];
  unique(instructions.map((item) => item.id), 'fiat_deposit_instructions');
  unique(instructions.map((item) => item.memo_id), 'fiat_deposit_instructions (memo_id)');
  instructions.forEach((item, index) => names(known.profiles, item.profile_id, join(join('fiat_deposit_instructions', index), 'profile_id'), 'profile'));
  const transfers = snapshot.transfers ?? [];
  unique(transfers.map((item) => item.id), 'transfers');
  transfers.forEach((item, index) => names(known.profiles, item.profile_id, join(join('transfers', index), 'profile_id'), 'profile'));
}
