import { createHash } from 'node:crypto';

/**
 * A stable `ref_id` for the create made by one step of one run: `pf-` and 22 URL-safe characters
 * (132 bits of a SHA-256 over the run id, the step id and any further parts, such as a loop index).
 * The same run id and step id always give the same ref_id, so a resumed or re-sent create is
 * recognised by Paxos as a duplicate (409 `already-exists`) instead of creating a second object.
 *
 * @example
 * deriveRefId('7c0f…', 'buy_btc') // 'pf-Xq3…' (25 characters)
 */
export const deriveRefId = (runId: string, stepId: string, ...parts: ReadonlyArray<string | number>): string =>
  `pf-${createHash('sha256').update(JSON.stringify([runId, stepId, ...parts])).digest('base64url').slice(0, 22)}`;
