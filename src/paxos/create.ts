import { UsageError } from '../errors.js';
import { DEFAULT_RETRY, abortedError, pause, retryDelay, type RetryPolicy } from './_http.js';
import { PaxosApiError, isPaxosApiError } from './errors.js';
import type { PaxosClient, PaxosCreateOptions, PaxosCreateResult, PaxosGet } from './types.js';

/**
 * The request may or may not have been processed: no answer, a reset, a timeout or a 5xx. A 429 was
 * not processed, but it is handled the same way (re-sent with the same ref_id after a pause).
 */
export const isOutcomeUnknown = (error: unknown): error is PaxosApiError =>
  isPaxosApiError(error) &&
  (error.code === 'PAXOS_NETWORK_ERROR' ||
    error.code === 'PAXOS_TIMEOUT' ||
    (error.status !== undefined && (error.status >= 500 || error.status === 429 || error.status === 408)));

/** A 409 `already-exists` Problem naming the stored object in `meta.existing`. */
export const isAlreadyExists = (error: unknown): error is PaxosApiError =>
  isPaxosApiError(error) && error.status === 409 && error.slug === 'already-exists';

const existingOf = (error: PaxosApiError): Record<string, unknown> | undefined => {
  const existing = error.meta?.existing;
  return typeof existing === 'object' && existing !== null && !Array.isArray(existing) ? (existing as Record<string, unknown>) : undefined;
};

/**
 * Creates a Paxos object exactly once, keyed by its `ref_id` (identities, accounts, orders): the body's
 * top-level `ref_id`, or `refId` when the body nests it.
 *
 * - Sent once; a 200 returns `{ value, adopted: false }`.
 * - A 409 `already-exists` (e.g. a resumed run with the same run id) adopts the object in
 *   `meta.existing`, fetched in full with `fetchExisting` when given, after `matches` confirms it is
 *   the same intent: `{ value, adopted: true }`. A stored object whose `ref_id` differs (a 409 for
 *   another reason, such as a duplicate `cip_id`) is not adopted: the 409 is thrown as it came.
 *   `matches` returning false throws `REF_ID_CONFLICT`.
 * - A timeout, reset or 5xx leaves the outcome unknown: after a backoff, `lookup(ref_id)` is tried
 *   when given, else (or when it finds nothing) the same body, same `ref_id`, is sent again and a 409
 *   is adopted as above. `recovered: true` says this happened.
 * - Never makes a new `ref_id`. Gives up with `PAXOS_OUTCOME_UNKNOWN` (naming the ref_id) when the
 *   signal aborts or after `maxAttempts` sends; other errors are thrown as they came.
 *
 * @example
 * const refId = input.ref_id ?? deriveRefId(ctx.runId, ctx.stepId);
 * const { value: order, adopted } = await createWithRefId<Order>(ctx.paxos, {
 *   path: `/profiles/${input.profile_id}/orders`,
 *   json: { ...body, ref_id: refId },
 *   signal: ctx.signal,
 *   onExchange: ctx.recordExchange,
 *   matches: (existing) => existing.market === body.market && existing.side === body.side,
 *   lookup: async (ref, get) =>
 *     (await get<{ items: Order[] }>('/orders', { ref_ids: ref, profile_id: input.profile_id })).items.find((o) => o.ref_id === ref),
 *   fetchExisting: (id, get) => get<Order>(`/profiles/${input.profile_id}/orders/${id}`),
 * });
 */
export const createWithRefId = async <T>(paxos: PaxosClient, options: PaxosCreateOptions<T>): Promise<PaxosCreateResult<T>> => {
  const { path, json, signal, onExchange, matches, lookup, fetchExisting, maxAttempts = 5 } = options;
  const refId: unknown = options.refId ?? json.ref_id;
  if (typeof refId !== 'string' || refId === '') throw new UsageError('MISSING_REF_ID', `a create needs a ref_id: POST ${path}`);
  const get: PaxosGet = (getPath, query) => paxos.call({ method: 'GET', path: getPath, ...(query ? { query } : {}), signal, ...(onExchange ? { onExchange } : {}) });
  const request = { method: 'POST', path };
  // A client made by createPaxosClient carries its backoff policy; any other PaxosClient gets the default.
  const policy = (paxos as { retry?: RetryPolicy }).retry ?? DEFAULT_RETRY;

  const outcomeUnknown = (attempts: number, last: PaxosApiError | undefined): PaxosApiError =>
    new PaxosApiError({
      code: 'PAXOS_OUTCOME_UNKNOWN',
      problem: { type: 'about:blank', title: 'Outcome Unknown', status: last?.status, detail: undefined, meta: undefined },
      request,
      summary: `the create with ref_id '${refId}' may or may not have happened (${attempts} attempt${attempts === 1 ? '' : 's'}${last ? `, last: ${last.title}` : ''}); look it up by ref_id before creating it again`,
    });

  const adopt = (value: T, conflict: PaxosApiError | undefined, recovered: boolean): PaxosCreateResult<T> => {
    const stored = (value as { ref_id?: unknown } | null)?.ref_id;
    if (conflict && typeof stored === 'string' && stored !== refId) throw conflict;
    if (!matches(value)) {
      const id = (value as { id?: unknown } | null)?.id;
      throw new PaxosApiError({
        code: 'REF_ID_CONFLICT',
        problem: {
          type: conflict?.type ?? 'about:blank',
          title: 'Ref Id Conflict',
          status: conflict?.status ?? 409,
          detail: undefined,
          meta: typeof id === 'string' ? { existing: { id } } : undefined,
        },
        request,
        summary: `ref_id '${refId}' already belongs to a different object${typeof id === 'string' ? ` (${id})` : ''}; give this step its own ref_id or use a new run id`,
      });
    }
    return { value, refId, adopted: true, recovered };
  };

  // The 409 proved the object exists, so a transient failure to read it back is waited out (within the
  // signal) rather than turned into a failed step that a re-run would have to reconcile again.
  const fetchAdopted = async (id: string): Promise<T> => {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await fetchExisting!(id, get);
      } catch (error) {
        if (!isOutcomeUnknown(error) || attempt >= maxAttempts || signal.aborted) throw error;
        const delay = retryDelay(policy, attempt, error.retryAfterMs);
        if (delay === undefined || !(await pause(delay, signal))) throw error;
      }
    }
  };

  const adoptConflict = async (conflict: PaxosApiError, recovered: boolean): Promise<PaxosCreateResult<T>> => {
    const existing = existingOf(conflict);
    if (!existing) throw conflict;
    const id = existing.id;
    const value = fetchExisting && typeof id === 'string' ? await fetchAdopted(id) : (existing as T);
    return adopt(value, conflict, recovered);
  };

  if (signal.aborted) throw abortedError(signal, request);
  let last: PaxosApiError | undefined;
  for (let attempt = 1; ; attempt += 1) {
    if (attempt > 1) {
      const delay = retryDelay(policy, attempt - 1, last?.retryAfterMs);
      if (delay === undefined) {
        // Told to wait longer than we may: a lone 429 was certainly not processed, anything else is unknown.
        throw attempt === 2 && last?.status === 429 ? last : outcomeUnknown(attempt - 1, last);
      }
      if (!(await pause(delay, signal))) throw outcomeUnknown(attempt - 1, last);
      if (lookup) {
        let found: T | undefined = undefined;
        try {
          found = await lookup(refId, get);
        } catch (error) {
          if (signal.aborted) throw outcomeUnknown(attempt - 1, last);
          // Re-sending with the same ref_id is safe too: a 409 is adopted.
          if (!isOutcomeUnknown(error)) throw error;
        }
        if (found !== undefined) return adopt(found, undefined, true);
      }
    }
    try {
      const value = await paxos.call<T>({ method: 'POST', path, json, signal, ...(onExchange ? { onExchange } : {}) });
      return { value, refId, adopted: false, recovered: attempt > 1 };
    } catch (error) {
      const answered = isPaxosApiError(error) && error.status !== undefined && !isOutcomeUnknown(error);
      if (signal.aborted && !answered) throw outcomeUnknown(attempt, isOutcomeUnknown(error) ? error : last);
      if (isAlreadyExists(error)) return adoptConflict(error, attempt > 1);
      if (!isOutcomeUnknown(error)) throw error;
      last = error;
      if (attempt >= maxAttempts) throw outcomeUnknown(attempt, last);
    }
  }
};
