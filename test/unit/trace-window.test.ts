import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBackend, type TestBackend } from '../helpers/workspace';

const dataset = 'demo-ocr2';
let t: TestBackend;
beforeAll(async () => {
  t = await startTestBackend({ demo: true, demoTraces: 3000 });
});
afterAll(async () => t?.close());

const waitIdle = () => new Promise((r) => setTimeout(r, 300));

describe('first window after a filter change', () => {
  it('is served directly, then from the order index built behind it, with the same rows and total', async () => {
    const cases = [
      {
        filter: { clauses: [{ op: 'in' as const, column: 'difficulty' as const, values: ['EASY', 'HARD'] }] },
        sort: { column: 'tokens' as const, desc: true },
      },
      {
        filter: { clauses: [{ op: 'range' as const, column: 'pass_rate' as const, min: 0.3, max: null }] },
        sort: { column: 'row_id' as const, desc: false },
      },
      {
        filter: { clauses: [{ op: 'contains' as const, column: 'response' as const, text: 'def ' }] },
        sort: { column: 'difficulty' as const, desc: false },
      },
      { filter: { search: 'array' }, sort: { column: 'pass_rate' as const, desc: true } },
    ];
    for (const c of cases) {
      for (const start of [0, 150]) {
        const first = await t.call('traces.window', { dataset, ...c, start, limit: 60 });
        await waitIdle();
        const again = await t.call('traces.window', { dataset, ...c, start, limit: 60 });
        expect([first.rows, first.total, first.start]).toEqual([again.rows, again.total, again.start]);
        // and what the index serves below the direct range continues the same order
        const deep = await t.call('traces.window', { dataset, ...c, start: start + 59, limit: 2 });
        if (first.rows.length === 60) expect(deep.rows[0]).toEqual(first.rows[59]);
      }
      const count = await t.call('traces.count', { dataset, filter: c.filter });
      expect((await t.call('traces.window', { dataset, ...c, start: 0, limit: 1 })).total).toBe(count.total);
    }
  });
});
