import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/workspace';

const root = resolve(__dirname, '../../..');
// A private build of the CLI, so this file does not race other tests that rebuild dist/cli.cjs.
const bundle = join(root, 'dist', 'test-analysis-cli.cjs');
const valley = (args: string[], cwd = root) =>
  spawnSync('node', [bundle, ...args], { encoding: 'utf8', cwd, timeout: 120_000 });

describe('valley fit / figure / table', () => {
  let dir: string;
  let ws: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    await build({
      entryPoints: [join(root, 'electron/cli/main.ts')],
      outfile: bundle,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      packages: 'external',
      logLevel: 'warning',
    });
    ({ dir, cleanup } = await tempDir());
    ws = join(dir, 'ws');
    const r = valley(['demo', '--workspace', ws, '--traces', '200', '--json']);
    expect(r.status, r.stderr).toBe(0);
  });
  afterAll(async () => {
    rmSync(bundle, { force: true });
    await cleanup();
  });

  it('valley fit prints the fit and valley statistics, and JSON with --json', () => {
    const text = valley(['fit', '--workspace', ws]);
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).toContain('b (per decade)');
    expect(text.stdout).toMatch(/Qwen2\.5-7B-Instruct .*@ 1K/);
    const r = valley(['fit', '--workspace', ws, '--json', '--metric', 'pass@1/easy', '--min', '1k', '--max', '30000']);
    expect(r.status, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as {
      metric: string;
      fits: { fit: { points: number; minSize: number } | null; valley: { valleySize: number } | null }[];
    };
    expect(j.metric).toBe('pass@1/easy');
    expect(j.fits).toHaveLength(2);
    expect(j.fits[0]?.fit?.points).toBe(3);
    expect(j.fits[0]?.fit?.minSize).toBe(1000);
  });

  it('valley fit names a bad option value', () => {
    const r = valley(['fit', '--workspace', ws, '--json', '--min', 'lots']);
    expect(r.status).toBe(2); // usage errors exit with 2
    expect(JSON.parse(r.stderr)).toMatchObject({
      ok: false,
      error: { code: 'invalid_request', details: { field: 'min' } },
    });
    const none = valley(['fit', '--workspace', ws, '--student', 'nobody']);
    expect(none.status).toBe(1);
    expect(none.stderr).toContain('No series matched');
  });

  it('valley figure writes the figure, CSV, LaTeX and a recipe that rebuilds it', () => {
    for (const [kind, format] of [
      ['scaling', 'svg'],
      ['ablation', 'pdf'],
      ['difficulty', 'png'],
      ['completion', 'svg'],
    ] as const) {
      const out = join(dir, 'figs', `${kind}.${format}`);
      const r = valley([
        'figure',
        '--workspace',
        ws,
        '--json',
        '--kind',
        kind,
        '--preset',
        'single',
        '--dpi',
        '200',
        '--out',
        out,
      ]);
      expect(r.status, r.stderr).toBe(0);
      const j = JSON.parse(r.stdout) as { files: Record<string, string>; widthPx: number | null };
      for (const f of Object.values(j.files)) expect(existsSync(f), f).toBe(true);
      if (format === 'png') expect(j.widthPx).toBe(650); // 3.25 in × 200 dpi
      expect(readFileSync(j.files['csv'] as string, 'utf8').split('\n')[0]).toMatch(/^(series|student),/);
    }
    const recipe = join(dir, 'figs', 'scaling.json');
    const figure = join(dir, 'figs', 'scaling.svg');
    const before = readFileSync(figure, 'utf8');
    rmSync(figure);
    const again = valley(['figure', '--recipe', recipe, '--workspace', ws]);
    expect(again.status, again.stderr).toBe(0);
    expect(readFileSync(figure, 'utf8')).toBe(before); // same recipe, same bytes
    expect(JSON.parse(readFileSync(recipe, 'utf8')).rebuild).toBe(
      `valley figure --recipe scaling.json --workspace ${ws}`,
    );
  });

  it('valley figure infers the format from the file name and PDFs carry text', () => {
    const out = join(dir, 'figs', 'double.pdf');
    const r = valley(['figure', '--workspace', ws, '--preset', 'double', '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(out).subarray(0, 5).toString()).toBe('%PDF-');
    expect(statSync(out).size).toBeGreaterThan(2000);
    try {
      expect(execFileSync('pdftotext', [out, '-']).toString()).toContain('Training examples');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT')
        console.warn('SKIPPED: pdftotext (poppler-utils) is not installed');
      else throw e;
    }
  });

  it('valley figure refuses a broken recipe, naming the file and field', () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ recipe: { kind: 'pie' } }));
    const r = valley(['figure', '--recipe', bad, '--workspace', ws, '--json']);
    expect(r.status).toBe(1); // bad input
    const e = JSON.parse(r.stderr) as { error: { details: { file: string; field: string } } };
    expect(e.error.details).toMatchObject({ file: bad, field: 'recipe.kind' });
  });

  it('valley table prints CSV and LaTeX', () => {
    const csv = valley(['table', '--workspace', ws, '--format', 'csv']);
    expect(csv.status, csv.stderr).toBe(0);
    expect(csv.stdout.split('\n').filter((l) => l.includes(',point,'))).toHaveLength(6);
    const tex = valley(['table', '--workspace', ws, '--format', 'latex', '--kind', 'difficulty']);
    expect(tex.stdout).toContain('\\begin{tabular}');
    expect(tex.stdout).toContain('pass@1 (easy)');
    const j = valley(['table', '--workspace', ws, '--json', '--kind', 'ablation']);
    expect(JSON.parse(j.stdout).text).toContain('relative_percent');
  });
});
