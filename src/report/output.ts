import { randomBytes } from 'node:crypto';
import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { access, constants, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { RunEvent } from '../engine/results.js';
import { UsageError } from '../errors.js';
import { isCI } from '../util/env-flag.js';
import { makeDirectory } from '../util/make-directory.js';
import type { Redactor } from './redact.js';
import { captureStep, redactEvent } from './redact-result.js';
import type { Reporter, ReporterChoice, ReporterContext } from './reporters.js';
import { useColour } from './style.js';

/** Options of {@link openReports}. */
export interface OpenReportsOptions {
  choices: readonly ReporterChoice[];
  redactor: Redactor;
  stdout: { write(text: string): void; isTTY?: boolean };
  env: Record<string, string | undefined>;
  cwd: string;
  verbose?: boolean;
  /**
   * Write report files as the run goes, to a temporary file renamed into place at the end, rather than
   * holding them whole until then: for batches, whose reports grow with every run. Each piece is
   * redacted as it is written (the units' events come redacted by their own redactors). @default false
   */
  stream?: boolean;
}

/** The reporters of one run behind a single door: every event is redacted before any reporter sees it. */
export interface Reports {
  /** Redacts the event (with `redactor`, a unit's own in a batch; default the reports' redactor) and passes it on. */
  onEvent(event: RunEvent, redactor?: Redactor): void;
  /** Stops the reporters and writes the report files (each atomically: a temporary file, then a rename). */
  finish(): Promise<void>;
}

const reason = (error: unknown): string => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'unknown error';
};

/** Creates the folder of a report file and checks that a file can be put there, before the run starts. */
const prepareFile = async (path: string, shown: string): Promise<void> => {
  try {
    makeDirectory(dirname(path));
    await access(dirname(path), constants.W_OK);
    const existing = await stat(path).catch(() => undefined);
    if (existing?.isDirectory()) throw Object.assign(new Error('directory'), { code: 'EISDIR' });
  } catch (error) {
    throw new UsageError('REPORT_UNWRITABLE', `cannot write the report file ${shown} (${reason(error)})`);
  }
};

const writeAtomically = async (path: string, text: string): Promise<void> => {
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, text);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    throw error;
  }
};

/** A report file written as it goes: appended to a temporary file, renamed into place at the end. */
interface Spill {
  write(text: string): void;
  /** Writes `width` spaces and returns what puts a text in their place, padded (before `finish`). */
  reserve(width: number): (text: string) => void;
  /** Closes and renames the file (nothing when nothing was written); returns the first error, if any. */
  finish(): unknown;
}

const createSpill = (path: string): Spill => {
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  let fd: number | undefined;
  let failure: unknown;
  let size = 0;
  const writeAt = (bytes: Buffer, position: number | null): void => {
    fd ??= openSync(temporary, 'w');
    for (let offset = 0; offset < bytes.length; ) {
      const written = writeSync(fd, bytes, offset, bytes.length - offset, position === null ? null : position + offset);
      offset += written;
    }
  };
  const spill: Spill = {
    write(text) {
      if (failure !== undefined || text === '') return;
      try {
        const bytes = Buffer.from(text, 'utf8');
        writeAt(bytes, null);
        size += bytes.length;
      } catch (error) {
        failure = error;
      }
    },
    reserve(width) {
      const at = size;
      spill.write(' '.repeat(width));
      return (text) => {
        if (failure !== undefined || fd === undefined) return;
        try {
          writeAt(Buffer.from(text.slice(0, width).padEnd(width, ' '), 'utf8'), at);
        } catch (error) {
          failure = error;
        }
      };
    },
    finish() {
      if (fd === undefined) return failure;
      try {
        closeSync(fd);
        fd = undefined;
        if (failure === undefined) renameSync(temporary, path);
      } catch (error) {
        failure ??= error;
      }
      if (failure !== undefined) rmSync(temporary, { force: true });
      return failure;
    },
  };
  return spill;
};

/**
 * Writes one report file outside a run (`paxflow report`): its folder created, the text written to a
 * temporary file renamed into place. `REPORT_UNWRITABLE` when the place cannot take a file,
 * `REPORT_WRITE_FAILED` when the write fails.
 */
export const writeReportFile = async (path: string, shown: string, text: string): Promise<void> => {
  await prepareFile(path, shown);
  try {
    await writeAtomically(path, text);
  } catch (error) {
    throw new UsageError('REPORT_WRITE_FAILED', `cannot write the report file ${shown} (${reason(error)})`);
  }
};

/**
 * Opens the chosen reporters: report folders are created and checked now (`REPORT_UNWRITABLE`, exit 2,
 * before anything runs). Reporters get redacted events and a `write` that redacts again; a file's text
 * is redacted as a whole when it is written, after the run, when every sensitive value has been seen.
 */
export const openReports = async (options: OpenReportsOptions): Promise<Reports> => {
  const { choices, redactor, stdout, env, cwd, verbose = false, stream = false } = options;
  const files: Array<{ path: string; shown: string; chunks: string[]; spill?: Spill }> = [];
  const reporters: Reporter[] = [];
  const terminal = { colour: useColour(stdout.isTTY ?? false, env), live: (stdout.isTTY ?? false) && !isCI(env) };

  for (const choice of choices) {
    let write: (text: string) => void;
    let reserve: ReporterContext['reserve'];
    if (choice.path === undefined) {
      write = (text) => stdout.write(redactor.text(text));
    } else {
      const path = resolve(cwd, choice.path);
      if (files.some((file) => file.path === path)) throw new UsageError('BAD_ARGUMENTS', `two reporters write to the same file ${choice.path}`);
      await prepareFile(path, choice.path);
      const file: (typeof files)[number] = { path, shown: choice.path, chunks: [] };
      files.push(file);
      if (stream) {
        const spill = createSpill(path);
        file.spill = spill;
        write = (text) => spill.write(redactor.text(text));
        // Spaces, then counts: nothing for the redactor to mask, and the length must not change.
        reserve = (width) => spill.reserve(width);
      } else {
        write = (text) => void file.chunks.push(text);
        reserve = (width) => {
          const index = file.chunks.push(' '.repeat(width)) - 1;
          return (text) => void (file.chunks[index] = text.slice(0, width).padEnd(width, ' '));
        };
      }
    }
    const toFile = choice.path !== undefined;
    reporters.push(
      await choice.definition.create({
        write,
        toFile,
        colour: !toFile && terminal.colour,
        live: !toFile && terminal.live,
        verbose,
        pii: redactor.pii,
        cwd,
        env,
        ...(reserve ? { reserve } : {}),
      }),
    );
  }

  const readsAll = choices.some((choice) => choice.definition.reads === undefined);
  const read = new Set(choices.flatMap((choice) => [...(choice.definition.reads ?? [])]));

  return {
    onEvent(event, unitRedactor = redactor) {
      if (!readsAll && !read.has(event.type)) {
        // No reporter shows it, but what it carries is still learnt, so later output masks the same.
        if (event.type === 'step:end') captureStep(event.result, unitRedactor);
        return;
      }
      const redacted = redactEvent(event, unitRedactor);
      for (const reporter of reporters) {
        try {
          reporter.onEvent(redacted);
        } catch {
          // One broken reporter must not silence the others.
        }
      }
    },
    async finish() {
      for (const reporter of reporters) reporter.close?.();
      const failed: string[] = [];
      for (const file of files) {
        if (file.spill) {
          const error = file.spill.finish();
          if (error !== undefined) failed.push(`${file.shown} (${reason(error)})`);
          continue;
        }
        // A run that never started (credentials refused, Ctrl-C during setup) leaves no half-empty report.
        if (file.chunks.length === 0) continue;
        try {
          await writeAtomically(file.path, redactor.text(file.chunks.join('')));
        } catch (error) {
          failed.push(`${file.shown} (${reason(error)})`);
        }
      }
      if (failed.length > 0) throw new UsageError('REPORT_WRITE_FAILED', `cannot write the report file${failed.length === 1 ? '' : 's'} ${failed.join(', ')}`);
    },
  };
};
