/** A data size as figures, tables, the CLI and the UI print it: 500, 1K, 1.5K, 30K, 2.5M. */
export const formatSize = (n: number): string => {
  const fmt = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(v < 10 ? 1 : 0));
  if (n >= 1e6) return `${fmt(n / 1e6)}M`;
  if (n >= 1e3) return `${fmt(n / 1e3)}K`;
  return fmt(n);
};

/** A metric that is a share (pass@k, a rate) and prints as a percentage. */
export const isShare = (metric: string): boolean => /^pass@|_rate$/.test(metric);
