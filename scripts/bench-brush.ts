// `npm run bench:brush [-- --rows N --brushes K]`: brush → every histogram redrawn, measured in Chromium (browser
// mode, the built renderer in dist/) with the renderer's own performance marks (renderer/features/curate/
// brush-timing.ts): from the brush's filter change to the last of the six charts drawn, split into the backend's
// counts (brush → facets) and React + Plotly (facets → drawn). Target: the whole under 150 ms. Standalone it runs on
// N demo traces (default 200K); bench-scale.ts calls measureBrush on its 1M-row sharded Parquet view.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { startHttpServer } from '../electron/rpc/http-server';
import { createDemoWorkspace } from '../electron/services/demo/demo';
import { facetsFromCube } from '../electron/services/traces/facets';
import { traceDataset } from '../electron/services/traces/filter-sql';
import { facetNames } from '../shared/api';
import { openBenchBackend, type BenchBackend } from './bench-backend';

const RENDERER_DIR = resolve(__dirname, '../dist/renderer');
const CHROMIUM = process.env['VALLEY_CHROMIUM'] ?? '/usr/bin/chromium';

export interface BrushTimes {
  /** brush → every histogram drawn, per brush (ms) */
  readonly total: number[];
  /** brush → the counts arrived from the backend */
  readonly facets: number[];
  /** counts arrived → every chart drawn (React and Plotly) */
  readonly draw: number[];
}

/**
 * Build the facets' count cube of `dataset` (facet-cube.ts) and wait for it; its time (ms). The first traces.facets
 * would start the build in the background, beside whatever is timed next: benchmarks build it first, as a precompute.
 */
export const buildFacetCube = async (bench: BenchBackend, dataset: string): Promise<number> => {
  const engine = bench.backend.services.workspace.engine;
  const t0 = performance.now();
  const d = await traceDataset(engine, dataset);
  await facetsFromCube(engine, d, { clauses: [], search: '', partition: null }, facetNames, true);
  return performance.now() - t0;
};

/** Why the browser bench cannot run, or null. */
export const brushBenchUnavailable = (): string | null =>
  !existsSync(CHROMIUM)
    ? `no Chromium at ${CHROMIUM}`
    : !existsSync(join(RENDERER_DIR, 'index.html'))
      ? 'renderer not built (npm run build)'
      : null;

const measures = (page: Page, name: string): Promise<number[]> =>
  page.evaluate((n) => performance.getEntriesByName(n).map((e) => e.duration), name);

/** Drag across a numeric histogram from fraction a to b of its width, as a user brushes. */
const drag = async (page: Page, facet: string, a: number, b: number) => {
  const box = await page.locator(`[data-testid="facet-${facet}"] .nsewdrag`).first().boundingBox();
  if (!box) throw new Error(`no ${facet} histogram`);
  await page.mouse.move(box.x + box.width * a, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * b, box.y + box.height / 2, { steps: 4 });
  await page.mouse.up();
};

/**
 * Open the Curate screen on `dataset` in Chromium and brush `brushes` times (tokens and trace-length ranges in
 * turn, each replacing the last), waiting for each redraw and a short pause (a person brushes at human speed).
 */
export const measureBrush = async (bench: BenchBackend, dataset: string, brushes = 12): Promise<BrushTimes> => {
  const { backend } = bench;
  const server = await startHttpServer({ router: backend.router, bus: backend.services.bus, staticDir: RENDERER_DIR });
  // loaded here, not with the module: bench:scale samples this process's RSS as Valley's, and playwright-core is not
  // Valley (68 MB of this process when loaded at start)
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu'],
  });
  try {
    // the screen opens on this dataset
    await bench.call('curate.ui.set', { key: `curate:${dataset}`, value: null });
    const page = await (await browser.newContext({ viewport: { width: 1360, height: 860 } })).newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.setDefaultTimeout(120_000);
    await page.goto(server.url);
    await page.click('.sidebar [data-section="curate"]');
    await page.waitForSelector('select[aria-label="dataset"]');
    await page.selectOption('select[aria-label="dataset"]', dataset);
    await page.waitForSelector('[data-testid="facet-tokens"] .nsewdrag', { timeout: 120_000 });
    await page.waitForSelector('[data-testid="trace-row"][data-row-id]', { timeout: 120_000 });
    const ranges: [string, number, number][] = [
      ['tokens', 0.1, 0.35],
      ['response_chars', 0.15, 0.5],
      ['tokens', 0.2, 0.6],
      ['response_chars', 0.05, 0.3],
    ];
    // one brush to warm up (first draws, JIT), not counted
    for (let i = -1; i < brushes; i++) {
      const before = (await measures(page, 'valley:brush→drawn')).length;
      const [facet, a, b] = ranges[(i + ranges.length) % ranges.length] as [string, number, number];
      await drag(page, facet, a, b);
      await page
        .waitForFunction((n) => performance.getEntriesByName('valley:brush→drawn').length > n, before, {
          timeout: 60_000,
        })
        .catch(async (e: unknown) => {
          const marks = await page.evaluate(() =>
            performance
              .getEntries()
              .filter((x) => x.name.startsWith('valley:'))
              .map((x) => x.name),
          );
          throw new Error(
            `brush ${i + 1} on ${facet} was not redrawn (marks so far: ${marks.join(', ')}): ${String(e)}`,
          );
        });
      await page.waitForTimeout(400);
    }
    if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`);
    const [total, facets, draw] = await Promise.all(
      ['valley:brush→drawn', 'valley:brush→facets', 'valley:facets→drawn'].map((n) => measures(page, n)),
    );
    return { total: (total ?? []).slice(1), facets: (facets ?? []).slice(1), draw: (draw ?? []).slice(1) };
  } finally {
    await browser.close();
    await server.close();
  }
};

export const spread = (xs: number[]): string => {
  const s = [...xs].sort((a, b) => a - b);
  const f = (x: number | undefined) => (x ?? NaN).toFixed(0);
  return `min ${f(s[0])} / median ${f(s[Math.floor(s.length / 2)])} / max ${f(s[s.length - 1])} ms`;
};

/** The lines bench output shows for a brush measurement, target ✓/✗ on the median. */
export const brushReport = (t: BrushTimes, rows: number): string[] => {
  const med = [...t.total].sort((a, b) => a - b)[Math.floor(t.total.length / 2)] ?? NaN;
  return [
    `${med < 150 ? '✓' : '✗'} brush → every histogram redrawn at ${rows.toLocaleString('en-US')} rows: ${spread(t.total)} (target < 150 ms, ${t.total.length} brushes in Chromium)`,
    `    of which backend counts (brush → facets) ${spread(t.facets)}; React + Plotly (facets → drawn) ${spread(t.draw)}`,
  ];
};

const main = async () => {
  const arg = (name: string, fallback: number): number => {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? Number(process.argv[i + 1]) : fallback;
  };
  const rows = arg('rows', 200_000);
  const why = brushBenchUnavailable();
  if (why) {
    console.log(`✗ brush → histograms: not measured (${why})`);
    process.exit(1);
  }
  const dir = await mkdtemp(join(tmpdir(), 'valley-bench-brush-'));
  try {
    process.stdout.write(`Creating ${rows} demo traces … `);
    const t0 = performance.now();
    await (await createDemoWorkspace(join(dir, 'ws'), rows)).close();
    console.log(`${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const bench = await openBenchBackend(dir, 'refuse');
    try {
      console.log(`count cube for the facets built in ${(await buildFacetCube(bench, 'demo-ocr2')).toFixed(0)} ms`);
      const times = await measureBrush(bench, 'demo-ocr2', arg('brushes', 12));
      for (const line of brushReport(times, rows)) console.log(line);
    } finally {
      await bench.backend.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
