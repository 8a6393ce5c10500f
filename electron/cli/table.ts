/** Format rows as an aligned plain-text table for the terminal. */
export const formatTable = (headers: string[], rows: unknown[][]): string => {
  const cell = (v: unknown): string =>
    v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v).replace(/\s+/g, ' ');
  const clip = (s: string) => (s.length > 60 ? `${s.slice(0, 59)}…` : s);
  const texts = rows.map((r) => r.map((v) => clip(cell(v))));
  const widths = headers.map((h, i) => Math.max(h.length, ...texts.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...texts.map(line)].join('\n');
};
