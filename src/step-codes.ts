/**
 * Every code a step can fail with: the one list. `StepFailedError` and `PaxosApiError` take only these
 * (the compiler refuses another), `validate` checks `expect.error.code` against them, and
 * docs/error-codes.md lists them. Paxos problem codes are `PAXOS_` and the problem's slug in upper snake
 * case; those Paxos documents are listed by slug.
 */

/** What a code means, and whether `expect: {error: {code}}` can ask for it. */
interface CodeInfo {
  summary: string;
  /** False for failures that no expectation can turn into a pass (template errors, the judge's own). */
  expectable: boolean;
}

const code = (summary: string, expectable = true): CodeInfo => ({ summary, expectable });

export const STEP_FAILURE_CODES = {
  // The engine, for every step.
  INVALID_STEP_INPUT: code("The rendered input does not fit the step type's schema; checked before the request is sent."),
  STEP_TIMEOUT: code('The step did not finish within its timeout:.'),
  STEP_CRASHED: code('The step failed in an unexpected way (a bug in paxflow; report it).', false),
  INTERRUPTED: code('The run was interrupted (Ctrl-C, SIGTERM) while the step ran.', false),
  EXPECTATION_FAILED: code('expect: did not hold: an output field, or the step failed another way than expected.', false),
  UNEXPECTED_SUCCESS: code('expect: error: asked for a failure, and the step succeeded.', false),
  PLAYBOOK_FAILED: code('A step of the called playbook failed.'),
  PLAYBOOK_INPUT_TYPE: code('A rendered input of a playbook call has the wrong type.'),
  PLAYBOOK_MISSING_INPUT: code('A playbook call renders no value for a required input.'),
  PLAYBOOK_UNKNOWN_INPUT: code('A playbook call gives an input the playbook does not declare.'),
  TEMPLATE_MISSING_VALUE: code('A template reads a value that does not exist when it renders.', false),
  TEMPLATE_NOT_TEXT: code('A template puts null, a list or a mapping into text.', false),
  TEMPLATE_HELPER_ARGUMENT: code('A helper got an argument it cannot use when the template rendered.', false),
  TEMPLATE_RENDER_FAILED: code('A template could not be rendered.', false),

  // Step types.
  ASSERTION_FAILED: code('An assert check did not hold.'),
  HTTP_UNEXPECTED_STATUS: code('An http step got a status it was not told to expect.'),
  HTTP_NETWORK_ERROR: code('An http step got no answer (connection refused or reset, DNS).'),
  HTTP_BAD_JSON: code('An http step got an answer labelled JSON that does not parse.'),
  HTTP_REDIRECT: code('An http step got a redirect it was not told to expect; paxflow never follows one.'),
  HTTP_RESPONSE_TOO_LARGE: code('An http step got an answer larger than 16 MiB; the rest was not read.'),
  APPROVAL_TIMEOUT: code('awaitApproval: the identity did not reach the awaited status in time.'),
  IDENTITY_DENIED: code('awaitApproval, awaitEvent: the identity was denied.'),
  IDENTITY_DISABLED: code('awaitApproval, awaitEvent: the identity was disabled.'),
  IDENTITY_ERROR: code('awaitApproval: the identity is in the ERROR status.'),
  ORDER_TIMEOUT: code('awaitOrder: the order did not reach the awaited status in time.'),
  ORDER_REJECTED: code('awaitOrder: the order was rejected.'),
  ORDER_CANCELLED: code('awaitOrder: the order was cancelled.'),
  ORDER_FILLED: code('awaitOrder: the order filled while another status was awaited.'),
  DEPOSIT_TIMEOUT: code('fundProfile: the deposit did not show in the balance in time.'),
  EVENT_TIMEOUT: code('awaitEvent: no event of the awaited type arrived for the identity in time.'),
  DOCUMENT_FILE_UNREADABLE: code('uploadDocument: the file cannot be read when the step runs (missing, a folder, no permission).'),
  DOCUMENT_FILE_EMPTY: code('uploadDocument: the file is empty.'),
  DOCUMENT_FILE_TOO_LARGE: code('uploadDocument: the file is 100 MB or more.'),
  DOCUMENT_FILE_TYPE: code('uploadDocument: the file is not a PDF, JPG or PNG by its content.'),
  DOCUMENT_UPLOAD_URL: code('uploadDocument: Paxos gave an upload URL that is not usable (not a URL, or not https against an https API); nothing was sent.'),
  DOCUMENT_UPLOAD_REFUSED: code('uploadDocument: the upload URL refused the file (a 4xx; the message has its detail).'),
  DOCUMENT_UPLOAD_UNKNOWN: code('uploadDocument: three sends of the file got no clear answer and it is not listed; running the step again is safe.'),
  FIAT_DEPOSIT_FAILED: code('sandboxFiatDeposit: the deposit\'s transfer ended FAILED.'),
  FIAT_DEPOSIT_TIMEOUT: code('sandboxFiatDeposit: the deposit\'s transfer did not complete in time; it was not resent.'),

  // The Paxos API client.
  PAXOS_BAD_REQUEST: code('Paxos answered 400 without a problem type.'),
  PAXOS_UNAUTHORIZED: code('Paxos answered 401 (after one token refresh).'),
  PAXOS_FORBIDDEN: code('Paxos answered 403 without a problem type (insufficient scopes, a state that forbids it).'),
  PAXOS_NOT_FOUND: code('Paxos answered 404.'),
  PAXOS_CONFLICT: code('Paxos answered 409 without a problem type.'),
  PAXOS_RATE_LIMITED: code('Paxos answered 429.'),
  PAXOS_SERVER_ERROR: code('Paxos answered 5xx.'),
  PAXOS_HTTP_ERROR: code('Paxos answered another error status.'),
  PAXOS_NETWORK_ERROR: code('No answer from Paxos (connection refused or reset, DNS).'),
  PAXOS_TIMEOUT: code('A request to Paxos timed out.'),
  PAXOS_ABORTED: code('A request to Paxos was aborted.', false),
  PAXOS_BAD_RESPONSE: code('Paxos answered with a body paxflow cannot read.'),
  PAXOS_REDIRECT: code('The API or the token endpoint answered with a redirect, which paxflow never follows (credentials go only where they were sent).'),
  PAXOS_RESPONSE_TOO_LARGE: code('The API (over 16 MiB) or the token endpoint (over 64 KiB) answered with a body too large to read.'),
  PAXOS_OUTCOME_UNKNOWN: code('A create may or may not have happened, and its ref_id could not settle it.'),
  REF_ID_CONFLICT: code('A create was answered with an existing object that is not the one it meant to create.'),
  PAXOS_TOKEN_ERROR: code('The token endpoint refused the credentials or answered an error.'),
  PAXOS_TOKEN_UNREACHABLE: code('The token endpoint did not answer.'),
} as const satisfies Record<string, CodeInfo>;

/**
 * The problem types Paxos documents, by slug (`https://developer.paxos.com/docs/v2/problems/<slug>`);
 * a step fails with `PAXOS_<SLUG>` for each (`insufficient-funds` -> `PAXOS_INSUFFICIENT_FUNDS`).
 */
export const PAXOS_PROBLEM_SLUGS = [
  'already-exists',
  'below-min-withdraw-limit',
  'exceed-max-withdraw-limit',
  'exceed-precision',
  'expired',
  'insufficient-funds',
  'market-conditions-prevented-execution',
  'minimum-commission-exceeds-notional',
  'notional-value-too-large',
  'rejected',
  'unavailable-market',
] as const;

/** A code for a Paxos problem type: `PAXOS_` and the slug in upper snake case. */
export type PaxosProblemCode = `PAXOS_${Uppercase<string>}`;

/** Every code a step can fail with. */
export type StepFailureCode = keyof typeof STEP_FAILURE_CODES | PaxosProblemCode;

/** `PAXOS_INSUFFICIENT_FUNDS` for `insufficient-funds`. */
export const problemCode = (slug: string): PaxosProblemCode => `PAXOS_${slug.toUpperCase().replace(/-/g, '_')}` as PaxosProblemCode;

/** The codes `expect: {error: {code}}` may name, each with its meaning. */
export const expectableCodes = (): Map<string, string> =>
  new Map([
    ...Object.entries(STEP_FAILURE_CODES).flatMap(([name, info]): Array<[string, string]> => (info.expectable ? [[name, info.summary]] : [])),
    ...PAXOS_PROBLEM_SLUGS.map((slug): [string, string] => [problemCode(slug), `Paxos answered with the problem type ${slug}.`]),
  ]);

/** docs/error-codes.md's part on step failures, from the lists above. */
export const stepFailureCodesMarkdown = (): string[] => [
  '## Step failure codes',
  '',
  'A step that fails reports one of these codes (in the console, JSON and JUnit, and as',
  '`steps.<id>.error.code` after `expect: {error: ...}`). `expect: {error: {code}}` may name those marked',
  '"yes"; `validate` refuses any other (`EXPECT_UNKNOWN_CODE`).',
  '',
  '| code | meaning | expect |',
  '|---|---|---|',
  ...Object.entries(STEP_FAILURE_CODES).map(([name, info]) => `| \`${name}\` | ${info.summary} | ${info.expectable ? 'yes' : 'no'} |`),
  ...PAXOS_PROBLEM_SLUGS.map((slug) => `| \`${problemCode(slug)}\` | Paxos answered with the problem type \`${slug}\`. | yes |`),
  '',
];
