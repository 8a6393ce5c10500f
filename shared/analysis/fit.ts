import { studentTQuantile } from './stats';

/** One observation: a training-set size n (> 0 to be fitted) and a score y. */
export interface SizePoint {
  readonly size: number;
  readonly value: number;
}

/** Sizes to fit over, inclusive on both ends; either end may be left open. */
export interface SizeRange {
  readonly min?: number | null;
  readonly max?: number | null;
}

/**
 * Ordinary least squares of y = a + b·log10(n).
 * Standard errors, t and the confidence band need at least three points with at least two distinct sizes
 * (df = m − 2 > 0); with exactly two they are null (a line through two points has no residual to estimate from).
 */
export interface LogLinearFit {
  /** Intercept: the fitted score at n = 1. */
  readonly intercept: number;
  /** Slope: the change in score per tenfold increase in n. */
  readonly slope: number;
  readonly r2: number | null;
  readonly interceptSe: number | null;
  readonly slopeSe: number | null;
  /** Residual standard error s = sqrt(SSE / df). */
  readonly residualSe: number | null;
  /** Points used (m) and degrees of freedom (m − 2). */
  readonly points: number;
  readonly df: number;
  /** The Student t quantile t(1 − α/2, df) the band uses; null when df = 0. */
  readonly tQuantile: number | null;
  readonly level: number;
  /** The sizes actually fitted (after the range filter), smallest and largest. */
  readonly minSize: number;
  readonly maxSize: number;
  /** Mean of log10(n) and Σ(x − x̄)², kept so the band can be evaluated anywhere. */
  readonly meanLogSize: number;
  readonly sxx: number;
}

export type FitOutcome = { ok: true; fit: LogLinearFit } | { ok: false; reason: string };

export const inRange = (size: number, range: SizeRange | undefined): boolean =>
  (range?.min === undefined || range.min === null || size >= range.min) &&
  (range?.max === undefined || range.max === null || size <= range.max);

/** Fit y = a + b·log10(n) over the points whose size lies in `range` (sizes ≤ 0 are never fitted). */
export const fitLogLinear = (points: readonly SizePoint[], range?: SizeRange, level = 0.95): FitOutcome => {
  if (!(level > 0 && level < 1)) return { ok: false, reason: `confidence level must be between 0 and 1, not ${level}` };
  const used = points.filter((p) => p.size > 0 && Number.isFinite(p.value) && inRange(p.size, range));
  const m = used.length;
  if (m < 2) return { ok: false, reason: `a fit needs at least two points with size > 0 in the range; found ${m}` };
  const xs = used.map((p) => Math.log10(p.size));
  const ys = used.map((p) => p.value);
  const xbar = xs.reduce((s, x) => s + x, 0) / m;
  const ybar = ys.reduce((s, y) => s + y, 0) / m;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  xs.forEach((x, i) => {
    const y = ys[i] as number;
    sxx += (x - xbar) ** 2;
    sxy += (x - xbar) * (y - ybar);
    syy += (y - ybar) ** 2;
  });
  if (sxx <= 1e-24) return { ok: false, reason: 'all points have the same size, so no slope can be fitted' };
  const slope = sxy / sxx;
  const intercept = ybar - slope * xbar;
  const sse = xs.reduce((s, x, i) => s + ((ys[i] as number) - intercept - slope * x) ** 2, 0);
  const df = m - 2;
  const r2 = syy > 0 ? 1 - sse / syy : null;
  let residualSe: number | null = null;
  let slopeSe: number | null = null;
  let interceptSe: number | null = null;
  let tQuantile: number | null = null;
  if (df > 0) {
    residualSe = Math.sqrt(sse / df);
    slopeSe = residualSe / Math.sqrt(sxx);
    interceptSe = residualSe * Math.sqrt(1 / m + (xbar * xbar) / sxx);
    tQuantile = studentTQuantile(1 - (1 - level) / 2, df);
  }
  const sizes = used.map((p) => p.size);
  return {
    ok: true,
    fit: {
      intercept,
      slope,
      r2,
      interceptSe,
      slopeSe,
      residualSe,
      points: m,
      df,
      tQuantile,
      level,
      minSize: Math.min(...sizes),
      maxSize: Math.max(...sizes),
      meanLogSize: xbar,
      sxx,
    },
  };
};

/** The fitted score at size n. */
export const predict = (fit: LogLinearFit, size: number): number => fit.intercept + fit.slope * Math.log10(size);

/**
 * The confidence band for the mean response at size n:
 * ŷ ± t(1 − α/2, m − 2) · s · sqrt(1/m + (log10 n − x̄)² / Sxx). Null when df = 0.
 */
export const confidenceBand = (fit: LogLinearFit, size: number): { lo: number; hi: number } | null => {
  if (fit.residualSe === null || fit.tQuantile === null) return null;
  const x = Math.log10(size);
  const half = fit.tQuantile * fit.residualSe * Math.sqrt(1 / fit.points + (x - fit.meanLogSize) ** 2 / fit.sxx);
  const y = predict(fit, size);
  return { lo: y - half, hi: y + half };
};

/** The fit line and band sampled at `count` sizes evenly spaced in log n between `from` and `to`. */
export const sampleFit = (
  fit: LogLinearFit,
  from = fit.minSize,
  to = fit.maxSize,
  count = 48,
): { size: number; value: number; lo: number | null; hi: number | null }[] => {
  const a = Math.log10(from);
  const b = Math.log10(to);
  return Array.from({ length: count }, (_, i) => {
    const size = 10 ** (a + ((b - a) * i) / Math.max(1, count - 1));
    const band = confidenceBand(fit, size);
    return { size, value: predict(fit, size), lo: band?.lo ?? null, hi: band?.hi ?? null };
  });
};
