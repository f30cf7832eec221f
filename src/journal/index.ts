/**
 * The run journal: every run appends `<journal-dir>/<run-id>/journal.jsonl` as it goes, and `--resume`
 * continues a run from it under the same run id, so creates keep their ref_ids and are never made twice.
 */
export type { JournalEntry, RunStartEntry, RunResumeEntry, StepStartEntry, StepEndEntry, RunEndEntry } from './entries.js';
export { JOURNAL_FILE, JOURNAL_VERSION } from './entries.js';
export { JournalError, isJournalError, JOURNAL_CODES } from './errors.js';
export type { JournalCode } from './errors.js';
export { hashStepDefinition } from './hash.js';
export { resumeAdvice, resumeHint } from './hint.js';
export type { ResumeHintOptions } from './hint.js';
export { describeRun, listRuns } from './list.js';
export type { ListRunsOptions, RunListing } from './list.js';
export { findRun, resolveJournalDir } from './paths.js';
export type { JournalDirOptions } from './paths.js';
export { readJournal } from './read.js';
export type { JournalContents } from './read.js';
export { createOutputFilter, withoutSensitive } from './redact.js';
export type { FilteredOutput, JournalRedaction } from './redact.js';
export { prepareResume } from './resume.js';
export type { PrepareResumeOptions, ResumeState } from './resume.js';
export { SNAPSHOT_FILE, hasSnapshot, readRunSnapshot, snapshotPath } from './snapshot.js';
export { summarizeJournal } from './state.js';
export type { JournalSummary, JournaledStep } from './state.js';
export { mayChange, openRunJournal, prepareJournalDir } from './write.js';
export type { JournalWriter, OpenJournalOptions } from './write.js';
