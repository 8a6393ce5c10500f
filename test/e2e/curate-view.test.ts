import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserUnavailable, openApp, type AppUnderTest } from '../helpers/browser';
import { tempDir } from '../helpers/workspace';

const skip = browserUnavailable();
if (skip) console.warn(`SKIPPED curate view browser tests: ${skip}`);

const poll = <T>(f: () => Promise<T> | T) => expect.poll(f, { timeout: 20_000 });

/** A Parquet source attached as a view (the files stay where they are) browses like a copied dataset. */
describe.skipIf(skip !== null)('Curate screen on a Parquet dataset attached as a view', () => {
  let app: AppUnderTest;
  let files: { dir: string; cleanup: () => Promise<void> };
  beforeAll(async () => {
    app = await openApp({ demo: true, demoTraces: 3000 });
    files = await tempDir('valley-view-e2e-');
    const parquet = join(files.dir, 'demo-traces.parquet');
    await app.t.backend.services.workspace.engine.run(
      `COPY (SELECT id, question_id, question, response, correct, pass_rate, difficulty, source, split FROM ds_demo_ocr2 ORDER BY row_id)
         TO '${parquet}' (ROW_GROUP_SIZE 500)`,
    );
    const r = await app.t.call('data.import', { paths: [parquet], name: 'demo_view', storage: 'view', wait: true });
    expect(r.result?.dataset.storage).toBe('view');
  });
  afterAll(async () => {
    await app?.close();
    await files?.cleanup();
  });

  it('shows its rows, question previews and a whole trace read from the file', async () => {
    const { page } = app;
    await page.click('.sidebar [data-section="curate"]');
    await page.waitForSelector('select[aria-label="dataset"]');
    await page.selectOption('select[aria-label="dataset"]', 'demo_view');
    await poll(async () =>
      (await page.locator('[data-testid="match-count"]').innerText()).replace(/[^\d]/g, '').slice(0, 4),
    ).toBe('3000');
    await page.waitForSelector('[data-testid="trace-row"][data-row-id]');
    const expected = await app.t.call('sql.query', {
      sql: 'SELECT left(question, 40) FROM ds_demo_ocr2 WHERE row_id = 0',
    });
    const firstRow = page.locator('[data-testid="trace-row"][data-row-id="0"]');
    await poll(() => firstRow.innerText()).toContain(String(expected.rows[0]?.[0]).slice(0, 30));
    // a trace with a final code block: its text comes from the Parquet file
    const withCode = await app.t.call('sql.query', {
      sql: "SELECT min(row_id) FROM ds_demo_ocr2 WHERE final_code <> ''",
    });
    const rowId = Number(withCode.rows[0]?.[0]);
    await page.locator(`[data-testid="trace-row"][data-row-id="${rowId}"]`).click();
    await page.waitForSelector('[data-testid="trace-pane"]');
    const trace = await app.t.call('traces.get', { dataset: 'demo-ocr2', rowId });
    const firstLine = trace.finalCode?.split('\n').find((l) => l.trim()) ?? '';
    expect(firstLine).not.toBe('');
    await poll(() => page.locator('[data-testid="final-answer"]').first().innerText()).toContain(firstLine.trim());
    await app.screenshot('curate-view-dataset');
  });
});
