import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootBackend } from '../../electron/rpc/boot';
import { startTestBackend, testHost, type TestBackend } from '../helpers/workspace';

const dataset = 'demo-ocr2';

describe('partitions, marks, undo/redo, contamination', () => {
  let t: TestBackend;
  beforeAll(async () => {
    t = await startTestBackend({ demo: true, demoTraces: 2000 });
  });
  afterAll(async () => t.close());

  const sqlCount = async (where: string): Promise<number> =>
    Number((await t.call('sql.query', { sql: `SELECT count(*) FROM ds_demo_ocr2 WHERE ${where}` })).rows[0]?.[0]);

  it('creates the correctness and difficulty presets with the right sizes', async () => {
    const c = await t.call('curate.partitions.presets', { dataset, preset: 'correctness' });
    expect(c.partitions.map((p) => [p.name, p.size])).toEqual([
      ['correct', await sqlCount('correct')],
      ['incorrect', await sqlCount('NOT correct')],
    ]);
    const byRate = await t.call('curate.partitions.presets', { dataset, preset: 'correctness', by: 'pass_rate' });
    expect(byRate.partitions[1]?.size).toBe(await sqlCount('pass_rate < 1'));
    const d = await t.call('curate.partitions.presets', {
      dataset,
      preset: 'difficulty',
      groups: { easy: ['EASY'], hard: ['MEDIUM_HARD', 'HARD', 'VERY_HARD'], none: ['MEDIUM', 'UNKNOWN_DIFFICULTY'] },
    });
    expect(d.partitions[0]?.size).toBe(await sqlCount(`difficulty = 'EASY'`));
    expect(d.partitions[1]?.size).toBe(await sqlCount(`difficulty IN ('MEDIUM_HARD','HARD','VERY_HARD')`));
    const stats = await t.call('curate.partitions.stats', { names: ['easy', 'hard'] });
    const easyDiff = stats.stats[0]?.facets.find((f) => f.name === 'difficulty');
    expect(easyDiff?.bins.filter((b) => b.count > 0).map((b) => b.label)).toEqual(['EASY']);
  });

  it('marks rows include/exclude, filters by partition, and undoes/redoes across a restart', async () => {
    const hard = await t.call('curate.partitions.list', { dataset });
    const before = hard.partitions.find((p) => p.name === 'hard')?.size ?? 0;
    const easyRow = Number(
      (await t.call('sql.query', { sql: `SELECT min(row_id) FROM ds_demo_ocr2 WHERE difficulty = 'EASY'` }))
        .rows[0]?.[0],
    );
    const hardRows = (
      await t.call('sql.query', {
        sql: `SELECT row_id FROM ds_demo_ocr2 WHERE difficulty = 'HARD' ORDER BY row_id LIMIT 3`,
      })
    ).rows.map((r) => Number(r[0]));
    expect((await t.call('curate.marks.set', { partition: 'hard', rowIds: [easyRow], mark: 'include' })).size).toBe(
      before + 1,
    );
    expect((await t.call('curate.marks.set', { partition: 'hard', rowIds: hardRows, mark: 'exclude' })).size).toBe(
      before - 2,
    );
    const w = await t.call('traces.window', { dataset, filter: { partition: 'hard' }, marksOf: 'hard', limit: 2000 });
    expect(w.total).toBe(before - 2);
    expect(w.rows.find((r) => r.rowId === easyRow)?.mark).toBe('include');
    expect(w.rows.some((r) => hardRows.includes(r.rowId))).toBe(false);
    expect((await t.call('curate.history', {})).undoLabel).toContain('exclude 3 rows');

    // undo lives in the workspace: reopen the backend and undo there
    const dir = t.dir;
    await t.backend.close();
    const b2 = await bootBackend({
      host: testHost(`${dir}/..`),
      version: 'test',
      workspaceDir: dir,
      ifMissing: 'refuse',
    });
    const call = async (m: string, req: unknown) => {
      const r = await b2.router.handle(m, req, { transport: 'test' });
      if (!r.ok) throw new Error(r.error.message);
      return r.value as Record<string, unknown>;
    };
    await call('curate.undo', {});
    expect((await call('curate.partitions.list', { dataset })).partitions).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'hard', size: before + 1, excludes: 0 })]),
    );
    await call('curate.undo', {});
    const h = await call('curate.redo', {});
    expect(h['canRedo']).toBe(true);
    expect((await call('curate.marks.list', { partition: 'hard' }))['include']).toEqual([easyRow]);
    await b2.close();
    await rm(join(dir, '..'), { recursive: true, force: true });
    const again = await startTestBackend({ demo: true, demoTraces: 200 });
    t = again;
  });

  it('deletes, renames and undoes partitions; refuses duplicates', async () => {
    await t.call('curate.partitions.save', {
      name: 'short',
      dataset,
      filter: { clauses: [{ op: 'range', column: 'tokens', max: 200 }] },
    });
    await expect(t.call('curate.partitions.save', { name: 'short', dataset })).rejects.toMatchObject({
      code: 'conflict',
    });
    await t.call('curate.marks.set', { partition: 'short', rowIds: [1, 2], mark: 'exclude' });
    await t.call('curate.partitions.rename', { name: 'short', to: 'brief' });
    await t.call('curate.partitions.delete', { name: 'brief' });
    expect((await t.call('curate.partitions.list', {})).partitions.map((p) => p.name)).not.toContain('brief');
    await t.call('curate.undo', {});
    const back = (await t.call('curate.partitions.list', {})).partitions.find((p) => p.name === 'brief');
    expect(back?.excludes).toBe(2);
    await t.call('curate.undo', {});
    expect((await t.call('curate.partitions.list', {})).partitions.map((p) => p.name)).toContain('short');
    // a saved subset drawn from a partition follows the partition's rename, and its undo
    await t.call('curate.subsets.save', {
      name: 'from-short',
      spec: { dataset, partition: 'short', filter: { partition: 'short' }, sizes: [10], seed: 1 },
    });
    const specOf = async () =>
      (await t.call('curate.subsets.list', {})).subsets.find((x) => x.name === 'from-short')?.spec;
    await t.call('curate.partitions.rename', { name: 'short', to: 'tiny' });
    expect(await specOf()).toMatchObject({ partition: 'tiny', filter: { partition: 'tiny' } });
    await t.call('curate.undo', {});
    expect(await specOf()).toMatchObject({ partition: 'short', filter: { partition: 'short' } });
    const picked = await t.call('curate.partitions.save', { name: 'picked', dataset, matchAll: false });
    expect(picked.size).toBe(0);
    expect((await t.call('curate.marks.set', { partition: 'picked', rowIds: [3, 4, 5], mark: 'include' })).size).toBe(
      3,
    );
  });

  it('finds benchmark problems copied into training questions and excludes them in one step', async () => {
    const leaked = await t.call('sql.query', {
      sql: `SELECT question_content FROM ds_demo_lcb WHERE question_id LIKE 'leaked-%'`,
    });
    expect(leaked.rows).toHaveLength(3);
    const r = await t.call('curate.contamination.check', { dataset, benchmark: 'demo-lcb', n: 8, threshold: 0.99 });
    expect(r.problems).toBe(15);
    expect(r.flaggedQuestions).toBeGreaterThanOrEqual(3);
    const texts = new Set(r.hits.map((h) => h.question));
    for (const row of leaked.rows) expect(texts.has(String(row[0]).slice(0, 400))).toBe(true);
    const strict = await t.call('curate.contamination.check', { dataset, benchmark: 'demo-lcb', n: 8, threshold: 0.2 });
    expect(strict.flaggedQuestions).toBeGreaterThanOrEqual(r.flaggedQuestions);
    const ex = await t.call('curate.contamination.exclude', {
      dataset,
      benchmark: 'demo-lcb',
      n: 8,
      threshold: 0.99,
      target: 'clean',
    });
    expect(ex.excluded).toBe(r.flaggedTraces);
    const total = (await t.call('traces.count', { dataset })).total;
    expect(ex.size).toBe(total - r.flaggedTraces);
    await t.call('curate.undo', {});
    expect((await t.call('curate.partitions.list', {})).partitions.map((p) => p.name)).not.toContain('clean');
    await expect(
      t.call('curate.contamination.check', { dataset: 'demo-lcb', benchmark: 'demo-lcb' }),
    ).rejects.toMatchObject({ code: 'bad_input' });
  });

  it('keeps screen state per workspace', async () => {
    await t.call('curate.ui.set', { key: 'curate', value: { sort: 'tokens', open: 12 } });
    expect((await t.call('curate.ui.get', { key: 'curate' })).value).toEqual({ sort: 'tokens', open: 12 });
    expect((await t.call('curate.ui.get', { key: 'nothing' })).value).toBeNull();
  });
});
