import { isCI } from '../util/env-flag.js';

/** Terminal styling that turns itself off when output is not a terminal, under CI, or with NO_COLOR. */
export interface Style {
  green(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

/** NO_COLOR counts when it is set to anything but the empty string (no-color.org), as in most other tools. */
export const useColour = (isTTY: boolean, env: Record<string, string | undefined>): boolean =>
  isTTY && !isCI(env) && !env.NO_COLOR && env.TERM !== 'dumb';

const wrap = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;
const plain = (text: string) => text;

export const createStyle = (colour: boolean): Style =>
  colour
    ? { green: wrap(32, 39), red: wrap(31, 39), yellow: wrap(33, 39), dim: wrap(2, 22), bold: wrap(1, 22) }
    : { green: plain, red: plain, yellow: plain, dim: plain, bold: plain };
