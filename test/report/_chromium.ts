import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** What one headless Chromium launch printed. */
export interface ChromiumRun {
  stdout: string;
  /** Everything the page wrote to its console, and its errors (CSP violations, uncaught exceptions). */
  console: string[];
}

/**
 * Opens a file in Debian's headless Chromium (the system browser, never one a package downloads) with
 * a throwaway profile, and returns what it printed: the DOM for `--dump-dom`, nothing for `--screenshot`.
 */
export const chromium = (file: string, flags: string[]): Promise<ChromiumRun> => {
  const profile = mkdtempSync(join(tmpdir(), 'paxflow-chromium-'));
  const args = [
    '--headless=new', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', '--no-first-run', '--disable-extensions',
    `--user-data-dir=${profile}`, '--enable-logging=stderr', '--v=0', ...flags, pathToFileURL(file).href,
  ];
  return new Promise((resolve, reject) => {
    execFile('chromium', args, { timeout: 60_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      rmSync(profile, { recursive: true, force: true });
      if (error) return reject(new Error(`chromium failed: ${error.message}\n${stderr.slice(-2000)}`));
      const console = [...stderr.matchAll(/:CONSOLE[:(]?\d*\)?\] (.*)$/gm)].map((match) => match[1]!);
      resolve({ stdout, console });
    });
  });
};

/** The DOM after the page's script ran. */
export const dumpDom = (file: string): Promise<ChromiumRun> => chromium(file, ['--virtual-time-budget=3000', '--dump-dom']);

/**
 * A copy of a page without its scripts, beside it: what a browser with JavaScript off shows. (Chromium's
 * `--blink-settings=scriptEnabled=false` also stops `--dump-dom` and `--screenshot` from working.)
 */
export const withoutScripts = (file: string): string => {
  const copy = file.replace(/\.html$/, '.noscript.html');
  writeFileSync(copy, readFileSync(file, 'utf8').replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, ''));
  return copy;
};

/** A screenshot of the page's first `height` pixels at 1280 wide. */
export const screenshot = (file: string, png: string, height = 1200): Promise<ChromiumRun> =>
  chromium(file, ['--virtual-time-budget=3000', `--window-size=1280,${height}`, `--screenshot=${png}`]);
