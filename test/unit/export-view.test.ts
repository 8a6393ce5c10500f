import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manifestSchema } from '../../shared/api';
import { startTestBackend, tempDir, type TestBackend } from '../helpers/workspace';

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

let t: TestBackend;
let files: { dir: string; cleanup: () => Promise<void> };
const shards = () => join(files.dir, 'shards');

/** Four Parquet shards attached as a view, and the same files copied into a table. */
beforeAll(async () => {
  t = await startTestBackend();
  files = await tempDir('valley-export-view-');
  await mkdir(shards());
  for (let i = 0; i < 4; i++) {
    await t.backend.services.workspace.engine.run(
      `COPY (SELECT 'id-' || k AS id, 'q' || (k % 50) AS question_id, 'Problem ' || k AS question,
          '<think>\n' || repeat('step ' || k || ' ', 10 + k % 30) || '\n</think>\nprint(' || k || ')' AS r1_generation,
          CASE WHEN k % 3 = 0 THEN 'wrong' ELSE 'right' END AS judgement, '0.5' AS pass_rate, 'taco' AS source,
          ['EASY', 'HARD'][1 + k % 2] AS difficulty, 'x' || k AS license
        FROM range(${i * 3000}, ${(i + 1) * 3000}) r(k)) TO '${join(shards(), `train-0000${i}.parquet`)}' (FORMAT PARQUET, ROW_GROUP_SIZE 2048)`,
    );
  }
  await t.call('data.import', { paths: [shards()], name: 'v', storage: 'view', wait: true });
  await t.call('data.import', { paths: [shards()], name: 'c', storage: 'table', wait: true });
  await t.call('curate.subsets.save', {
    name: 'sv',
    spec: { dataset: 'v', sizes: [500, 4000], seed: 3, stratify: 'difficulty' },
  });
  await t.call('curate.subsets.save', {
    name: 'sc',
    spec: { dataset: 'c', sizes: [500, 4000], seed: 3, stratify: 'difficulty' },
  });
});
afterAll(async () => {
  await t?.close();
  await files?.cleanup();
});

const manifestOf = (dir: string) => manifestSchema.parse(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')));

describe('export from a Parquet view', () => {
  it('writes byte-identical files on every export of the same subset, in the subset order, as the copied table does', async () => {
    const a = await t.call('curate.export', { subset: 'sv', outDir: join(files.dir, 'a'), wait: true });
    const b = await t.call('curate.export', { subset: 'sv', outDir: join(files.dir, 'b'), wait: true });
    const c = await t.call('curate.export', { subset: 'sc', outDir: join(files.dir, 'c'), wait: true });
    for (const f of readdirSync(a.dir)) expect(sha(join(b.dir, f)), f).toBe(sha(join(a.dir, f)));
    // the same rows in the same order from the view and from the table: the torchtune files are the same bytes
    for (const f of ['train-500.jsonl', 'train-4000.jsonl']) expect(sha(join(c.dir, f)), f).toBe(sha(join(a.dir, f)));
    const ids = (await t.call('curate.subsets.ids', { name: 'sv', size: 4000 })).rowIds;
    const written = await t.call('sql.query', {
      allowFiles: true,
      sql: `SELECT row_id FROM read_parquet('${join(a.dir, 'train-4000.parquet')}')`,
      limit: 5000,
    });
    expect(written.rows.map((r) => r[0])).toEqual(ids);
    const lines = readFileSync(join(a.dir, 'train-4000.jsonl'), 'utf8').trimEnd().split('\n');
    const first = JSON.parse(lines[0] as string) as { messages: { content: string }[] };
    expect(first.messages[0]?.content).toBe(`Problem ${ids[0]}`);
  });

  it('hashes a source file once, keyed by path, size and mtime, and again when it changes', async () => {
    const before = manifestOf(join(files.dir, 'a')).recipe.source.files;
    expect(before).toHaveLength(4);
    for (const f of before) expect(f.sha256).toBe(sha(f.path));
    // the workspace keeps the hashes: a later export (the CLI's too, a new process) reads them instead of the files
    const cached = await t.call('sql.query', { sql: 'SELECT path, sha256 FROM valley_file_hashes ORDER BY path' });
    expect(cached.rows).toEqual(before.map((f) => [f.path, f.sha256]).sort());
    const first = before[0]?.path as string;
    await t.backend.services.workspace.engine.run(
      `UPDATE valley_file_hashes SET sha256 = 'cached' WHERE path = '${first}'`,
    );
    const again = await t.call('curate.export', {
      subset: 'sv',
      sizes: [500],
      formats: ['torchtune'],
      outDir: join(files.dir, 'd'),
      wait: true,
    });
    expect(again.manifest?.recipe.source.files[0]?.sha256).toBe('cached');
    // a new mtime is a new file: hashed again
    await utimes(first, new Date(), new Date(Date.now() + 5000));
    const later = await t.call('curate.export', {
      subset: 'sv',
      sizes: [500],
      formats: ['torchtune'],
      outDir: join(files.dir, 'e'),
      wait: true,
    });
    expect(later.manifest?.recipe.source.files[0]?.sha256).toBe(sha(first));
    expect((await t.call('sql.query', { sql: 'SELECT count(*) FROM valley_file_hashes' })).rows[0]).toEqual([4]);
  });
});
