import { Ajv2020 } from 'ajv/dist/2020.js';
import formatsPlugin from 'ajv-formats';
import * as assert from 'uvu/assert';

// Response shapes of the document, fiat and transfer endpoints, written from the Paxos API description.

const UUID = { type: 'string', pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' };
const TIME = { type: 'string', format: 'date-time' };
const DECIMAL = { type: 'string', pattern: '^[0-9]*\\.?[0-9]+$' };
const strings = { type: 'object', additionalProperties: { type: 'string' } };

const schemas = [
  {
    $id: 'DocumentsRequiredEvent',
    type: 'object',
    required: ['id', 'type', 'object_type', 'object', 'created_at', 'undelivered_webhooks'],
    additionalProperties: false,
    properties: {
      id: UUID,
      type: { const: 'identity.documents_required' },
      object_type: { const: 'identity_documents_required' },
      object: {
        type: 'object',
        required: ['id', 'identity_id', 'required_documents'],
        additionalProperties: false,
        properties: { id: UUID, identity_id: UUID, required_documents: { type: 'array', minItems: 1, items: { type: 'string' } } },
      },
      created_at: TIME,
      undelivered_webhooks: { type: 'integer', minimum: 0 },
    },
  },
  {
    $id: 'DocumentUpload',
    type: 'object',
    required: ['file_id', 'name', 'upload_url'],
    additionalProperties: false,
    properties: { file_id: UUID, name: { type: 'string' }, upload_url: { type: 'string', format: 'uri' } },
  },
  {
    $id: 'DocumentList',
    type: 'object',
    required: ['documents'],
    additionalProperties: false,
    properties: {
      documents: {
        type: 'array',
        items: {
          type: 'object',
          required: ['file_id', 'name', 'document_types', 'created_at'],
          additionalProperties: false,
          properties: { file_id: UUID, name: { type: 'string' }, document_types: { type: 'array', items: { type: 'string' } }, created_at: TIME },
        },
      },
      pending_documents: { type: 'array', items: { type: 'string' } },
    },
  },
  {
    $id: 'FiatDepositInstructions',
    type: 'object',
    required: ['created_at', 'fiat_network_instructions', 'id', 'memo_id', 'profile_id', 'status'],
    additionalProperties: false,
    properties: {
      id: UUID, profile_id: UUID, identity_id: UUID, account_id: UUID, ref_id: { type: 'string' },
      status: { enum: ['VALID', 'DEPRECATED'] }, memo_id: { type: 'string', pattern: '^[A-Z0-9]{16}$' },
      fiat_network_instructions: { type: 'object', minProperties: 1, maxProperties: 1 },
      metadata: strings, created_at: TIME,
    },
  },
  {
    $id: 'Transfer',
    type: 'object',
    required: ['amount', 'asset', 'created_at', 'customer_id', 'direction', 'fee', 'id', 'profile_id', 'status', 'total', 'type', 'updated_at'],
    additionalProperties: false,
    properties: {
      id: UUID, customer_id: UUID, profile_id: UUID, identity_id: UUID, account_id: UUID, ref_id: { type: 'string' },
      amount: DECIMAL, total: DECIMAL, fee: DECIMAL, asset: { type: 'string' }, balance_asset: { type: 'string' },
      direction: { enum: ['CREDIT', 'DEBIT'] }, type: { type: 'string' }, status: { enum: ['PENDING', 'COMPLETED', 'FAILED'] },
      created_at: TIME, updated_at: TIME, metadata: strings, memo: { type: 'string' },
    },
  },
  {
    $id: 'TransferList',
    type: 'object',
    required: ['items'],
    additionalProperties: false,
    properties: { items: { type: 'array', items: { $ref: 'Transfer' } }, next_page_cursor: { type: 'string', minLength: 1 } },
  },
  {
    $id: 'FiatDepositInstructionsList',
    type: 'object',
    required: ['items'],
    additionalProperties: false,
    properties: { items: { type: 'array', items: { $ref: 'FiatDepositInstructions' } }, next_page_cursor: { type: 'string', minLength: 1 } },
  },
];

const ajv = new Ajv2020({ allErrors: true, strict: true });
formatsPlugin.default(ajv);
for (const schema of schemas) ajv.addSchema(schema);

export type TransferSchemaName = 'DocumentsRequiredEvent' | 'DocumentUpload' | 'DocumentList' | 'FiatDepositInstructions' | 'FiatDepositInstructionsList' | 'Transfer' | 'TransferList';

/** Fails the test unless `body` matches the named schema. */
export function assertTransferSchema(name: TransferSchemaName, body: unknown): void {
  const validate = ajv.getSchema(name)!;
  if (!validate(body)) assert.unreachable(`${name} schema: ${ajv.errorsText(validate.errors)}`);
}
