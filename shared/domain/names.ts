import { z } from 'zod';

/**
 * Names a user gives things that can become a folder or file name (datasets, partitions, subsets, runs, jobs,
 * figures, cluster profiles). One rule everywhere, checked by the contract, so no name can climb out of its
 * folder, hide itself, or be a device on Windows.
 */
export const NAME_MAX = 100;

/** Windows device names, alone or with any extension (`con`, `con.txt`, `LPT1.json`). */
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[1-9]|lpt[1-9])(\..*)?$/i;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
const PATH_CHARS = /[/\\:*?"<>|]/;

/** Why `name` is not a safe name, or null when it is. */
export const nameProblem = (name: string): string | null => {
  if (name.length === 0) return 'must not be empty';
  if (name.length > NAME_MAX) return `must be at most ${NAME_MAX} characters`;
  if (name === '.' || name === '..') return 'must not be "." or ".."';
  if (name.startsWith('.')) return 'must not start with "."';
  if (CONTROL.test(name)) return 'must not contain control characters (newline, tab, NUL)';
  if (PATH_CHARS.test(name)) return 'must not contain any of / \\ : * ? " < > |';
  if (/[ .]$/.test(name)) return 'must not end with a space or "."';
  if (/^\s/.test(name)) return 'must not start with a space';
  if (WINDOWS_RESERVED.test(name)) return 'must not be a reserved device name (con, prn, aux, nul, com1-9, lpt1-9)';
  return null;
};

export const isSafeName = (name: string): boolean => nameProblem(name) === null;

/** A checked name: the brand says it went through `nameProblem`. */
export const safeName = z
  .string()
  .superRefine((name, ctx) => {
    const problem = nameProblem(name);
    if (problem) ctx.addIssue({ code: 'custom', message: `name ${problem}` });
  })
  .brand<'SafeName'>();
export type SafeName = z.output<typeof safeName>;

/** The nearest safe name to any text (for names Valley suggests from file names). */
export const toSafeName = (text: string, fallback = 'dataset'): SafeName => {
  let s = text
    .replace(/[\u0000-\u001f\u007f/\\:*?"<>|]+/g, '-') // eslint-disable-line no-control-regex
    .replace(/^[\s.]+/, '')
    .slice(0, NAME_MAX)
    .replace(/[\s.]+$/, '');
  if (WINDOWS_RESERVED.test(s)) s = s.replace(/^([^.]*)/, '$1_');
  return (isSafeName(s) ? s : fallback) as SafeName;
};
