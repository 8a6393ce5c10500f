import { seededRandom } from '../domain/random';
import { normalQuantile, quantileSorted, sampleSd } from './stats';

/** An error bar: a standard error and an interval at the given level. */
export interface ErrorBar {
  readonly method: 'binomial' | 'bootstrap';
  readonly se: number;
  readonly lo: number;
  readonly hi: number;
  readonly level: number;
}

/**
 * Binomial error of a proportion p measured on N independent trials (here: problems):
 * se = sqrt(p(1 − p)/N), interval = the Wilson score interval at `level`, which stays inside [0, 1].
 */
export const binomialError = (p: number, trials: number, level = 0.95): ErrorBar | null => {
  if (!(trials > 0) || !(p >= 0 && p <= 1)) return null;
  const z = normalQuantile(1 - (1 - level) / 2);
  const z2 = z * z;
  const denom = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials));
  return { method: 'binomial', se: Math.sqrt((p * (1 - p)) / trials), lo: centre - half, hi: centre + half, level };
};

/**
 * Bootstrap over problems: draw `resamples` samples of the per-problem scores with replacement (seeded, so the
 * same input and seed always give the same bar), take each sample's mean; se = the standard deviation of those
 * means, interval = their percentile interval at `level`.
 */
export const bootstrapError = (
  scores: readonly number[],
  resamples = 1000,
  seed = 1,
  level = 0.95,
): ErrorBar | null => {
  const m = scores.length;
  if (m === 0 || resamples < 2) return null;
  const rand = seededRandom(seed);
  const means: number[] = new Array<number>(resamples);
  for (let b = 0; b < resamples; b++) {
    let sum = 0;
    for (let i = 0; i < m; i++) sum += scores[Math.floor(rand() * m)] as number;
    means[b] = sum / m;
  }
  means.sort((a, b) => a - b);
  const alpha = (1 - level) / 2;
  return {
    method: 'bootstrap',
    se: sampleSd(means),
    lo: quantileSorted(means, alpha),
    hi: quantileSorted(means, 1 - alpha),
    level,
  };
};
