import { describe, expect, it } from 'vitest';
import { confidenceBand, fitLogLinear, predict, sampleFit, type LogLinearFit } from '../../../shared/analysis/fit';
import { normalQuantile, studentTQuantile } from '../../../shared/analysis/stats';

/*
 * Reference numbers were computed independently with Python 3 + numpy 2.4.6 / scipy 1.17.1 on this machine:
 *   x = np.log10(sizes); b, a = np.polyfit(x, y, 1); r = scipy.stats.linregress(x, y)
 *   (slope, intercept, rvalue**2, stderr, intercept_stderr); t = scipy.stats.t.ppf(0.975, m - 2);
 *   band(n) = a + b·log10(n) ± t·s·sqrt(1/m + (log10(n) − x̄)²/Sxx) with s = sqrt(SSE/(m − 2)).
 */
const sizes = [1000, 3000, 10000, 30000, 100000];
const values = [0.31, 0.38, 0.45, 0.52, 0.6];
const curve = sizes.map((size, i) => ({ size, value: values[i] as number }));

const mustFit = (outcome: ReturnType<typeof fitLogLinear>): LogLinearFit => {
  if (!outcome.ok) throw new Error(outcome.reason);
  return outcome.fit;
};

describe('Student t and normal quantiles (scipy.stats.t.ppf / norm.ppf)', () => {
  const table: [number, number, number][] = [
    [1, 12.706204736174694, 6.313751514675037],
    [2, 4.302652729749462, 2.9199855803537242],
    [3, 3.1824463052837078, 2.3533634348018233],
    [5, 2.5705818356363146, 2.0150483733330233],
    [10, 2.228138851986274, 1.8124611228116756],
    [30, 2.0422724563012378, 1.697260886593957],
    [100, 1.9839715185235518, 1.6602343260853392],
    [1000, 1.9623390808264083, 1.6463788172854643],
  ];
  it.each(table)('df = %i', (df, q975, q95) => {
    expect(studentTQuantile(0.975, df)).toBeCloseTo(q975, 9);
    expect(studentTQuantile(0.95, df)).toBeCloseTo(q95, 9);
    expect(studentTQuantile(0.025, df)).toBeCloseTo(-q975, 9);
  });
  it('works for non-integer df and approaches the normal quantile', () => {
    expect(studentTQuantile(0.975, 1e7)).toBeCloseTo(1.959963984540054, 5);
    expect(studentTQuantile(0.975, 2.5)).toBeGreaterThan(studentTQuantile(0.975, 3));
    expect(studentTQuantile(0.975, 2.5)).toBeLessThan(studentTQuantile(0.975, 2));
  });
  it('normal quantile', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 8);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232306167813, 8);
  });
});

describe('fitLogLinear', () => {
  it('matches numpy.polyfit and scipy.stats.linregress on log10(n)', () => {
    const fit = mustFit(fitLogLinear(curve));
    expect(fit.slope).toBeCloseTo(0.14400042592099116, 12);
    expect(fit.intercept).toBeCloseTo(-0.12268388405800175, 12);
    expect(fit.r2).toBeCloseTo(0.9994859585161224, 12);
    expect(fit.slopeSe).toBeCloseTo(0.001885445072817193, 12);
    expect(fit.interceptSe).toBeCloseTo(0.00764175269924787, 12);
    expect(fit.residualSe).toBeCloseTo(0.002981524899754101, 12);
    expect(fit.tQuantile).toBeCloseTo(3.1824463052837078, 9);
    expect(fit.df).toBe(3);
    expect(fit.points).toBe(5);
  });

  it('gives the 95% confidence band of the mean at any size', () => {
    const fit = mustFit(fitLogLinear(curve));
    const expected: [number, number, number][] = [
      [1000, 0.30201298015291467, 0.3166218072570288],
      [5000, 0.4053787539538395, 0.4145599901168715],
      [100000, 0.5899241656837454, 0.6047123254101626],
      [300000, 0.6561477048367137, 0.6759001140483725],
    ];
    for (const [n, lo, hi] of expected) {
      const band = confidenceBand(fit, n);
      expect(band?.lo).toBeCloseTo(lo, 9);
      expect(band?.hi).toBeCloseTo(hi, 9);
    }
    // The band is narrowest at the mean of log n and widens outward.
    const mid = confidenceBand(fit, 10 ** fit.meanLogSize);
    const far = confidenceBand(fit, 1e6);
    expect((mid?.hi ?? 0) - (mid?.lo ?? 0)).toBeLessThan((far?.hi ?? 0) - (far?.lo ?? 0));
  });

  it('fits only the chosen range and never size 0', () => {
    const withBaseline = [{ size: 0, value: 0.5 }, ...curve];
    const all = mustFit(fitLogLinear(withBaseline));
    expect(all.points).toBe(5);
    const part = mustFit(fitLogLinear(withBaseline, { min: 3000, max: 30000 }));
    expect(part.points).toBe(3);
    expect(part.minSize).toBe(3000);
    expect(part.maxSize).toBe(30000);
    // scipy.stats.linregress(log10([3000, 10000, 30000]), [.38, .45, .52])
    expect(part.slope).toBeCloseTo(0.13990235990726863, 12);
    expect(part.intercept).toBeCloseTo(-0.10747557932478352, 12);
    expect(part.r2).toBeCloseTo(0.9993025707662044, 12);
  });

  it('two points: exact line, no standard errors or band (df = 0)', () => {
    // numpy.polyfit(log10([1000, 10000]), [0.3, 0.5], 1) → [0.2, -0.3]
    const fit = mustFit(
      fitLogLinear([
        { size: 1000, value: 0.3 },
        { size: 10000, value: 0.5 },
      ]),
    );
    expect(fit.slope).toBeCloseTo(0.2, 12);
    expect(fit.intercept).toBeCloseTo(-0.3, 12);
    expect(fit.df).toBe(0);
    expect(fit.slopeSe).toBeNull();
    expect(fit.tQuantile).toBeNull();
    expect(confidenceBand(fit, 3000)).toBeNull();
    expect(predict(fit, 100000)).toBeCloseTo(0.7, 12);
  });

  it('repeated sizes (seeds) are fitted as separate observations', () => {
    // scipy.stats.linregress(log10([1000, 1000, 10000, 10000, 30000]), [.30, .34, .44, .46, .52])
    const fit = mustFit(
      fitLogLinear([
        { size: 1000, value: 0.3 },
        { size: 1000, value: 0.34 },
        { size: 10000, value: 0.44 },
        { size: 10000, value: 0.46 },
        { size: 30000, value: 0.52 },
      ]),
    );
    expect(fit.slope).toBeCloseTo(0.1335340696206545, 12);
    expect(fit.intercept).toBeCloseTo(-0.08146503920340203, 12);
    expect(fit.r2).toBeCloseTo(0.9683238496762687, 12);
    expect(fit.slopeSe).toBeCloseTo(0.013943998933205528, 12);
    expect(fit.interceptSe).toBeCloseTo(0.05219029048991759, 12);
  });

  it('refuses all-equal sizes, fewer than two points, and a bad level', () => {
    const same = fitLogLinear([
      { size: 1000, value: 0.3 },
      { size: 1000, value: 0.4 },
      { size: 1000, value: 0.5 },
    ]);
    expect(same.ok).toBe(false);
    if (!same.ok) expect(same.reason).toMatch(/same size/);
    const one = fitLogLinear([
      { size: 0, value: 0.5 },
      { size: 1000, value: 0.3 },
    ]);
    expect(one.ok).toBe(false);
    if (!one.ok) expect(one.reason).toMatch(/at least two/);
    expect(fitLogLinear(curve, undefined, 1).ok).toBe(false);
  });

  it('samples the line and band evenly in log n', () => {
    const fit = mustFit(fitLogLinear(curve));
    const s = sampleFit(fit, 1000, 100000, 3);
    expect(s.map((p) => p.size)).toEqual([1000, expect.closeTo(10000, 6), expect.closeTo(100000, 6)]);
    expect(s[0]?.lo).toBeCloseTo(0.30201298015291467, 9);
  });
});
