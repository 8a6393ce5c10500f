import { describe, expect, it } from 'vitest';
import { meanBySize, valleyStats, type ValleyStats } from '../../../shared/analysis/valley';
import { binomialError, bootstrapError } from '../../../shared/analysis/errors';
import { ablationBars } from '../../../shared/analysis/ablation';

const stats = (o: ReturnType<typeof valleyStats>): ValleyStats => {
  if (!o.ok) throw new Error(o.reason);
  return o.stats;
};

describe('valleyStats', () => {
  const curve = [
    { size: 0, value: 0.5 },
    { size: 1000, value: 0.3 },
    { size: 10000, value: 0.45 },
    { size: 30000, value: 0.55 },
    { size: 100000, value: 0.6 },
  ];

  it('finds baseline, valley, drop, recovery (interpolated in log n) and gain', () => {
    const s = stats(valleyStats(curve));
    expect(s.baseline).toBe(0.5);
    expect(s.valleySize).toBe(1000);
    expect(s.valleyValue).toBe(0.3);
    expect(s.dips).toBe(true);
    expect(s.dropAbsolute).toBeCloseTo(0.2, 12);
    expect(s.dropPercent).toBeCloseTo(40, 10);
    // The crossing lies halfway (0.45 → 0.55 through 0.5) between log10 1e4 and log10 3e4, i.e. at
    // sqrt(1e4 · 3e4) = 17320.508075688776 (Python: 10**(4 + 0.5*numpy.log10(3))).
    expect(s.recoverySize).toBeCloseTo(17320.508075688776, 6);
    expect(s.recovered).toBe(true);
    expect(s.largestSize).toBe(100000);
    expect(s.gainAbsolute).toBeCloseTo(0.3, 12);
    expect(s.gainPercent).toBeCloseTo(100, 10);
  });

  it('an explicit baseline overrides the size-0 point', () => {
    const s = stats(valleyStats(curve, 0.45));
    expect(s.baseline).toBe(0.45);
    expect(s.recoverySize).toBe(10000); // reaches exactly 0.45 at 10K
  });

  it('a missing baseline leaves drop and recovery empty but still finds the valley and gain', () => {
    const s = stats(valleyStats(curve.filter((p) => p.size > 0)));
    expect(s.baseline).toBeNull();
    expect(s.dropPercent).toBeNull();
    expect(s.dropAbsolute).toBeNull();
    expect(s.recoverySize).toBeNull();
    expect(s.recovered).toBe(false);
    expect(s.dips).toBe(false);
    expect(s.valleySize).toBe(1000);
    expect(s.gainAbsolute).toBeCloseTo(0.3, 12);
  });

  it('a curve that never dips has a negative drop and no recovery size', () => {
    const s = stats(
      valleyStats([
        { size: 0, value: 0.2 },
        { size: 1000, value: 0.25 },
        { size: 10000, value: 0.4 },
      ]),
    );
    expect(s.dips).toBe(false);
    expect(s.valleySize).toBe(1000);
    expect(s.dropPercent).toBeCloseTo(-25, 10);
    expect(s.recoverySize).toBeNull();
    expect(s.recovered).toBe(true);
  });

  it('a curve that dips and never recovers', () => {
    const s = stats(
      valleyStats([
        { size: 0, value: 0.5 },
        { size: 1000, value: 0.2 },
        { size: 10000, value: 0.4 },
      ]),
    );
    expect(s.dips).toBe(true);
    expect(s.recoverySize).toBeNull();
    expect(s.recovered).toBe(false);
    expect(s.dropPercent).toBeCloseTo(60, 10);
  });

  it('averages repeated sizes (seeds) before looking for the valley', () => {
    expect(
      meanBySize([
        { size: 10, value: 1 },
        { size: 1, value: 2 },
        { size: 10, value: 3 },
      ]),
    ).toEqual([
      { size: 1, value: 2 },
      { size: 10, value: 2 },
    ]);
    const s = stats(
      valleyStats([
        { size: 0, value: 0.5 },
        { size: 1000, value: 0.2 },
        { size: 1000, value: 0.4 },
        { size: 2000, value: 0.35 },
      ]),
    );
    expect(s.valleySize).toBe(1000);
    expect(s.valleyValue).toBeCloseTo(0.3, 12);
  });

  it('two points: baseline and one trained size', () => {
    const s = stats(
      valleyStats([
        { size: 0, value: 0.5 },
        { size: 1000, value: 0.4 },
      ]),
    );
    expect(s.valleySize).toBe(1000);
    expect(s.gainAbsolute).toBe(0);
    expect(s.recoverySize).toBeNull();
  });

  it('refuses a curve with only the baseline', () => {
    const o = valleyStats([{ size: 0, value: 0.5 }]);
    expect(o.ok).toBe(false);
  });
});

describe('error bars', () => {
  it('binomial: se = sqrt(p(1-p)/N) and the Wilson interval (plain-Python formula, z = norm.ppf(.975))', () => {
    const e = binomialError(0.3, 400);
    expect(e?.se).toBeCloseTo(0.0229128784747792, 12);
    expect(e?.lo).toBeCloseTo(0.25716767195619705, 8);
    expect(e?.hi).toBeCloseTo(0.34663724577752153, 8);
    const zero = binomialError(0, 50);
    expect(zero?.lo).toBeCloseTo(0, 12);
    expect(zero?.hi).toBeGreaterThan(0);
    expect(binomialError(0.5, 0)).toBeNull();
  });

  it('bootstrap over problems is deterministic for a seed and close to the analytic se', () => {
    const scores = Array.from({ length: 400 }, (_, i) => (i % 10 < 3 ? 1 : 0)); // p = 0.3
    const a = bootstrapError(scores, 2000, 42);
    const b = bootstrapError(scores, 2000, 42);
    const c = bootstrapError(scores, 2000, 43);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    // Analytic se of a mean of 400 Bernoulli(0.3) draws with the plug-in variance: sqrt(.3·.7/400) = 0.02291
    expect(a?.se).toBeGreaterThan(0.0229 * 0.9);
    expect(a?.se).toBeLessThan(0.0229 * 1.1);
    expect(a?.lo).toBeLessThan(0.3);
    expect(a?.hi).toBeGreaterThan(0.3);
    expect(bootstrapError([], 100, 1)).toBeNull();
    const constant = bootstrapError([1, 1, 1], 100, 1);
    expect(constant?.se).toBe(0);
    expect(constant?.lo).toBe(1);
  });
});

describe('ablationBars', () => {
  it('relative improvement over a reference, skipping runs without the metric', () => {
    const bars = ablationBars(0.4, [
      { runId: 'a', label: 'correct', value: 0.44 },
      { runId: 'b', label: 'incorrect', value: 0.38 },
      { runId: 'c', label: 'missing', value: undefined },
    ]);
    expect(bars.map((b) => b.label)).toEqual(['correct', 'incorrect']);
    expect(bars[0]?.relativePercent).toBeCloseTo(10, 10);
    expect(bars[1]?.relativePercent).toBeCloseTo(-5, 10);
    expect(bars[1]?.delta).toBeCloseTo(-0.02, 12);
    expect(ablationBars(0, [{ runId: 'a', label: 'x', value: 0.1 }])[0]?.relativePercent).toBeNull();
  });
});
