import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { pollGap, QUICK_START_UP_TO_MS } from '../../src/steps/_poll.js';
import { awaitApprovalStep } from '../../src/steps/await-approval.js';
import { createIdentityStep } from '../../src/steps/create-identity.js';
import { startHarness, testPerson, type Harness } from './_setup.js';

/** The schedule before the quick start: the interval, growing 1.5x per check, capped at 5 s or the interval. */
const previousGap = (intervalMs: number, checks: number): number => {
  const interval = Math.max(intervalMs, 10);
  return Math.min(interval * 1.5 ** (checks - 1), Math.max(interval, 5_000));
};

/** When each check of a wait goes out (ms after the first), up to `untilMs`. */
const checkTimes = (gap: (intervalMs: number, checks: number) => number, intervalMs: number, untilMs: number): number[] => {
  const times = [0];
  for (let at = gap(intervalMs, 1); at <= untilMs; at += gap(intervalMs, times.length)) times.push(at);
  return times;
};

/** How many checks go out in a wait of `ms`. */
const countBy = (times: readonly number[], ms: number): number => times.filter((at) => at <= ms).length;

const schedule = suite('polling schedule');

schedule('the default interval starts quick: 20 ms, then 3x per check up to 5 s', () => {
  assert.equal(checkTimes(pollGap, 250, 20_000).map(Math.round), [0, 20, 80, 260, 800, 2420, 7280, 12280, 17280]);
});

schedule('an interval under 20 ms is the first gap', () => {
  assert.equal(checkTimes(pollGap, 10, 1_300).map(Math.round), [0, 10, 40, 130, 400, 1210]);
});

schedule('a longer interval, chosen to poll slowly, keeps the previous schedule', () => {
  for (const interval of [300, 1_000, 5_000, 30_000]) {
    for (let checks = 1; checks < 20; checks += 1) assert.is(pollGap(interval, checks), previousGap(interval, checks), `${interval} ms, check ${checks}`);
  }
});

schedule('no gap is longer than 5 s, or the interval when that is longer', () => {
  for (const interval of [10, 250, 1_000, 30_000]) {
    assert.is(Math.max(...Array.from({ length: 60 }, (_, index) => pollGap(interval, index + 1))), Math.max(interval, 5_000));
  }
});

schedule('a wait of 5 s or more never sends more checks than the previous schedule', () => {
  const horizon = 15 * 60_000;
  for (let interval = 10; interval <= QUICK_START_UP_TO_MS; interval += 10) {
    const quick = checkTimes(pollGap, interval, horizon);
    const previous = checkTimes(previousGap, interval, horizon);
    // The count only changes at a check, so comparing at every check of either schedule covers every wait length.
    for (const at of [...quick, ...previous, horizon].filter((ms) => ms >= 5_000)) {
      const more = countBy(quick, at) - countBy(previous, at);
      assert.ok(more <= 0, `interval ${interval} ms, a wait of ${at} ms: ${more} more checks`);
    }
  }
  // What the default sends in a 2-minute wait (the default wait): 29 checks instead of 30.
  assert.is(countBy(checkTimes(pollGap, 250, 120_000), 120_000), 29);
  assert.is(countBy(checkTimes(previousGap, 250, 120_000), 120_000), 30);
});

schedule.run();

const emulator = suite<{ h: Harness }>('polling schedule: against the emulator');

emulator.before(async (ctx) => {
  ctx.h = await startHarness({ approvalDelayMs: 150 });
});
emulator.after(async (ctx) => {
  await ctx.h.close();
});

emulator('an approval 150 ms after the create is seen by the quick checks, not 250 ms and more later', async ({ h }) => {
  const created = await createIdentityStep.run(testPerson(), h.context());
  const context = h.context();
  const identity = await awaitApprovalStep.run({ identity_id: created.id }, context);
  assert.is(identity.summary_status, 'APPROVED');
  const statuses = context.polls.map((poll) => poll.status);
  // Before, the checks went out at 0 and 250 ms: one PENDING, then APPROVED. Now at 0, 20, 80 and 260 ms:
  // at least the first two see PENDING, and the check at 260 ms (or an earlier one) sees APPROVED.
  assert.ok(statuses.length >= 3 && statuses.length <= 4, statuses.join(', '));
  assert.equal(statuses.slice(0, -1).filter((status) => status !== 'PENDING'), []);
  assert.is(statuses.at(-1), 'APPROVED');
  assert.is(identity.polls, statuses.length);
});

emulator.run();
