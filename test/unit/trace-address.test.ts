import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { startTestBackend, tempDir, type TestBackend } from '../helpers/workspace';

let t: TestBackend;
let files: { dir: string; cleanup: () => Promise<void> };
const sizes = [5000, 2500, 7001];
const total = sizes.reduce((a, b) => a + b, 0);

/** Three OCR2-shaped shards of different sizes, each in several row groups, every text unique to its row. */
beforeAll(async () => {
  t = await startTestBackend();
  files = await tempDir('valley-address-');
  await mkdir(join(files.dir, 'shards'));
  let from = 0;
  for (const [i, n] of sizes.entries()) {
    await t.backend.services.workspace.engine.run(
      `COPY (SELECT 'id-' || k AS id, 'q' || (k % 97) AS question_id, 'Problem ' || k || ': ' || repeat('words ', k % 40) AS question,
          '<think>\n' || repeat('step ' || k || ' ', 20 + k % 50) || '\n</think>\n\`\`\`python\nprint(' || k || ')\n\`\`\`\n' AS r1_generation,
          CASE WHEN k % 3 = 0 THEN 'wrong' ELSE 'right' END AS judgement, ((k % 11) / 10)::VARCHAR AS pass_rate,
          'taco' AS source, 'train' AS split, ['EASY', 'HARD'][1 + k % 2] AS difficulty, 'extra ' || k AS license
        FROM range(${from}, ${from + n}) r(k)) TO '${join(files.dir, 'shards', `train-0000${i}.parquet`)}' (FORMAT PARQUET, ROW_GROUP_SIZE 2048)`,
    );
    from += n;
  }
  await t.call('data.import', { paths: [join(files.dir, 'shards')], name: 'view', storage: 'view', wait: true });
  await t.call('data.import', { paths: [join(files.dir, 'shards')], name: 'copy', storage: 'table', wait: true });
});
afterAll(async () => {
  await t?.close();
  await files?.cleanup();
});

describe('opening a trace of a Parquet view by its address', () => {
  it('returns the same row as the copied table and as the file itself, on every shard and at their edges', async () => {
    const edges = [0, 4999, 5000, 7499, 7500, total - 1];
    const random = Array.from({ length: 24 }, (_, i) => (i * 7919 + 13) % total);
    for (const rowId of [...edges, ...random]) {
      const view = await t.call('traces.get', { dataset: 'view', rowId });
      expect(view).toEqual(await t.call('traces.get', { dataset: 'copy', rowId }));
      // row ids are in file order, so row k is the k-th generated row: read it straight from the files
      const direct = await t.call('sql.query', {
        allowFiles: true,
        sql: `SELECT question, r1_generation FROM read_parquet('${join(files.dir, 'shards')}/*.parquet') WHERE id = 'id-${rowId}'`,
      });
      expect([view.question, view.response]).toEqual(direct.rows[0]);
      expect(view.id).toBe(`id-${rowId}`);
    }
  });

  it('reads one file for a trace, with the row number pushed into its scan', async () => {
    const side = await t.call('sql.query', { sql: 'SELECT _file_idx, _file_row FROM dsx_view WHERE row_id = 6000' });
    expect(side.rows[0]).toEqual([2, 1000]);
    const plan = await t.call('sql.query', {
      allowFiles: true,
      sql: `EXPLAIN SELECT r1_generation FROM read_parquet('${join(files.dir, 'shards', 'train-00001.parquet')}', file_row_number = true) WHERE file_row_number = 1000`,
    });
    expect(JSON.stringify(plan.rows)).toMatch(/Filters:[^"]*file_row_number\s*=\s*1000/);
  });

  it('says which row is missing', async () => {
    await expect(t.call('traces.get', { dataset: 'view', rowId: total })).rejects.toThrow(`has no row ${total}`);
  });
});
