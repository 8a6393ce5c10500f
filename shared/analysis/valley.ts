import type { SizePoint } from './fit';

/**
 * Valley statistics of one scaling curve (definitions in docs/ANALYSIS.md):
 * - baseline B: the untrained score (the point at size 0, or given);
 * - valley: the lowest point among sizes > 0, (n_v, y_v);
 * - drop: (B − y_v) / B · 100, in percent of the baseline (positive when the curve dips below it);
 * - recovery size: the first size after the valley where the curve, drawn as straight segments in
 *   (log10 n, y), reaches B again; null when it never does;
 * - gain: y_last − y_v from the valley to the largest size (absolute, and in percent of y_v).
 */
export interface ValleyStats {
  readonly baseline: number | null;
  readonly valleySize: number;
  readonly valleyValue: number;
  /** True when the lowest point lies strictly below the baseline. */
  readonly dips: boolean;
  readonly dropPercent: number | null;
  readonly dropAbsolute: number | null;
  readonly recoverySize: number | null;
  /** True when the curve never dipped below the baseline, or came back to it; false without a baseline. */
  readonly recovered: boolean;
  readonly largestSize: number;
  readonly largestValue: number;
  readonly gainAbsolute: number;
  readonly gainPercent: number | null;
}

export type ValleyOutcome = { ok: true; stats: ValleyStats } | { ok: false; reason: string };

/** Average duplicate sizes (e.g. seeds) and sort by size. */
export const meanBySize = (points: readonly SizePoint[]): SizePoint[] => {
  const groups = new Map<number, number[]>();
  for (const p of points) {
    if (!Number.isFinite(p.value) || !Number.isFinite(p.size)) continue;
    const g = groups.get(p.size) ?? [];
    g.push(p.value);
    groups.set(p.size, g);
  }
  return [...groups.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([size, vs]) => ({ size, value: vs.reduce((s, v) => s + v, 0) / vs.length }));
};

/**
 * Compute the valley statistics. `baseline` overrides the size-0 point; pass null to use the size-0 point
 * when there is one (and no baseline when there is none).
 */
export const valleyStats = (points: readonly SizePoint[], baseline: number | null = null): ValleyOutcome => {
  const curve = meanBySize(points);
  const base = baseline ?? curve.find((p) => p.size === 0)?.value ?? null;
  const trained = curve.filter((p) => p.size > 0);
  if (trained.length === 0) return { ok: false, reason: 'the curve has no point with size > 0' };
  let vi = 0;
  trained.forEach((p, i) => {
    if (p.value < (trained[vi] as SizePoint).value) vi = i;
  });
  const valley = trained[vi] as SizePoint;
  const last = trained[trained.length - 1] as SizePoint;
  const dips = base !== null && valley.value < base;
  let recoverySize: number | null = null;
  if (base !== null && dips) {
    for (let i = vi; i + 1 < trained.length; i++) {
      const p = trained[i] as SizePoint;
      const q = trained[i + 1] as SizePoint;
      if (p.value < base && q.value >= base) {
        const x1 = Math.log10(p.size);
        const x2 = Math.log10(q.size);
        recoverySize = 10 ** (x1 + ((base - p.value) * (x2 - x1)) / (q.value - p.value));
        break;
      }
    }
  }
  const dropAbsolute = base === null ? null : base - valley.value;
  return {
    ok: true,
    stats: {
      baseline: base,
      valleySize: valley.size,
      valleyValue: valley.value,
      dips,
      dropAbsolute,
      dropPercent: base === null || base === 0 || dropAbsolute === null ? null : (dropAbsolute / base) * 100,
      recoverySize,
      recovered: base !== null && (!dips || recoverySize !== null),
      largestSize: last.size,
      largestValue: last.value,
      gainAbsolute: last.value - valley.value,
      gainPercent: valley.value === 0 ? null : ((last.value - valley.value) / valley.value) * 100,
    },
  };
};
