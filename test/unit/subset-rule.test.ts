import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refusal } from '../helpers/refusal';
import { startTestBackend, tempDir, type TestBackend } from '../helpers/workspace';

let t: TestBackend;
let files: { dir: string; cleanup: () => Promise<void> };

/** 600 rows in two Parquet shards, attached as a view ('v', sampled from its side table) and copied into a table ('c'). */
beforeAll(async () => {
  t = await startTestBackend();
  files = await tempDir('valley-subset-rule-');
  const dir = join(files.dir, 'shards');
  await mkdir(dir);
  for (let i = 0; i < 2; i++) {
    await t.backend.services.workspace.engine.run(
      `COPY (SELECT 'id-' || k AS id, CASE WHEN k % 5 = 0 THEN NULL ELSE 'q' || (k % 70) END AS question_id,
          'Problem ' || (k % 90) AS question, '<think>x</think>ok' || k AS r1_generation,
          CASE WHEN k % 3 = 0 THEN 'wrong' ELSE 'right' END AS judgement, ['EASY', 'MEDIUM', 'HARD'][1 + k % 3] AS difficulty
        FROM range(${i * 300}, ${(i + 1) * 300}) r(k)) TO '${join(dir, `train-0000${i}.parquet`)}' (FORMAT PARQUET, ROW_GROUP_SIZE 100)`,
    );
  }
  await t.call('data.import', { paths: [dir], name: 'v', storage: 'view', wait: true });
  await t.call('data.import', { paths: [dir], name: 'c', storage: 'table', wait: true });
});
afterAll(async () => {
  await t?.close();
  await files?.cleanup();
});

interface Spec {
  stratify?: 'difficulty';
  maxPerQuestion?: number;
  correct?: boolean;
}

/**
 * The documented rule (docs/CURATE.md, "Nested subsets") written out plainly over the table's own columns: order by
 * md5(id ‖ '#' ‖ seed) then row_id; keep the first k per question (question_id, else md5 of the question text);
 * stratified, the i-th of n_s rows of stratum s gets key (i + 0.5) / n_s. Returns the whole order.
 */
const ruleOrder = async (seed: number, s: Spec) => {
  const sql = `
    WITH pool AS (
      SELECT row_id, ${s.stratify ? 'difficulty' : "''"} AS stratum,
             coalesce(question_id, 'md5:' || md5(coalesce(question, ''))) AS q, md5_number(id || '#' || '${seed}') AS h
        FROM ds_c ${s.correct ? 'WHERE correct' : ''}),
    kept AS (SELECT * FROM pool
      ${s.maxPerQuestion ? `QUALIFY row_number() OVER (PARTITION BY q ORDER BY h, row_id) <= ${s.maxPerQuestion}` : ''}),
    keyed AS (SELECT *, (row_number() OVER (PARTITION BY stratum ORDER BY h, row_id) - 0.5)
                        / count(*) OVER (PARTITION BY stratum) AS skey FROM kept)
    SELECT row_id, stratum, q FROM keyed ORDER BY ${s.stratify ? 'skey, ' : ''}h, row_id`;
  const r = await t.call('sql.query', { sql, limit: 10_000 });
  return r.rows.map((x) => ({ rowId: Number(x[0]), stratum: String(x[1]), q: String(x[2]) }));
};

const count = <T>(xs: readonly T[], key: (x: T) => string): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const x of xs) out[key(x)] = (out[key(x)] ?? 0) + 1;
  return out;
};

describe('saved subsets follow the documented rule (view and table)', () => {
  it('chooses the rule’s rows and plans the rule’s counts, for several seeds and recipes', async () => {
    const recipes: Spec[] = [
      {},
      { stratify: 'difficulty' },
      { maxPerQuestion: 2 },
      { stratify: 'difficulty', maxPerQuestion: 1, correct: true },
    ];
    for (const recipe of recipes) {
      for (const seed of [0, 7, 123_456]) {
        const order = await ruleOrder(seed, recipe);
        const sizes = [5, 37, Math.min(150, order.length)];
        for (const dataset of ['v', 'c']) {
          const spec = {
            dataset,
            sizes,
            seed,
            stratify: recipe.stratify ?? null,
            maxPerQuestion: recipe.maxPerQuestion ?? null,
            ...(recipe.correct
              ? {
                  filter: {
                    clauses: [{ op: 'in' as const, column: 'correct' as const, values: [true] }],
                    search: '',
                    partition: null,
                  },
                }
              : {}),
          };
          const what = JSON.stringify({ recipe, seed, dataset });
          const saved = await t.call('curate.subsets.save', { name: 'rule', spec, replace: true });
          expect(saved.plan, what).toEqual({
            available: order.length,
            sizes: sizes.map((size) => ({
              size,
              strata: recipe.stratify ? count(order.slice(0, size), (x) => x.stratum) : {},
              questions: new Set(order.slice(0, size).map((x) => x.q)).size,
            })),
            poolStrata: recipe.stratify ? count(order, (x) => x.stratum) : {},
          });
          for (const size of sizes) {
            const ids = (await t.call('curate.subsets.ids', { name: 'rule', size })).rowIds;
            expect(ids, what).toEqual(order.slice(0, size).map((x) => x.rowId));
          }
        }
      }
    }
  });

  it('returns what it stored, and undo and redo put back each version', async () => {
    const name = "it's 'quoted'"; // stored through SQL literals: the quotes must survive
    const first = await t.call('curate.subsets.save', { name, spec: { dataset: 'v', sizes: [10], seed: 1 } });
    const listed = async () => (await t.call('curate.subsets.list', {})).subsets.find((x) => x.name === name);
    expect(await listed()).toEqual(first);
    // a name taken is refused before anything else, even a size too large
    for (const sizes of [[10], [100_000]]) {
      const taken = await refusal(t.call('curate.subsets.save', { name, spec: { dataset: 'v', sizes, seed: 3 } }));
      expect(taken.code).toBe('conflict');
    }
    expect(await listed()).toEqual(first);
    const second = await t.call('curate.subsets.save', {
      name,
      spec: {
        dataset: 'v',
        sizes: [10, 20],
        seed: 2,
        stratify: 'difficulty',
        filter: {
          clauses: [{ op: 'in', column: 'difficulty', values: ['EASY', "O'HARD"] }],
          search: '',
          partition: null,
        },
      },
      replace: true,
    });
    expect(second.createdAt).toBe(first.createdAt);
    expect(await listed()).toEqual(second);
    expect((await t.call('curate.history', {})).undoLabel).toBe(`save subset ${name}`);
    await t.call('curate.undo', {});
    expect(await listed()).toEqual(first);
    await t.call('curate.undo', {});
    expect(await listed()).toBeUndefined();
    await t.call('curate.redo', {});
    await t.call('curate.redo', {});
    expect(await listed()).toEqual(second);
  });
});
