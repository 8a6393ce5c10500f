/**
 * Shell quoting for every command Valley runs on a remote host. A value is always wrapped in single quotes
 * (inner ones written as '\''), so a subset named `x'; rm -rf ~ #` stays one harmless argument.
 */
export const shQuote = (value: string | number): string => {
  const s = String(value);
  if (s.includes('\0')) throw new Error('A shell argument cannot contain a NUL byte');
  return `'${s.replaceAll("'", `'\\''`)}'`;
};

/** A command built from a template: interpolated values are quoted; `raw()` values are inserted as they are. */
export interface RawShell {
  readonly raw: string;
}
export const raw = (text: string): RawShell => ({ raw: text });

export const sh = (
  strings: TemplateStringsArray,
  ...values: (string | number | RawShell | readonly string[])[]
): string =>
  strings.reduce((out, part, i) => {
    if (i === 0) return part;
    const v = values[i - 1];
    const text =
      typeof v === 'object' && v !== null && 'raw' in v
        ? v.raw
        : Array.isArray(v)
          ? v.map((x: string) => shQuote(x)).join(' ')
          : shQuote(v as string | number);
    return out + text + part;
  }, '');
