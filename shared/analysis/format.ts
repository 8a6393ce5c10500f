/** A data size as figures, tables, the CLI and the UI print it: 500, 1K, 1.5K, 30K, 2.5M. */
export const formatSize = (n: number): string => {
  const fmt = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(v < 10 ? 1 : 0));
  if (n >= 1e6) return `${fmt(n / 1e6)}M`;
  if (n >= 1e3) return `${fmt(n / 1e3)}K`;
  return fmt(n);
};

/** A share (pass@1, a rate) as the UI prints it: a percentage with one decimal (0.1234 → 12.3%); – when there is none. */
export const pct = (v: number | null | undefined): string =>
  v === null || v === undefined ? '–' : `${(v * 100).toFixed(1)}%`;

/** A metric that is a share (pass@k, a rate) and prints as a percentage. */
export const isShare = (metric: string): boolean => /^pass@|_rate$/.test(metric);
