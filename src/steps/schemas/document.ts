/** JSON Schemas of identity documents (enhanced due diligence). */

import type { JsonSchema } from '../define.js';
import { closedObject, dateTime, openObject, plainString, sensitive, uuid } from './common.js';

/** The Paxos `DocumentType` enum: what an uploaded file holds. */
export const DOCUMENT_TYPES = [
  'OTHER_DOCUMENTS', 'APPLICATION', 'ORGANIZATIONAL_DOCUMENTS', 'CERTIFICATE_OF_GOOD_STANDING', 'TAX_IDENTIFICATION',
  'IDENTITY_VERIFICATION', 'PROOF_OF_RESIDENCY', 'PROOF_OF_FUNDS', 'SAMPLE_INVOICE', 'OPERATING_AGREEMENT',
  'TRUST_DOCUMENTS', 'MONEY_SERVICE_DOCUMENTS', 'INVESTMENT_DOCUMENTS', 'CURP', 'AML_DOCUMENTS', 'FUND_STRUCTURE_CHART',
  'FUND_MANAGER_REGISTRATION', 'MEMORANDUM_OF_ASSOCIATION', 'ORGANIZATIONAL_CHART', 'FOUNDATION_BY_LAWS',
  'APPOINTMENT_OF_GUARDIAN_EVIDENCE', 'LEGAL_DOMICILE_OF_BENEFICIAL_OWNERS', 'GOVERNING_BODY_MEMBER_NAMES',
] as const;

const documentTypes = (description: string): JsonSchema => ({
  type: 'array',
  minItems: 1,
  uniqueItems: true,
  items: { type: 'string', enum: [...DOCUMENT_TYPES] },
  description,
});

/** A document as `GET .../documents` lists it. */
export interface DocumentDescription {
  file_id: string;
  name: string;
  document_types: string[];
  created_at?: string;
}

export const uploadDocumentInput: JsonSchema = closedObject(
  'The Paxos document upload body (name, document_types) plus the identity and the file to upload.',
  {
    identity_id: uuid('Id of the identity the document belongs to (createIdentity\'s id).'),
    // A file name often carries the owner's name, so it is treated as personal data.
    name: sensitive(plainString('File name Paxos records, e.g. Proof_of_funds.pdf; masked in every output as personal data.', { minLength: 1, maxLength: 255 })),
    document_types: documentTypes('What the file holds, e.g. [PROOF_OF_FUNDS]; one file may hold several types.'),
    file: plainString(
      'Path of the file to upload, relative to the workflow file (a literal path, no template). It must be a PDF, JPG or PNG by content and less than 100 MB; validate checks it before anything runs.',
      { minLength: 1 },
    ),
  },
  ['identity_id', 'name', 'document_types', 'file'],
);

export const uploadDocumentOutput: JsonSchema = openObject('The uploaded document.', {
  file_id: plainString('Id Paxos gave the file.'),
  name: sensitive(plainString('File name as recorded.')),
  document_types: { type: 'array', items: plainString('A document type.'), description: 'What the file holds.' },
  created_at: dateTime('When the document was recorded.'),
  size: { type: 'integer', description: 'Bytes uploaded.' },
  media_type: plainString('application/pdf, image/jpeg or image/png, from the file\'s content.'),
  adopted: {
    type: 'boolean',
    description: 'true when the identity already had an uploaded document with this name and these types (a re-run): it was not uploaded again.',
  },
  pending_documents: {
    type: 'array',
    items: plainString('A document type.'),
    description: 'Document types the identity still has to upload after this one (Paxos include_pending_docs); empty when complete.',
  },
});
