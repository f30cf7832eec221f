import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { JOURNAL_FILE } from './entries.js';
import { JournalError } from './errors.js';

export interface JournalDirOptions {
  /** `--journal-dir DIR`, relative to `cwd`. Wins over the environment. */
  flag?: string | undefined;
  /** `PAXFLOW_HOME` in it puts journals under `$PAXFLOW_HOME/runs`. */
  env?: Record<string, string | undefined>;
  cwd: string;
}

/** Where run journals live: `--journal-dir`, else `$PAXFLOW_HOME/runs`, else `.paxflow/runs` under `cwd`. */
export const resolveJournalDir = ({ flag, env = {}, cwd }: JournalDirOptions): string => {
  if (flag !== undefined && flag !== '') return resolve(cwd, flag);
  const home = env.PAXFLOW_HOME;
  if (home !== undefined && home !== '') return join(resolve(cwd, home), 'runs');
  return join(cwd, '.paxflow', 'runs');
};

const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
/** The shortest prefix that `--resume` accepts for a run id. */
export const MIN_PREFIX = 6;

/** Throws unless `runId` can name a folder: no separators, no `..`. */
export const checkRunId = (runId: string): string => {
  if (!RUN_ID.test(runId) || runId.includes('..')) {
    throw new JournalError('BAD_RUN_ID', 'a run id holds only letters, digits, -, _ and . (as paxflow runs lists them)');
  }
  return runId;
};

export const runFolder = (journalDir: string, runId: string): string => join(journalDir, checkRunId(runId));
export const journalPath = (journalDir: string, runId: string): string => join(runFolder(journalDir, runId), JOURNAL_FILE);

/** The ids of the runs that have a journal in `journalDir`; none when the folder does not exist. */
export const runIds = (journalDir: string): string[] => {
  let names: string[];
  try {
    names = readdirSync(journalDir);
  } catch {
    return [];
  }
  return names.filter((name) => RUN_ID.test(name) && existsSync(join(journalDir, name, JOURNAL_FILE)));
};

/** The full id of the run named by `idOrPrefix`: an exact id, or a prefix of one only. */
export const findRun = (journalDir: string, idOrPrefix: string): string => {
  checkRunId(idOrPrefix);
  if (existsSync(journalPath(journalDir, idOrPrefix))) return idOrPrefix;
  if (idOrPrefix.length < MIN_PREFIX) {
    throw new JournalError(
      'RUN_NOT_FOUND',
      `no run '${idOrPrefix}' in ${journalDir}, and a prefix of a run id needs at least ${MIN_PREFIX} characters (this one has ${idOrPrefix.length}); paxflow runs lists the ids`,
    );
  }
  const matches = runIds(journalDir).filter((id) => id.startsWith(idOrPrefix));
  if (matches.length === 1) return matches[0]!;
  const why = matches.length > 1 ? `${matches.length} runs start with '${idOrPrefix}'; give more of the id` : `no run '${idOrPrefix}' in ${journalDir}`;
  throw new JournalError('RUN_NOT_FOUND', `${why} (paxflow runs lists them)`);
};
