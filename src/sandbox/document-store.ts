import type { SandboxState } from './state.js';

/** The Paxos `DocumentType` enum: what an uploaded file holds. */
export const DOCUMENT_TYPES = [
  'OTHER_DOCUMENTS', 'APPLICATION', 'ORGANIZATIONAL_DOCUMENTS', 'CERTIFICATE_OF_GOOD_STANDING', 'TAX_IDENTIFICATION',
  'IDENTITY_VERIFICATION', 'PROOF_OF_RESIDENCY', 'PROOF_OF_FUNDS', 'SAMPLE_INVOICE', 'OPERATING_AGREEMENT',
  'TRUST_DOCUMENTS', 'MONEY_SERVICE_DOCUMENTS', 'INVESTMENT_DOCUMENTS', 'CURP', 'AML_DOCUMENTS', 'FUND_STRUCTURE_CHART',
  'FUND_MANAGER_REGISTRATION', 'MEMORANDUM_OF_ASSOCIATION', 'ORGANIZATIONAL_CHART', 'FOUNDATION_BY_LAWS',
  'APPOINTMENT_OF_GUARDIAN_EVIDENCE', 'LEGAL_DOMICILE_OF_BENEFICIAL_OWNERS', 'GOVERNING_BODY_MEMBER_NAMES',
] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

/** What the emulator keeps of an uploaded file: its facts, not its bytes (nothing reads them back). */
export interface StoredFile {
  size: number;
  /** Detected from the first bytes: `application/pdf`, `image/png` or `image/jpeg`. */
  media_type: string;
  sha256: string;
  uploaded_at: string;
}

/** One `PUT .../documents` answer: the file slot, and the upload once it arrived. */
export interface DocumentRecord {
  file_id: string;
  identity_id: string;
  name: string;
  document_types: DocumentType[];
  created_at: string;
  /** The secret part of the upload URL, like the signature of a pre-signed storage URL. */
  token: string;
  file?: StoredFile;
}

const stores = new WeakMap<SandboxState, Map<string, DocumentRecord>>();

/** Every document slot of one emulator, by file_id, in creation order. */
export function documentsOf(state: SandboxState): Map<string, DocumentRecord> {
  let store = stores.get(state);
  if (!store) stores.set(state, (store = new Map()));
  return store;
}

/** The document types an identity has files for (uploads that arrived, not slots still empty). */
export function uploadedTypes(state: SandboxState, identityId: string): ReadonlySet<string> {
  const types = new Set<string>();
  for (const record of documentsOf(state).values()) {
    if (record.identity_id === identityId && record.file) for (const type of record.document_types) types.add(type);
  }
  return types;
}
