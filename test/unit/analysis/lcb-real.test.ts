import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBackend, type TestBackend } from '../../helpers/workspace';

const dir = resolve(__dirname, '../../../../shared/data/livecodebench');
const file = join(dir, 'O1-Mini-2024-09-12_N1_Scenario.codegeneration_1_0.2_eval_all.json');
const present = existsSync(file);
if (!present) console.warn(`SKIPPED real LiveCodeBench analysis test: ${file} is absent (../shared not laid out here)`);

/** The analysis on a real LiveCodeBench result (880 problems, one generation each), imported as two runs. */
describe.skipIf(!present)('analysis on a real LiveCodeBench eval_all.json', () => {
  let t: TestBackend;
  beforeAll(async () => {
    t = await startTestBackend();
    await t.call('results.import', { paths: [file], labels: { student: 'o1-mini', size: '0', partition: 'all' } });
    await t.call('results.import', { paths: [file], labels: { student: 'o1-mini', size: '1000', partition: 'all' } });
  });
  afterAll(async () => t?.close());

  it('baseline and point carry LiveCodeBench pass@1, with bootstrap bars close to the binomial ones', async () => {
    const { series } = await t.call('analysis.series', { minSizes: 1 });
    expect(series).toHaveLength(1);
    const s = series[0];
    // Published by ../shared/README.md from LiveCodeBench's own formula.
    expect(s?.baseline?.value).toBeCloseTo(0.684091, 6);
    expect(s?.points[0]?.value).toBeCloseTo(0.684091, 6);
    expect(s?.points[0]?.problems).toBe(880);
    const boot = s?.points[0]?.error;
    expect(boot?.method).toBe('bootstrap');
    const binomialSe = Math.sqrt((0.684091 * (1 - 0.684091)) / 880); // 0.01567
    expect(boot?.se).toBeGreaterThan(binomialSe * 0.9);
    expect(boot?.se).toBeLessThan(binomialSe * 1.1);
    const hard = await t.call('analysis.series', { minSizes: 1, metric: 'pass@1/hard' });
    expect(hard.series[0]?.points[0]?.value).toBeCloseTo(0.348148, 6);
  });

  it('a flat curve: valley equal to the baseline does not dip; one trained size gives no fit', async () => {
    const { fits } = await t.call('analysis.fit', { minSizes: 1 });
    expect(fits[0]?.fit).toBeNull();
    expect(fits[0]?.fitProblem).toMatch(/at least two/);
    expect(fits[0]?.valley?.dips).toBe(false);
    expect(fits[0]?.valley?.dropPercent).toBeCloseTo(0, 10);
  });
});
