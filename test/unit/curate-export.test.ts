import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manifestSchema } from '../../shared/api';
import { startTestBackend, type TestBackend } from '../helpers/workspace';
import { writeOcr2 } from '../helpers/trace-files';

const dataset = 'demo-ocr2';
const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('export: torchtune JSONL, Parquet, manifest', () => {
  let t: TestBackend;
  beforeAll(async () => {
    t = await startTestBackend({ demo: true, demoTraces: 1200 });
    await t.call('curate.partitions.presets', { dataset, preset: 'correctness' });
    await t.call('curate.subsets.save', {
      name: 'study a',
      spec: { dataset, partition: 'correct', sizes: [50, 200], seed: 42, stratify: 'difficulty', maxPerQuestion: 2 },
    });
  });
  afterAll(async () => t.close());

  it('writes one chat object per line with the think tags intact, and Parquet with every column', async () => {
    const r = await t.call('curate.export', { subset: 'study a', wait: true });
    expect(r.dir).toBe(join(t.dir, 'exports', 'study_a'));
    expect(r.task.state).toBe('done');
    expect(readdirSync(r.dir).sort()).toEqual([
      'manifest.json',
      'train-200.jsonl',
      'train-200.parquet',
      'train-50.jsonl',
      'train-50.parquet',
    ]);
    const lines = readFileSync(join(r.dir, 'train-200.jsonl'), 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(200);
    const ids = (await t.call('curate.subsets.ids', { name: 'study a', size: 200 })).rowIds;
    const db = await t.call('sql.query', {
      // in the subset's own order (the ids come in that order)
      sql: `SELECT question, response FROM ds_demo_ocr2 WHERE row_id IN (${ids.join(',')}) ORDER BY list_position([${ids.join(',')}], row_id)`,
      limit: 1000,
    });
    const parsed = lines.map((l) => JSON.parse(l) as { messages: { role: string; content: string }[] });
    expect(parsed.map((p) => [p.messages[0]?.content, p.messages[1]?.content])).toEqual(
      db.rows.map((x) => [x[0], x[1]]),
    );
    for (const p of parsed) {
      expect(Object.keys(p)).toEqual(['messages']);
      expect(p.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
      expect(p.messages[1]?.content.startsWith('<think>')).toBe(true);
    }
    expect(parsed.some((p) => p.messages[1]?.content.includes('</think>'))).toBe(true);
    const small = readFileSync(join(r.dir, 'train-50.jsonl'), 'utf8').trimEnd().split('\n');
    const smallIds = new Set((await t.call('curate.subsets.ids', { name: 'study a', size: 50 })).rowIds);
    expect(small).toHaveLength(50);
    expect([...smallIds].every((id) => ids.includes(id))).toBe(true);
    const pq = await t.call('sql.query', {
      allowFiles: true,
      sql: `SELECT count(*), count(DISTINCT row_id), bool_and(correct), max(response_chars) FROM read_parquet('${join(r.dir, 'train-200.parquet')}')`,
    });
    expect(pq.rows[0]?.slice(0, 3)).toEqual([200, 200, true]);
    const cols = await t.call('sql.query', {
      allowFiles: true,
      sql: `DESCRIBE SELECT * FROM read_parquet('${join(r.dir, 'train-50.parquet')}')`,
    });
    expect(cols.rows.map((c) => c[0])).toContain('think_close');
  });

  it('exports an imported dataset with its own columns, not the question preview stored for display', async () => {
    const file = join(t.dir, 'ocr2-small.jsonl');
    await writeOcr2(file, 30);
    await t.call('data.import', { paths: [file], name: 'small', wait: true });
    const stored = (await t.call('sql.query', { sql: 'DESCRIBE ds_small' })).rows.map((c) => c[0]);
    expect(stored).toContain('question_preview');
    await t.call('curate.subsets.save', { name: 'small sub', spec: { dataset: 'small', sizes: [10], seed: 1 } });
    const r = await t.call('curate.export', { subset: 'small sub', formats: ['parquet'], wait: true });
    const cols = await t.call('sql.query', {
      allowFiles: true,
      sql: `DESCRIBE SELECT * FROM read_parquet('${join(r.dir, 'train-10.parquet')}')`,
    });
    expect(cols.rows.map((c) => c[0])).toEqual(stored.filter((c) => c !== 'question_preview'));
  });

  it('writes a manifest with the recipe and the SHA-256 of every file', async () => {
    const dir = join(t.dir, 'exports', 'study_a');
    const manifest = manifestSchema.parse(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')));
    expect(manifest.recipe.spec).toMatchObject({
      seed: 42,
      sizes: [50, 200],
      stratify: 'difficulty',
      maxPerQuestion: 2,
      partition: 'correct',
    });
    expect(manifest.recipe.source).toMatchObject({ dataset, relation: 'ds_demo_ocr2', rows: 1200 });
    expect(manifest.recipe.partition).toMatchObject({ name: 'correct' });
    expect(manifest.files).toHaveLength(4);
    for (const f of manifest.files) {
      expect(f.sha256).toBe(sha(join(dir, f.path)));
      expect(f.rows).toBe(f.size);
    }
  });

  it('writes byte-identical files for the same recipe on the same data', async () => {
    const out = join(t.dir, 'again');
    await t.call('curate.export', { subset: 'study a', outDir: out, wait: true });
    const first = join(t.dir, 'exports', 'study_a');
    for (const f of readdirSync(first)) expect(sha(join(out, f)), f).toBe(sha(join(first, f)));
    // a different seed gives different files
    await t.call('curate.subsets.save', {
      name: 'study b',
      spec: { dataset, partition: 'correct', sizes: [50], seed: 43 },
    });
    const b = await t.call('curate.export', { subset: 'study b', formats: ['torchtune'], wait: true });
    expect(sha(join(b.dir, 'train-50.jsonl'))).not.toBe(sha(join(first, 'train-50.jsonl')));
  });

  it('refuses to overwrite, unknown sizes, and runs as a background task otherwise', async () => {
    await expect(t.call('curate.export', { subset: 'study a' })).rejects.toMatchObject({ code: 'conflict' });
    await expect(t.call('curate.export', { subset: 'study a', sizes: [70], overwrite: true })).rejects.toMatchObject({
      code: 'bad_input',
    });
    const r = await t.call('curate.export', { subset: 'study a', sizes: [50], overwrite: true });
    expect(r.manifest).toBeNull();
    for (let i = 0; i < 100; i++) {
      const task = (await t.call('tasks.list', {})).tasks.find((x) => x.id === r.task.id);
      if (task?.state === 'done') break;
      await new Promise((res) => setTimeout(res, 50));
    }
    expect((await t.call('tasks.list', {})).tasks.find((x) => x.id === r.task.id)?.state).toBe('done');
    expect(readdirSync(r.dir).sort()).toEqual(['manifest.json', 'train-50.jsonl', 'train-50.parquet']);
    expect(readdirSync(join(t.dir, 'exports')).some((f) => f.includes('.tmp-'))).toBe(false);
    expect(existsSync(join(t.dir, 'exports', 'study_a'))).toBe(true);
  });
});

describe('export: cancel, and subsets in the undo log', () => {
  let t: TestBackend;
  beforeAll(async () => {
    t = await startTestBackend({ demo: true, demoTraces: 20_000 });
  });
  afterAll(async () => t.close());

  it('cancels an export and leaves nothing behind', async () => {
    await t.call('curate.subsets.save', { name: 'big', spec: { dataset, sizes: [5000, 10_000, 20_000], seed: 1 } });
    const r = await t.call('curate.export', { subset: 'big' });
    await t.call('tasks.cancel', { id: r.task.id });
    let state = 'running';
    for (let i = 0; i < 200 && state === 'running'; i++) {
      await new Promise((res) => setTimeout(res, 25));
      state = (await t.call('tasks.list', {})).tasks.find((x) => x.id === r.task.id)?.state ?? 'missing';
    }
    expect(state).toBe('cancelled');
    expect(existsSync(r.dir)).toBe(false);
    expect(existsSync(join(t.dir, 'exports')) ? readdirSync(join(t.dir, 'exports')) : []).toEqual([]);
  });

  it('undoes and redoes saving and deleting a subset', async () => {
    await t.call('curate.subsets.save', { name: 'u', spec: { dataset, sizes: [10], seed: 1 } });
    await t.call('curate.subsets.save', { name: 'u', spec: { dataset, sizes: [10, 20], seed: 2 }, replace: true });
    await t.call('curate.undo', {});
    expect((await t.call('curate.subsets.list', {})).subsets.find((s) => s.name === 'u')?.spec.seed).toBe(1);
    await t.call('curate.subsets.delete', { name: 'u' });
    expect((await t.call('curate.subsets.list', {})).subsets.some((s) => s.name === 'u')).toBe(false);
    await t.call('curate.undo', {});
    expect((await t.call('curate.subsets.list', {})).subsets.find((s) => s.name === 'u')?.spec.sizes).toEqual([10]);
    await t.call('curate.redo', {});
    expect((await t.call('curate.subsets.list', {})).subsets.some((s) => s.name === 'u')).toBe(false);
  });
});
