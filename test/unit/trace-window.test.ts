import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBackend, type TestBackend } from '../helpers/workspace';
import { orderIndexFor, PREPARE_QUIET_MS } from '../../electron/services/traces/order-index';
import { foregroundOf } from '../../electron/services/engine/foreground';

const dataset = 'demo-ocr2';
let t: TestBackend;
beforeAll(async () => {
  t = await startTestBackend({ demo: true, demoTraces: 3000 });
});
afterAll(async () => t?.close());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Long enough for an order prepared after a direct window to be built (started PREPARE_QUIET_MS after it). */
const waitIdle = () => sleep(PREPARE_QUIET_MS + 400);

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

describe('the order index behind a direct window', () => {
  it('is built once the clicks pause for PREPARE_QUIET_MS, for the last of several filters only', async () => {
    const engine = t.backend.services.workspace.engine;
    const index = orderIndexFor(engine);
    const click = foregroundOf(engine);
    const built: string[] = [];
    const select = (key: string, min: number) => async () => {
      built.push(key);
      return {
        sql: `SELECT row_id, (row_number() OVER (ORDER BY row_id) - 1)::BIGINT AS pos FROM ds_demo_ocr2 WHERE tokens >= ${min}`,
      };
    };
    // three brushes in a row: only the last one's order is built, and not before the pause
    index.prepare('brush-1', select('brush-1', 100));
    index.prepare('brush-2', select('brush-2', 200));
    index.prepare('brush-3', select('brush-3', 300));
    index.prepare('brush-3', select('brush-3', 300));
    await sleep(PREPARE_QUIET_MS / 2);
    expect(built).toEqual([]);
    expect(index.has('brush-3')).toBe(false);
    await sleep(PREPARE_QUIET_MS / 2 + 400);
    expect(built).toEqual(['brush-3']);
    expect(index.has('brush-3')).toBe(true);
    // clicks keep putting it off; it is built after they stop
    index.prepare('brush-4', select('brush-4', 400));
    for (let i = 0; i < 4; i++) await click.run(() => sleep(PREPARE_QUIET_MS / 2));
    expect(built).toEqual(['brush-3']);
    await sleep(PREPARE_QUIET_MS + 400);
    expect(built).toEqual(['brush-3', 'brush-4']);
    // a window that needs an order not built yet builds it at once (the prepared build then finds it there)
    index.prepare('brush-5', select('brush-5', 500));
    const total = await index.use('brush-5', select('brush-5', 500), async (_s, _table, n) => n);
    const [{ n }] = (await engine.all('SELECT count(*) AS n FROM ds_demo_ocr2 WHERE tokens >= 500')) as [
      { n: unknown },
    ];
    expect(total).toBe(Number(n));
    await sleep(PREPARE_QUIET_MS + 400);
    expect(built).toEqual(['brush-3', 'brush-4', 'brush-5']);
  });
  it('stops a build a click interrupts, and runs it again after the clicks', async () => {
    const engine = t.backend.services.workspace.engine;
    const index = orderIndexFor(engine);
    let starts = 0;
    // an order slow enough to be caught running (a sort of 10M rows)
    const heavy = async () => {
      starts += 1;
      return {
        sql: 'SELECT range AS row_id, (row_number() OVER (ORDER BY hash(range)) - 1)::BIGINT AS pos FROM range(10000000)',
      };
    };
    index.prepare('heavy', heavy);
    await sleep(PREPARE_QUIET_MS + 150);
    expect([starts, index.has('heavy')]).toEqual([1, true]); // running
    await foregroundOf(engine).run(() => engine.all('SELECT 42 AS x'));
    for (let i = 0; i < 100 && starts < 2; i++) await sleep(100);
    expect(starts).toBe(2); // built again after the pause
    const total = await index.use('heavy', heavy, async (_s, _table, n) => n);
    expect(total).toBe(10_000_000);
    expect(starts).toBe(2);
  });
});
