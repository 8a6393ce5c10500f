import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fitLogLinear } from '../../../shared/analysis/fit';
import { insertRun } from '../../../electron/services/runs/store';
import { startTestBackend, type TestBackend } from '../../helpers/workspace';

const hasPdftotext = (() => {
  try {
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('analysis backend on the demo workspace', () => {
  let t: TestBackend;
  const out = mkdtempSync(join(tmpdir(), 'valley-fig-'));
  beforeAll(async () => {
    t = await startTestBackend({ demo: true, demoTraces: 200 });
  });
  afterAll(async () => t.close());

  it('builds one scaling series per student with baselines and bootstrap error bars', async () => {
    const { series } = await t.call('analysis.series', {});
    expect(series.map((s) => s.label)).toEqual(['Llama3.1-8B-Instruct', 'Qwen2.5-7B-Instruct']);
    for (const s of series) {
      expect(s.points.map((p) => p.size)).toEqual([1000, 10000, 30000]);
      expect(s.baseline?.runIds).toHaveLength(1);
      expect(
        s.points.every((p) => p.error?.method === 'bootstrap' && p.error.lo <= p.value && p.value <= p.error.hi),
      ).toBe(true);
    }
    // The point value is the run's pass@1: the mean over problems of passed / n, recomputed here in SQL.
    const q = series.find((s) => s.student.startsWith('Qwen'));
    const p = q?.points[0];
    const r = await t.call('sql.query', {
      sql: `SELECT avg(passed / n) FROM valley_run_problems WHERE run_id = '${p?.runIds[0]}'`,
    });
    expect(p?.value).toBeCloseTo(Number(r.rows[0]?.[0]), 12);
    const binomial = await t.call('analysis.series', { errors: 'binomial' });
    expect(binomial.series[0]?.points[0]?.error?.method).toBe('binomial');
    const single = await t.call('analysis.series', { partitions: ['all', 'correct'], minSizes: 1 });
    expect(single.series.map((s) => s.label)).toContain('Qwen2.5-7B-Instruct · correct');
  });

  it('fits over a chosen range and finds the demo valley at 1K', async () => {
    const { series, fits } = await t.call('analysis.fit', { range: { min: 1000, max: 30000 } });
    for (const [i, f] of fits.entries()) {
      const s = series[i];
      const again = fitLogLinear(s?.points ?? [], { min: 1000, max: 30000 });
      expect(again.ok && f.fit?.slope).toBeCloseTo(again.ok ? again.fit.slope : NaN, 12);
      expect(f.fit?.df).toBe(1);
      expect(f.band.length).toBeGreaterThan(10);
      expect(f.valley?.valleySize).toBe(1000);
      expect(f.valley?.dips).toBe(true);
      expect(f.valley?.recoverySize).toBeGreaterThan(1000);
      expect(f.valley?.recoverySize).toBeLessThan(10000);
    }
    const narrow = await t.call('analysis.fit', { range: { min: 5000, max: 20000 } });
    expect(narrow.fits[0]?.fit).toBeNull();
    expect(narrow.fits[0]?.fitProblem).toMatch(/at least two/);
  });

  it('computes ablations against the "all" run at the same size', async () => {
    const { groups } = await t.call('analysis.ablations', {});
    expect(groups).toHaveLength(2);
    const g = groups[0];
    expect(g?.size).toBe(10000);
    expect(g?.bars.map((b) => b.label).sort()).toEqual(['correct', 'easy', 'hard', 'incorrect']);
    for (const b of g?.bars ?? [])
      expect(b.relativePercent).toBeCloseTo(((b.value - b.reference) / b.reference) * 100, 10);
    // shaped like the seed study: correct ≈ incorrect, easy beats hard by about a third, for both students
    for (const group of groups) {
      const bar = (label: string) => group.bars.find((b) => b.label === label)?.value ?? NaN;
      expect(Math.abs(bar('correct') - bar('incorrect')) / group.bars[0]!.reference).toBeLessThan(0.1);
      expect(bar('easy') / bar('hard')).toBeGreaterThan(1.2);
      expect(bar('easy') / bar('hard')).toBeLessThan(1.55);
    }
    await expect(t.call('analysis.ablations', { referenceRunId: 'nope' })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('exports SVG with axis labels, text-searchable PDF with an embedded font, PNG at the requested pixel size', async () => {
    const svg = await t.call('analysis.figure', { kind: 'scaling', format: 'svg', preset: 'single' });
    expect(svg.encoding).toBe('utf8');
    expect(svg.content).toContain('>Training examples</text>');
    expect(svg.content).toContain('>pass@1 (%)</text>');
    expect(svg.widthPt).toBeCloseTo(234, 6);
    expect(new Resvg(svg.content).width).toBe(312); // parses as SVG: 234 pt = 3.25 in = 312 CSS px
    const png = await t.call('analysis.figure', { kind: 'difficulty', format: 'png', preset: 'double', dpi: 150 });
    const buf = Buffer.from(png.content, 'base64');
    expect(buf.subarray(1, 4).toString()).toBe('PNG');
    expect(buf.readUInt32BE(16)).toBe(Math.round(6.75 * 150));
    expect(png.widthPx).toBe(1013);
    const pdf = await t.call('analysis.figure', { kind: 'completion', format: 'pdf', preset: 'single' });
    const pdfBuf = Buffer.from(pdf.content, 'base64');
    expect(pdfBuf.subarray(0, 5).toString()).toBe('%PDF-');
    if (!hasPdftotext) {
      console.warn('SKIPPED: pdftotext (poppler-utils) is not installed; PDF text extraction not checked');
      return;
    }
    const file = join(out, 'completion.pdf');
    writeFileSync(file, pdfBuf);
    const text = execFileSync('pdftotext', [file, '-']).toString();
    expect(text).toContain('Training examples');
    expect(text).toContain('think-tag occurrence');
    const fonts = execFileSync('pdffonts', [file]).toString();
    expect(fonts).toMatch(/SourceSans3-\w+\s+CID TrueType\s+Identity-H\s+yes\s+yes/);
  });

  it('refuses to draw an empty figure, saying why', async () => {
    await expect(t.call('analysis.figure', { query: { students: ['nobody'] } })).rejects.toMatchObject({
      code: 'not_found',
      details: { field: 'query' },
    });
    await expect(
      t.call('analysis.figure', { kind: 'ablation', ablation: { referencePartition: 'none' } }),
    ).rejects.toMatchObject({ code: 'not_found' });
  });

  it('writes the data and fit parameters beside the figure as CSV and LaTeX, and the recipe', async () => {
    const fig = await t.call('analysis.figure', { kind: 'scaling', format: 'svg', range: { min: 1000 } });
    const lines = fig.csv.trim().split('\n');
    expect(lines[0]).toBe('series,student,partition,metric,quantity,size,value,lo,hi,se,problems,runs');
    expect(lines.filter((l) => l.includes(',point,'))).toHaveLength(6);
    expect(lines.filter((l) => l.includes(',slope_per_decade,'))).toHaveLength(2);
    expect(fig.latex).toContain('\\begin{tabular}');
    expect(fig.latex).toContain('\\toprule');
    expect(fig.recipe.range).toEqual({ min: 1000, max: null });
    const latex = await t.call('analysis.table', { kind: 'ablation', tableFormat: 'latex' });
    expect(latex.text).toContain('correct');
    const csv = await t.call('analysis.table', { kind: 'ablation', tableFormat: 'csv' });
    expect(csv.text.trim().split('\n')).toHaveLength(9);
  });

  it('compares two runs down to the problems one solved and the other did not', async () => {
    const c = await t.call('analysis.compareRuns', { a: 'demo-qwen7b-all-30000', b: 'demo-qwen7b-all-1000' });
    expect(c.both + c.neither + c.onlyA.length + c.onlyB.length + c.unmatched).toBe(400);
    expect(c.onlyA.length).toBeGreaterThan(c.onlyB.length);
    const solvedA = Math.round((c.a.metrics['pass@1'] ?? 0) * 400);
    expect(c.both + c.onlyA.length).toBe(solvedA);
    expect(c.onlyA.every((p) => p.a > 0 && p.b === 0)).toBe(true);
    await expect(t.call('analysis.compareRuns', { a: 'x', b: 'demo-qwen7b-all-1000' })).rejects.toMatchObject({
      code: 'not_found',
      details: { field: 'a' },
    });
  });

  it('fits seeds as separate observations and averages them into one point', async () => {
    // 100 problems, one generation each; pass counts chosen so pass@1 is exactly .30/.34 @1K, .44/.46 @10K, .52 @30K.
    const runs: [number, number, number][] = [
      [1000, 1, 30],
      [1000, 2, 34],
      [10000, 1, 44],
      [10000, 2, 46],
      [30000, 1, 52],
    ];
    await t.backend.services.workspace.engine.transaction(async (s) => {
      for (const [size, seed, passed] of runs) {
        await insertRun(
          s,
          {
            id: `seedy-${size}-${seed}`,
            name: `seedy ${size} s${seed}`,
            student: 'seedy',
            size,
            partition: 'all',
            seed,
            status: 'done',
            labels: {},
            source: 'test',
            isDemo: false,
          },
          Array.from({ length: 100 }, (_, i) => ({
            questionId: `q${i}`,
            difficulty: 'easy',
            n: 1,
            passed: i < passed ? 1 : 0,
            completed: 1,
            thinkTags: 1,
          })),
        );
      }
    });
    const { series, fits } = await t.call('analysis.fit', { students: ['seedy'] });
    expect(series[0]?.points.map((p) => [p.size, p.runIds.length])).toEqual([
      [1000, 2],
      [10000, 2],
      [30000, 1],
    ]);
    expect(series[0]?.points[0]?.value).toBeCloseTo(0.32, 12);
    expect(series[0]?.points[0]?.problems).toBe(100);
    // scipy.stats.linregress(log10([1e3, 1e3, 1e4, 1e4, 3e4]), [.30, .34, .44, .46, .52]) (see fit.test.ts)
    const f = fits[0]?.fit;
    expect(f?.points).toBe(5);
    expect(f?.slope).toBeCloseTo(0.1335340696206545, 12);
    expect(f?.intercept).toBeCloseTo(-0.08146503920340203, 12);
    expect(f?.slopeSe).toBeCloseTo(0.013943998933205528, 12);
    expect(fits[0]?.valley?.valleyValue).toBeCloseTo(0.32, 12);
  });
});
