/**
 * Counts what the emulator holds against what the runs of workflows/onboard-and-trade.yaml meant to
 * create, by ref_id: the one check both torture tests share.
 */
import type { StepResult } from '../../src/engine/results.js';
import type { SandboxHandle } from '../../src/sandbox/index.js';
import { compareDecimals } from '../../src/util/decimal.js';

export const ONBOARD = 'workflows/onboard-and-trade.yaml';

/** The creates of one run: the step that makes each, the ref_id suffix the workflow gives it, and where it is kept. */
export const CREATES = [
  { step: 'identity', suffix: 'identity', kind: 'identity' },
  { step: 'account', suffix: 'account', kind: 'account' },
  { step: 'buy', suffix: 'buy', kind: 'order' },
  { step: 'sell', suffix: 'sell', kind: 'order' },
] as const;

type Kind = (typeof CREATES)[number]['kind'];

/** One run as the audit sees it: its id, and its step results when known (`undefined`: every step passed). */
export interface AuditedRun {
  runId: string;
  steps?: readonly StepResult[];
}

export interface Audit {
  /** Records past the first with an intended ref_id, plus records with a ref_id no run meant (a create re-sent under a new key). */
  duplicates: number;
  /** Records held, per kind. */
  held: Record<Kind, number>;
  /** Every broken rule, as text for the assertion message; empty when the emulator holds what it should. */
  problems: string[];
}

/** The ref_id of every record of each kind (`undefined` for a record without one). */
const refIdsHeld = (sandbox: SandboxHandle): Record<Kind, Array<string | undefined>> => ({
  identity: [...sandbox.state.identities.values()].map((record) => record.ref_id),
  account: [...sandbox.state.accounts.values()].map((record) => record.ref_id),
  order: [...sandbox.state.trading.orders.values()].map((record) => record.refId),
});

/**
 * Exactly one record per intended create: one when its step passed, none when the step never ran
 * (skipped after an earlier failure), at most one when the step itself failed (a create whose answer
 * was lost may have happened). Two or more, or a record that no run meant, is a duplicate.
 */
export const auditCreates = (sandbox: SandboxHandle, runs: readonly AuditedRun[]): Audit => {
  const held = refIdsHeld(sandbox);
  const counts = new Map<string, number>();
  for (const kind of Object.keys(held) as Kind[]) {
    for (const refId of held[kind]) counts.set(`${kind} ${refId}`, (counts.get(`${kind} ${refId}`) ?? 0) + 1);
  }
  const problems: string[] = [];
  let duplicates = 0;
  const intended = new Set<string>();
  for (const run of runs) {
    for (const create of CREATES) {
      const refId = `${run.runId}-${create.suffix}`;
      const key = `${create.kind} ${refId}`;
      intended.add(key);
      const count = counts.get(key) ?? 0;
      const step = run.steps?.find((result) => result.id === create.step);
      const status = step?.status ?? 'passed';
      if (count > 1) duplicates += count - 1;
      const allowed = status === 'passed' ? [1] : status === 'skipped' ? [0] : [0, 1];
      if (!allowed.includes(count)) problems.push(`${key}: ${count} held, step ${create.step} ${status}${step?.error ? ` ${step.error.code}` : ''}`);
      const outputId = (step?.output as { id?: unknown } | undefined)?.id;
      if (status === 'passed' && step !== undefined && count === 1 && !isHeld(sandbox, create.kind, outputId, refId)) {
        problems.push(`${key}: step ${create.step} passed with an id that is not the record held`);
      }
    }
  }
  for (const [key, count] of counts) {
    if (intended.has(key)) continue;
    duplicates += count;
    problems.push(`${key}: ${count} held that no run meant to create`);
  }
  return {
    duplicates,
    held: { identity: held.identity.length, account: held.account.length, order: held.order.length },
    problems,
  };
};

const isHeld = (sandbox: SandboxHandle, kind: Kind, id: unknown, refId: string): boolean => {
  if (typeof id !== 'string') return false;
  if (kind === 'identity') return sandbox.state.identities.get(id)?.ref_id === refId;
  if (kind === 'account') return sandbox.state.accounts.get(id)?.ref_id === refId;
  return sandbox.state.trading.orders.get(id)?.refId === refId;
};

/** The emulator's own figures for a run that passed: the round trip left exactly `usd` and no ETH, nothing held for orders. */
export const moneyProblems = (sandbox: SandboxHandle, runId: string, usd: string): string[] => {
  const account = [...sandbox.state.accounts.values()].find((record) => record.ref_id === `${runId}-account`);
  if (account?.profile_id === undefined) return [`${runId}: no account with a profile`];
  const cash = sandbox.state.ledger.get(account.profile_id, 'USD');
  const eth = sandbox.state.ledger.get(account.profile_id, 'ETH');
  const figures = [cash.available, cash.trading, eth.available, eth.trading].map(String);
  const expected = [usd, '0', '0', '0'];
  return figures.every((figure, index) => compareDecimals(figure, expected[index]!) === 0)
    ? []
    : [`${runId}: USD ${figures[0]} (+${figures[1]} trading), ETH ${figures[2]} (+${figures[3]} trading), expected USD ${usd} and nothing else`];
};

/** Counts by key, sorted, for the printed figures: `{ "funding PAXOS_...": 3 }`. */
export const tally = (keys: readonly string[]): Record<string, number> => {
  const counts: Record<string, number> = {};
  for (const key of [...keys].sort()) counts[key] = (counts[key] ?? 0) + 1;
  return counts;
};

/** The faults injected since `before`, by kind, leaving out the kinds that never fired. */
export const faultsSince = (sandbox: SandboxHandle, before: Readonly<Record<string, number>>): Record<string, number> =>
  Object.fromEntries(
    Object.entries(sandbox.faults.counts)
      .map(([kind, count]) => [kind, count - (before[kind] ?? 0)] as const)
      .filter(([, count]) => count > 0),
  );

export const sum = (counts: Record<string, number>): number => Object.values(counts).reduce((total, count) => total + count, 0);
