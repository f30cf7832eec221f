import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { readFailure, readTextFile } from '../util/read-text-file.js';
import { parseEnvFile } from './env-file.js';
import type { PaxosCredentials } from './types.js';

/** The credential the embedded emulator accepts unless told otherwise. */
export const LOCAL_CREDENTIALS: Readonly<PaxosCredentials> = Object.freeze({ clientId: 'sandbox-client', clientSecret: 'sandbox-secret' });

/** Options of {@link resolveCredentials}. */
export interface ResolveCredentialsOptions {
  /** `local`, `sandbox`, `production` or `custom`. */
  targetName: string;
  /** Whether the target has a token URL; a custom target without one needs no credentials. @default true */
  hasOAuth?: boolean;
  /** `--client-id` / `--client-secret`; they win over everything else. */
  flags?: { clientId?: string | undefined; clientSecret?: string | undefined };
  /** The process environment (`PAXOS_CLIENT_ID`, `PAXOS_CLIENT_SECRET`); the env file wins over it. */
  env?: Record<string, string | undefined>;
  /** A `.env`-format file (`--credentials-file`), resolved against `cwd`. */
  envFile?: string;
  /** @default process.cwd() */
  cwd?: string;
  /** What `local` uses when no flags are given. @default LOCAL_CREDENTIALS */
  localDefaults?: PaxosCredentials;
}

const present = (value: string | undefined): string | undefined => (value === undefined || value === '' ? undefined : value);

/** A credentials file holds two lines; anything this large is the wrong file. */
const MAX_ENV_FILE_BYTES = 64 * 1024;

/** Reads and parses an env file; an unreadable file is a `UsageError` (`ENV_FILE_UNREADABLE`). */
export const readEnvFile = async (file: string, cwd = process.cwd()): Promise<Record<string, string>> => {
  let text: string;
  try {
    text = await readTextFile(resolve(cwd, file), MAX_ENV_FILE_BYTES);
  } catch (error) {
    throw new UsageError('ENV_FILE_UNREADABLE', `cannot read --credentials-file ${file} (${readFailure(error, MAX_ENV_FILE_BYTES)})`);
  }
  return parseEnvFile(text, file);
};

/**
 * The API credential for a target: for each of the id and the secret, `--client-id`/`--client-secret`
 * win over the credentials file, which wins over the process environment.
 *
 * `local` uses the flags or the emulator's own credential and ignores the environment and env file,
 * which usually hold sandbox credentials the in-process emulator would reject. A custom target without
 * a token URL gets `undefined` (no auth). Any other target missing either value is a `UsageError`
 * (`MISSING_CREDENTIALS`) naming what is missing and the three ways to give it.
 */
export const resolveCredentials = async (options: ResolveCredentialsOptions): Promise<PaxosCredentials | undefined> => {
  const { targetName, hasOAuth = true, flags = {}, env = {}, envFile, cwd, localDefaults = LOCAL_CREDENTIALS } = options;
  const flagId = present(flags.clientId);
  const flagSecret = present(flags.clientSecret);
  if (targetName === 'local') return { clientId: flagId ?? localDefaults.clientId, clientSecret: flagSecret ?? localDefaults.clientSecret };
  if (!hasOAuth) return undefined;

  const fromFile = envFile === undefined ? {} : await readEnvFile(envFile, cwd);
  const clientId = flagId ?? present(fromFile.PAXOS_CLIENT_ID) ?? present(env.PAXOS_CLIENT_ID);
  const clientSecret = flagSecret ?? present(fromFile.PAXOS_CLIENT_SECRET) ?? present(env.PAXOS_CLIENT_SECRET);
  if (clientId !== undefined && clientSecret !== undefined) return { clientId, clientSecret };

  const missing = [clientId === undefined ? 'PAXOS_CLIENT_ID' : undefined, clientSecret === undefined ? 'PAXOS_CLIENT_SECRET' : undefined].filter(
    (name): name is string => name !== undefined,
  );
  const flagNames = missing.map((name) => (name === 'PAXOS_CLIENT_ID' ? '--client-id' : '--client-secret')).join(' and ');
  throw new UsageError(
    'MISSING_CREDENTIALS',
    `--target ${targetName} needs ${missing.join(' and ')}: pass ${flagNames}, put ${missing.join(' and ')} in a file given with --credentials-file, or set ${missing.length === 1 ? 'it' : 'them'} in the environment`,
  );
};
