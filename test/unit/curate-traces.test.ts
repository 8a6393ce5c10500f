import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBackend, type TestBackend } from '../helpers/workspace';

const dataset = 'demo-ocr2';

describe('traces: paging, filters, facets', () => {
  let t: TestBackend;
  beforeAll(async () => {
    t = await startTestBackend({ demo: true, demoTraces: 3000 });
  });
  afterAll(async () => t.close());

  const sqlCount = async (where: string): Promise<number> =>
    Number((await t.call('sql.query', { sql: `SELECT count(*) FROM ds_demo_ocr2 WHERE ${where}` })).rows[0]?.[0]);

  it('walks the whole table by keyset pages in sort order, forward and backward', async () => {
    for (const sort of [
      { column: 'tokens' as const, desc: true },
      { column: 'difficulty' as const, desc: false },
      { column: 'row_id' as const, desc: false },
    ]) {
      const seen: number[] = [];
      const pages: { cursor: { key: string | number | boolean | null; rowId: number } | null }[] = [];
      let cursor: { key: string | number | boolean | null; rowId: number } | null = null;
      do {
        pages.push({ cursor });
        const page: Awaited<ReturnType<typeof t.call<'traces.page'>>> = await t.call('traces.page', {
          dataset,
          sort,
          cursor,
          limit: 700,
        });
        seen.push(...page.rows.map((r) => r.rowId));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toHaveLength(3000);
      expect(new Set(seen).size).toBe(3000);
      const all = await t.call('sql.query', {
        sql: `SELECT row_id FROM ds_demo_ocr2 ORDER BY ${sort.column} ${sort.desc ? 'DESC' : 'ASC'} NULLS LAST, row_id ${sort.desc ? 'DESC' : 'ASC'}`,
        limit: 5000,
      });
      expect(seen).toEqual(all.rows.map((r) => Number(r[0])));
      // backward from the third page's cursor gives the rows just before it
      const third = pages[2]?.cursor;
      if (third) {
        const back = await t.call('traces.page', { dataset, sort, cursor: third, backward: true, limit: 10 });
        const at = seen.indexOf(third.rowId);
        expect(at).toBeGreaterThanOrEqual(10);
        expect(back.rows.map((r) => r.rowId)).toEqual(seen.slice(at - 10, at));
      }
    }
  });

  it('serves any window of the filtered order with the total', async () => {
    const filter = { clauses: [{ op: 'in' as const, column: 'difficulty' as const, values: ['HARD', 'VERY_HARD'] }] };
    const w = await t.call('traces.window', {
      dataset,
      filter,
      sort: { column: 'tokens', desc: false },
      start: 100,
      limit: 50,
    });
    expect(w.total).toBe(await sqlCount(`difficulty IN ('HARD','VERY_HARD')`));
    const expected = await t.call('sql.query', {
      sql: `SELECT row_id FROM ds_demo_ocr2 WHERE difficulty IN ('HARD','VERY_HARD') ORDER BY tokens, row_id LIMIT 50 OFFSET 100`,
    });
    expect(w.rows.map((r) => r.rowId)).toEqual(expected.rows.map((r) => Number(r[0])));
    // the question shown is the stored preview, which is exactly what left() in SQL gives
    expect(await sqlCount('question_preview IS DISTINCT FROM left(question, 300)')).toBe(0);
    const shown = await t.call('sql.query', {
      sql: `SELECT left(question, 300) FROM ds_demo_ocr2 WHERE difficulty IN ('HARD','VERY_HARD') ORDER BY tokens, row_id LIMIT 50 OFFSET 100`,
    });
    expect(w.rows.map((r) => r.question)).toEqual(shown.rows.map((r) => r[0]));
  });

  it('filters by range, contains, negation and search', async () => {
    const c1 = await t.call('traces.count', {
      dataset,
      filter: { clauses: [{ op: 'range', column: 'tokens', min: 100, max: 300 }] },
    });
    expect(c1.total).toBe(await sqlCount('tokens BETWEEN 100 AND 300'));
    const c2 = await t.call('traces.count', {
      dataset,
      filter: { clauses: [{ op: 'in', column: 'correct', values: [true], negate: true }] },
    });
    expect(c2.total).toBe(await sqlCount('correct IS NOT TRUE'));
    const c3 = await t.call('traces.count', { dataset, filter: { search: 'knapsack capacity' } });
    expect(c3.total).toBe(
      await sqlCount(
        `(question ILIKE '%knapsack%' OR response ILIKE '%knapsack%') AND (question ILIKE '%capacity%' OR response ILIKE '%capacity%')`,
      ),
    );
    expect(c3.total).toBeGreaterThan(0);
    const c4 = await t.call('traces.count', {
      dataset,
      filter: { clauses: [{ op: 'contains', column: 'question', text: '100%_' }] },
    });
    expect(c4.total).toBe(0);
  });

  it('counts each histogram with every filter except its own (crossfilter)', async () => {
    const filter = {
      clauses: [
        { op: 'in' as const, column: 'difficulty' as const, values: ['EASY'] },
        { op: 'range' as const, column: 'tokens' as const, min: 50, max: 400 },
      ],
    };
    const f = await t.call('traces.facets', { dataset, filter });
    expect(f.total).toBe(await sqlCount(`difficulty = 'EASY' AND tokens BETWEEN 50 AND 400`));
    const difficulty = f.facets.find((x) => x.name === 'difficulty');
    const hard = difficulty?.bins.find((b) => b.label === 'HARD')?.count;
    expect(hard).toBe(await sqlCount(`difficulty = 'HARD' AND tokens BETWEEN 50 AND 400`));
    const judgement = f.facets.find((x) => x.name === 'judgement');
    expect(judgement?.bins.find((b) => b.label === 'correct')?.count).toBe(
      await sqlCount(`correct AND difficulty = 'EASY' AND tokens BETWEEN 50 AND 400`),
    );
    const tokens = f.facets.find((x) => x.name === 'tokens');
    const tokenSum = tokens?.bins.reduce((a, b) => a + b.count, 0);
    expect(tokenSum).toBe(await sqlCount(`difficulty = 'EASY'`));
    const pass = f.facets.find((x) => x.name === 'pass_rate');
    expect(pass?.bins.find((b) => b.label === '1')?.count).toBe(
      await sqlCount(`pass_rate = 1 AND difficulty = 'EASY' AND tokens BETWEEN 50 AND 400`),
    );
  });

  it('returns one trace in full with its siblings', async () => {
    const d = await t.call('traces.get', { dataset, rowId: 5 });
    expect(d.response).toContain('<think>');
    expect(d.siblings.every((s) => s.rowId !== 5)).toBe(true);
    await expect(t.call('traces.get', { dataset, rowId: 999_999 })).rejects.toMatchObject({ code: 'not_found' });
    await expect(t.call('traces.page', { dataset, sort: { column: 'response' } })).rejects.toMatchObject({
      code: 'bad_input',
    });
  });
});
