import { SUB_STATUS_FIELDS_OF, type IdentityStatus, type SubStatusField } from './identity-enums.js';
import { recordEvent, type EventType } from './event-records.js';
import { hasCryptoBrokerageDetails } from './identity-validation.js';
import { holdForDocuments } from './risk.js';
import type { IdentityRecord, SandboxState } from './state.js';
import { timestamp } from './time.js';

/** The details object that holds an identity's sub-statuses. */
export function detailsOf(identity: IdentityRecord): Record<string, unknown> {
  const details = identity.type === 'PERSON' ? identity.person_details : identity.institution_details;
  return (details ?? {}) as Record<string, unknown>;
}

/** Sub-statuses a new identity starts with. Institutions wait on sanctions screening and documents. */
export function initialSubStatuses(type: IdentityRecord['type']): Partial<Record<SubStatusField, IdentityStatus>> {
  return type === 'PERSON'
    ? { id_verification_status: 'PENDING', sanctions_verification_status: 'PENDING' }
    : { sanctions_verification_status: 'PENDING', document_verification_status: 'PENDING' };
}

const REQUIRED: Record<IdentityRecord['type'], readonly SubStatusField[]> = {
  PERSON: ['id_verification_status', 'sanctions_verification_status'],
  INSTITUTION: ['sanctions_verification_status'],
};

/**
 * summary_status from the flags and sub-statuses: disabled wins, then any DENIED, then any ERROR;
 * APPROVED once every required sub-status is APPROVED; PENDING otherwise.
 */
export function deriveSummaryStatus(identity: IdentityRecord): IdentityStatus {
  if (identity.user_disabled === true || identity.admin_disabled === true) return 'DISABLED';
  const details = detailsOf(identity);
  const present = SUB_STATUS_FIELDS_OF[identity.type].map((field) => details[field]).filter((value) => value !== undefined);
  if (present.includes('DENIED')) return 'DENIED';
  if (present.includes('ERROR')) return 'ERROR';
  return REQUIRED[identity.type].every((field) => details[field] === 'APPROVED') ? 'APPROVED' : 'PENDING';
}

const EVENT_TYPES: Partial<Record<IdentityStatus, EventType>> = {
  APPROVED: 'identity.approved',
  DENIED: 'identity.denied',
  DISABLED: 'identity.disabled',
};

/**
 * Recomputes summary_status and, when it changed, records an `identity_summary_status_change` event.
 * Paxos has event types only for APPROVED, DENIED and DISABLED, so moves to PENDING or ERROR stay silent.
 */
export function refreshSummaryStatus(state: SandboxState, identity: IdentityRecord): void {
  const previous = identity.summary_status;
  const next = deriveSummaryStatus(identity);
  if (next === previous) return;
  identity.summary_status = next;
  identity.updated_at = timestamp(state);
  const type = EVENT_TYPES[next];
  if (type === undefined) return;
  recordEvent(state, type, { identity_id: identity.id, old_summary_status: previous, new_summary_status: next });
}

/** A scheduled automatic decision: its timer and when it is due (epoch milliseconds, real time). */
interface PendingReview {
  timer: NodeJS.Timeout;
  dueAt: number;
}

const pendingReviews = new WeakMap<SandboxState, Map<string, PendingReview>>();

function reviewsOf(state: SandboxState): Map<string, PendingReview> {
  let reviews = pendingReviews.get(state);
  if (!reviews) pendingReviews.set(state, (reviews = new Map()));
  return reviews;
}

/** The automatic decisions still to come, by identity id, with when each is due (epoch milliseconds). */
export function scheduledReviews(state: SandboxState): Array<{ identityId: string; dueAt: number }> {
  return [...reviewsOf(state)].map(([identityId, { dueAt }]) => ({ identityId, dueAt }));
}

/** Stops a scheduled automatic decision, e.g. because the sandbox-status endpoint took over. */
export function cancelReview(state: SandboxState, identityId: string): void {
  const reviews = reviewsOf(state);
  const review = reviews.get(identityId);
  if (review === undefined) return;
  clearTimeout(review.timer);
  state.timers.delete(review.timer);
  reviews.delete(identityId);
}

/**
 * The result the sandbox's automatic review reaches for a PENDING identity, if any: a passthrough person
 * reported DENIED is denied; one reported APPROVED with every crypto-brokerage detail is approved.
 * Everyone else (Paxos or manual verification, missing details, institutions) waits for sandbox-status.
 */
function automaticDecision(identity: IdentityRecord): IdentityStatus | undefined {
  if (identity.type !== 'PERSON' || identity.summary_status !== 'PENDING') return undefined;
  const person = detailsOf(identity);
  if (person.verifier_type !== 'PASSTHROUGH') return undefined;
  if (person.passthrough_verification_status === 'DENIED') return 'DENIED';
  if (person.passthrough_verification_status === 'APPROVED' && hasCryptoBrokerageDetails(identity)) return 'APPROVED';
  return undefined;
}

/** Applies the automatic decision now, if the identity still qualifies for one. */
export function completeReview(state: SandboxState, identity: IdentityRecord): void {
  cancelReview(state, identity.id);
  const decision = automaticDecision(identity);
  if (decision === undefined) return;
  // Enhanced due diligence: a high-risk person is approved only once its documents are in (risk.ts).
  if (decision === 'APPROVED' && holdForDocuments(state, identity)) return;
  const details = detailsOf(identity);
  details.id_verification_status = decision;
  details.sanctions_verification_status = 'APPROVED';
  refreshSummaryStatus(state, identity);
}

/** Schedules the automatic review for `dueAt` (default: `approvalDelayMs` from now), replacing one already scheduled. */
export function scheduleReview(state: SandboxState, identity: IdentityRecord, dueAt = Date.now() + state.options.approvalDelayMs): void {
  cancelReview(state, identity.id);
  if (automaticDecision(identity) === undefined) return;
  // Kept as the time it is due, not recomputed from the delay: a restored snapshot keeps its due time exactly.
  const timer = setTimeout(() => completeReview(state, identity), Math.max(0, dueAt - Date.now()));
  state.timers.add(timer);
  reviewsOf(state).set(identity.id, { timer, dueAt });
}
