import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../cli/_io.js';
import { parseJsonReport, parseJunit } from './_reports.js';

/** Personal-data fields whose values must never show up in any output. */
const CANARY_FIELDS = new Set(['cip_id', 'tax_payer_id', 'govt_id', 'date_of_birth', 'email']);

const base64Forms = (value: string): string[] => {
  const encoded = Buffer.from(value).toString('base64');
  return [encoded, encoded.replace(/=+$/, ''), Buffer.from(value).toString('base64url')];
};

/** A value and the forms it can leak in: SSNs with and without dashes, secrets in base64. */
export const canaryForms = (value: string, secret = false): string[] => {
  const forms = [value];
  const ssn = /^(\d{3})-?(\d{2})-?(\d{4})$/.exec(value);
  if (ssn) forms.push(ssn.slice(1).join(''), ssn.slice(1).join('-'));
  if (secret) forms.push(...base64Forms(value));
  // As the HTML report would write it, escaped.
  forms.push(value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;'));
  return [...new Set(forms)];
};

/** The values under canary fields of every body, at any depth. */
export const personalValues = (bodies: readonly unknown[]): string[] => {
  const found = new Set<string>();
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        if (CANARY_FIELDS.has(key) && (typeof item === 'string' || typeof item === 'number')) found.add(String(item));
        else walk(item);
      }
    }
  };
  bodies.forEach(walk);
  return [...found];
};

/** Every output of a run, by where it went. */
export type Outputs = Record<string, string>;

/** `where: form` for each canary form found in any output; also any dashed SSN at all. */
export const findLeaks = (outputs: Outputs, canaries: readonly string[]): string[] => {
  const leaks: string[] = [];
  for (const [where, text] of Object.entries(outputs)) {
    for (const canary of canaries) if (canary !== '' && text.includes(canary)) leaks.push(`${where}: ${canary}`);
    for (const match of text.matchAll(/(?<![\w-])\d{3}-\d{2}-\d{4}(?![\w-])/g)) leaks.push(`${where}: SSN-shaped ${match[0]}`);
  }
  return leaks;
};

/**
 * Runs `paxflow run` with --verbose and every reporter (pretty and github on stdout, json, junit and
 * html to files), under GitHub Actions, and returns everything it wrote; throws if a report does not conform.
 */
export const runEverywhere = async (argv: string[], env: Record<string, string> = {}) => {
  const dir = mkdtempSync(join(tmpdir(), 'paxflow-canary-'));
  const json = join(dir, 'out', 'report.json');
  const junit = join(dir, 'out', 'junit.xml');
  const html = join(dir, 'out', 'report.html');
  const result = await runCli(
    ['run', ...argv, '--verbose', '--reporter', 'pretty', '--reporter', 'github', '--reporter', `json=${json}`, '--reporter', `junit=${junit}`, '--reporter', `html=${html}`],
    { env: { GITHUB_ACTIONS: 'true', ...env } },
  );
  const outputs: Outputs = { stdout: result.stdout, stderr: result.stderr };
  const out = join(dir, 'out');
  for (const name of existsSync(out) ? readdirSync(out) : []) outputs[name] = readFileSync(join(out, name), 'utf8');
  // Whatever the run went through, its reports conform: the JSON to its schema, the XML well-formed.
  if (outputs['report.json'] !== undefined) parseJsonReport(outputs['report.json']);
  if (outputs['junit.xml'] !== undefined) parseJunit(outputs['junit.xml']);
  return { code: result.code, stdout: result.stdout, stderr: result.stderr, outputs, dir };
};
