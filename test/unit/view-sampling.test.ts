import { mkdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { READY_FOR_TRAINING_SQL } from '../../electron/services/curate/fitness';
import { refusal } from '../helpers/refusal';
import { startTestBackend, tempDir, type TestBackend } from '../helpers/workspace';

let t: TestBackend;
let files: { dir: string; cleanup: () => Promise<void> };
const shards = () => join(files.dir, 'shards');

/**
 * Two Parquet shards attached as a view and copied into a table: some rows without a question_id (their question
 * text is their key), some (all judged wrong) with OpenCodeReasoning-2's '-' prompt, a blank prompt or a blank
 * response.
 */
beforeAll(async () => {
  t = await startTestBackend();
  files = await tempDir('valley-view-sampling-');
  await mkdir(shards());
  for (let i = 0; i < 2; i++) {
    await t.backend.services.workspace.engine.run(
      `COPY (SELECT 'id-' || k AS id, CASE WHEN k % 4 = 0 THEN NULL ELSE 'q' || (k % 40) END AS question_id,
          CASE WHEN k % 150 = 3 THEN '-' WHEN k % 210 = 6 THEN ' ' || chr(10) ELSE 'Problem ' || (k % 60) END AS question,
          CASE WHEN k % 270 = 9 THEN chr(9) ELSE '<think>' || repeat('step ', 5 + k % 9) || '</think>ok' || k END AS r1_generation,
          CASE WHEN k % 3 = 0 THEN 'wrong' ELSE 'right' END AS judgement, ['EASY', 'HARD'][1 + k % 2] AS difficulty
        FROM range(${i * 400}, ${(i + 1) * 400}) r(k)) TO '${join(shards(), `train-0000${i}.parquet`)}' (FORMAT PARQUET, ROW_GROUP_SIZE 128)`,
    );
  }
  await t.call('data.import', { paths: [shards()], name: 'v', storage: 'view', wait: true });
  await t.call('data.import', { paths: [shards()], name: 'c', storage: 'table', wait: true });
});
afterAll(async () => {
  await t?.close();
  await files?.cleanup();
});

const spec = (dataset: string, extra: object = {}) => ({ dataset, sizes: [50, 200], seed: 5, ...extra });

describe('sampling a Parquet view from its side table', () => {
  it('refuses unfit rows exactly as the copied table does', async () => {
    const onView = await refusal(t.call('curate.subsets.save', { name: 'uv', spec: { ...spec('v'), sizes: [800] } }));
    const onTable = await refusal(t.call('curate.subsets.save', { name: 'uc', spec: { ...spec('c'), sizes: [800] } }));
    expect(onView.code).toBe('bad_input');
    expect(onView.details).toEqual(onTable.details);
    // '-' at k % 150 = 3 (6 rows), blank prompts at k % 210 = 6 (4), tab-only responses at k % 270 = 9 (3)
    expect(onView.details).toMatchObject({ unfit: 13, dash: 6, emptyPrompt: 4, emptyResponse: 3 });
  });

  it('chooses the same rows as the table (dedup by question text or id, strata), without reading the files', async () => {
    const right = {
      filter: {
        clauses: [{ op: 'in' as const, column: 'correct' as const, values: [true] }],
        search: '',
        partition: null,
      },
    };
    for (const extra of [{}, { maxPerQuestion: 1 }, { stratify: 'difficulty', maxPerQuestion: 2 }]) {
      const sizes = [10, 40];
      const pv = await t.call('curate.subsets.plan', { ...spec('v', extra), sizes });
      expect(pv, JSON.stringify(extra)).toEqual(await t.call('curate.subsets.plan', { ...spec('c', extra), sizes }));
      for (const [name, dataset] of [
        ['sv', 'v'],
        ['sc', 'c'],
      ] as const) {
        await t.call('curate.subsets.save', {
          name,
          spec: { ...spec(dataset, extra), ...right, sizes },
          replace: true,
        });
      }
      const ids = (name: string) => t.call('curate.subsets.ids', { name, size: sizes[1] as number });
      expect((await ids('sv')).rowIds).toEqual((await ids('sc')).rowIds);
    }
    // with the files moved away, a view's subset is still planned and saved: nothing read them
    const moved = `${shards()}-away`;
    await rename(shards(), moved);
    try {
      const saved = await t.call('curate.subsets.save', {
        name: 'away',
        spec: { ...spec('v', { maxPerQuestion: 1 }), ...right, sizes: [10, 20] },
        replace: true,
      });
      expect(saved.plan.sizes.map((x) => x.size)).toEqual([10, 20]);
    } finally {
      await rename(moved, shards());
    }
    const a = (await t.call('curate.subsets.ids', { name: 'away', size: 20 })).rowIds;
    await t.call('curate.subsets.save', {
      name: 'away-c',
      spec: { ...spec('c', { maxPerQuestion: 1 }), ...right, sizes: [10, 20] },
      replace: true,
    });
    expect((await t.call('curate.subsets.ids', { name: 'away-c', size: 20 })).rowIds).toEqual(a);
  });

  it('"ready for training" on a view reads the side table: the rows the texts say, saved with the files away', async () => {
    const textRows = async (relation: string) =>
      (
        await t.call('sql.query', { sql: `SELECT row_id FROM ${relation} WHERE ${READY_FOR_TRAINING_SQL} ORDER BY 1` })
      ).rows.map((r) => Number(r[0]));
    const ready = { dataset: 'c', partition: 'ready-for-training', sizes: [50, 787], seed: 3, maxPerQuestion: 30 };
    const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
    // the preset's partition is one name: on the table first, then (replacing it) on the view
    const onTable = await t.call('curate.partitions.presets', { dataset: 'c', preset: 'training' });
    expect(onTable.partitions[0]?.size).toBe(787); // 800 less the 13 unfit rows above
    await t.call('curate.subsets.save', { name: 'ready-c', spec: ready, replace: true });
    const tableAll = (await t.call('curate.subsets.ids', { name: 'ready-c', size: 787 })).rowIds;
    const table50 = (await t.call('curate.subsets.ids', { name: 'ready-c', size: 50 })).rowIds;
    expect(sorted(tableAll)).toEqual(await textRows('ds_c'));
    expect(await textRows('ds_v')).toEqual(await textRows('ds_c'));

    const moved = `${shards()}-away`;
    await rename(shards(), moved);
    try {
      const onView = await t.call('curate.partitions.presets', { dataset: 'v', preset: 'training' });
      expect(onView.partitions[0]?.size).toBe(787);
      const filter = { clauses: [], search: '', partition: 'ready-for-training' };
      expect((await t.call('traces.count', { dataset: 'v', filter })).total).toBe(787);
      await t.call('curate.subsets.save', { name: 'ready-v', spec: { ...ready, dataset: 'v' }, replace: true });
      const viewAll = (await t.call('curate.subsets.ids', { name: 'ready-v', size: 787 })).rowIds;
      expect(sorted(viewAll)).toEqual(sorted(tableAll));
      expect((await t.call('curate.subsets.ids', { name: 'ready-v', size: 50 })).rowIds).toEqual(table50);
    } finally {
      await rename(moved, shards());
    }
    expect(sorted(tableAll)).toEqual(await textRows('ds_v'));
  });
});
