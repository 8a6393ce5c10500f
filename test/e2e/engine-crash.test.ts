import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserUnavailable, openApp, type AppUnderTest } from '../helpers/browser';
import { ocr2Row } from '../helpers/trace-files';

const skip = browserUnavailable();
if (skip) console.warn(`SKIPPED engine crash browser test: ${skip}`);

describe.skipIf(skip !== null)('a file that crashes DuckDB, in browser mode', () => {
  let app: AppUnderTest;
  const dir = mkdtempSync(join(tmpdir(), 'valley-e2e-crash-'));
  const deep = join(dir, 'deep.jsonl');
  beforeAll(async () => {
    // line 2 nested 100,000 deep: SIGSEGV in DuckDB's JSON reader, in the engine process
    writeFileSync(
      deep,
      `${JSON.stringify(ocr2Row(0))}\n{"id": "deep", "x": ${'['.repeat(100_000)}${']'.repeat(100_000)}}\n`,
    );
    app = await openApp({ demo: true, demoTraces: 300 });
    await app.page.click('.sidebar [data-section="data"]');
    await app.page.waitForSelector('[data-testid="datasets-table"]');
  });
  afterAll(async () => app?.close());

  it('says the engine crashed on that file and restarted; the page and the server keep working', async () => {
    const { page } = app;
    await page.click('[data-testid="open-import"]');
    await page.fill('[data-testid="import-paths"]', deep);
    await page.click('[data-testid="import-preview"]');
    await page.waitForSelector('[data-testid="import-error"]');
    expect(await page.locator('[data-testid="import-error"]').innerText()).toMatch(
      /data engine crashed \(signal SIG\w+\) while reading .*deep\.jsonl/,
    );
    const notice = page.locator('.notice.error', { hasText: 'The data engine crashed and was restarted' });
    await notice.waitFor();
    expect(await notice.innerText()).toContain(deep);
    await app.screenshot('engine-crash-notice');
    await page.click('[data-testid="import-dialog"] .dialog-head button');
    // the same server answers, with the workspace as it was
    await page.click('.sidebar [data-section="curate"]');
    await page.click('.sidebar [data-section="data"]');
    await expect.poll(() => page.locator('[data-dataset="demo-ocr2"]').count()).toBe(1);
    expect(await page.locator('[data-dataset="demo-ocr2"]').innerText()).toContain('300');
    const { rows } = await app.t.call('sql.query', { sql: 'SELECT count(*) FROM ds_demo_ocr2' });
    expect(rows).toEqual([[300]]);
  });
});
