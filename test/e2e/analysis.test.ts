import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserUnavailable, openApp, type AppUnderTest } from '../helpers/browser';

const skip = browserUnavailable();
if (skip) console.warn(`SKIPPED analysis browser tests: ${skip}`);

const pdfText = (file: string): string | null => {
  try {
    return execFileSync('pdftotext', [file, '-']).toString();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      console.warn('SKIPPED: pdftotext (poppler-utils) is not installed; PDF text not checked');
      return null;
    }
    throw e;
  }
};

describe.skipIf(skip !== null)('Analysis screen in browser mode on the demo workspace', () => {
  let app: AppUnderTest;
  const out = mkdtempSync(join(tmpdir(), 'valley-e2e-fig-'));
  beforeAll(async () => {
    app = await openApp({ demo: true, demoTraces: 500 });
    await app.page.click('.sidebar [data-section="analysis"]');
    await app.page.waitForSelector('main[data-screen="analysis"] [data-testid="scaling-plot"] .scatterlayer .trace');
  });
  afterAll(async () => app?.close());

  it('draws the scaling plot with fits and the valley statistics table', async () => {
    const { page } = app;
    await expect.poll(() => page.locator('[data-testid="valley-table"] tbody tr').count(), { timeout: 20_000 }).toBe(2);
    const table = await page.locator('[data-testid="valley-table"]').innerText();
    expect(table).toContain('Qwen2.5-7B-Instruct');
    expect(table).toMatch(/@ 1K/);
    const annotations = await page.locator('[data-testid="scaling-plot"] .annotation-text').allTextContents();
    expect(annotations.some((a) => a.startsWith('valley −'))).toBe(true);
    await expect.poll(() => page.locator('[data-testid="facet-hard"] .scatterlayer .trace').count()).toBeGreaterThan(0);
    await expect.poll(() => page.locator('[data-testid="ablation-plot"] .barlayer .trace').count()).toBe(2);
    await page.selectOption('[data-testid="ablation-metric"]', 'pass@1/hard');
    await expect
      .poll(() => page.locator('[data-testid="ablation-plot"] .ytitle').textContent())
      .toContain('pass@1/hard');
    await page.selectOption('[data-testid="ablation-metric"]', 'pass@1');
    await app.screenshot('analysis-screen');
    await page.locator('[data-testid="facet-easy"]').scrollIntoViewIfNeeded();
    await app.screenshot('analysis-screen-facets');
    // The plots follow the theme.
    await page.click('[data-testid="theme-toggle"]');
    await page.locator('[data-testid="scaling-plot"]').scrollIntoViewIfNeeded();
    await app.screenshot('analysis-screen-other-theme');
    await page.click('[data-testid="theme-toggle"]');
  });

  it('refits over a picked range', async () => {
    const { page } = app;
    await page.selectOption('[data-testid="range-min"]', '10000');
    await expect.poll(() => page.locator('[data-testid="valley-table"]').innerText()).toContain('10K–30K (2)');
    await page.selectOption('[data-testid="range-min"]', '');
    await expect.poll(() => page.locator('[data-testid="valley-table"]').innerText()).toContain('1K–30K (3)');
  });

  it('clicking a point opens its run (provenance)', async () => {
    const { page } = app;
    await page.locator('[data-testid="scaling-plot"]').scrollIntoViewIfNeeded();
    // The rightmost marker is a measured point at the largest size (valley annotations and the recovery
    // diamonds sit further left).
    const centre = await page.evaluate(() => {
      const boxes = Array.from(
        document.querySelectorAll('[data-testid="scaling-plot"] .scatterlayer .trace .points path'),
      ).map((p) => p.getBoundingClientRect());
      const right = boxes.sort((a, b) => b.x - a.x)[0];
      return right ? { x: right.x + right.width / 2, y: right.y + right.height / 2 } : null;
    });
    expect(centre).not.toBeNull();
    if (!centre) return;
    await page.mouse.move(centre.x, centre.y);
    await page.mouse.click(centre.x, centre.y);
    await page.waitForSelector('[data-testid="provenance"]');
    const text = await page.locator('[data-testid="provenance"]').innerText();
    expect(text).toMatch(/demo-(qwen7b|llama8b)-all-30000/);
    expect(text).toContain('partition all');
    await app.screenshot('analysis-provenance');
    // "Open its problems" goes to the run's problems; Back to the Runs table with that run focused.
    await page.click('[data-testid="open-run"]');
    await page.waitForSelector('main[data-screen="runs"] [data-testid="run-problems"]');
    expect(await page.locator('[data-testid="problems-table"] tbody tr').count()).toBe(400);
    await page.click('[data-testid="run-problems"] button:has-text("Back")');
    await page.waitForSelector('main[data-screen="runs"] tr.focused');
    expect(await page.locator('tr.focused').getAttribute('data-run')).toMatch(/demo-(qwen7b|llama8b)-all-30000/);
    await page.click('.sidebar [data-section="analysis"]');
    // "Traces of partition …" goes to Curate with that run's traces.
    await page.click('[data-testid="provenance"] [data-testid="open-traces"]');
    await page.waitForSelector('main[data-screen="curate"]');
    await expect.poll(() => page.locator('main').innerText(), { timeout: 20_000 }).toContain('demo-');
    await page.click('.sidebar [data-section="analysis"]');
    await page.waitForSelector('main[data-screen="analysis"] [data-testid="export-panel"]');
  });

  /** Click an export button and take the download with the given extension (figures also download their .json recipe). */
  const exportOne = async (button: string, ext: string) => {
    const { page } = app;
    const [download] = await Promise.all([
      page.waitForEvent('download', { predicate: (d) => d.suggestedFilename().endsWith(ext) }),
      page.click(`[data-testid="${button}"]`),
    ]);
    const file = join(out, download.suggestedFilename());
    await download.saveAs(file);
    return file;
  };

  it('exports SVG (parses, has axis labels), PDF (text extractable), PNG (requested pixel size), CSV and LaTeX', async () => {
    const { page } = app;
    const svgFile = await exportOne('export-svg', '.svg');
    expect(svgFile.endsWith('valley-scaling-single.svg')).toBe(true);
    const svg = readFileSync(svgFile, 'utf8');
    const parsed = await page.evaluate((text) => {
      const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
      return {
        error: doc.querySelector('parsererror') !== null,
        root: doc.documentElement.nodeName,
        width: doc.documentElement.getAttribute('width'),
        texts: Array.from(doc.querySelectorAll('text')).map((t) => t.textContent ?? ''),
      };
    }, svg);
    expect(parsed.error).toBe(false);
    expect(parsed.root).toBe('svg');
    expect(parsed.width).toBe('234pt');
    expect(parsed.texts).toContain('Training examples');
    expect(parsed.texts).toContain('pass@1 (%)');

    await page.selectOption('[data-testid="export-preset"]', 'double');
    const pdfFile = await exportOne('export-pdf', '.pdf');
    const pdf = readFileSync(pdfFile);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = pdfText(pdfFile);
    if (text !== null) {
      expect(text).toContain('Training examples');
      expect(text).toContain('Qwen2.5-7B-Instruct');
    }

    await page.selectOption('[data-testid="export-kind"]', 'difficulty');
    await page.selectOption('[data-testid="export-dpi"]', '150');
    const pngFile = await exportOne('export-png', '.png');
    const png = readFileSync(pngFile);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(Math.round(6.75 * 150)); // IHDR width
    expect(png.readUInt32BE(20)).toBeGreaterThan(200);

    const csv = readFileSync(await exportOne('export-csv', '.csv'), 'utf8');
    expect(csv.split('\n')[0]).toBe('series,student,partition,metric,quantity,size,value,lo,hi,se,problems,runs');
    expect(csv).toContain('pass@1/hard');
    const tex = readFileSync(await exportOne('export-latex', '.tex'), 'utf8');
    expect(tex).toContain('\\begin{tabular}');
  });
});
