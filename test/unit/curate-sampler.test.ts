import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../shared/domain/random';
import { startTestBackend, type TestBackend } from '../helpers/workspace';

const dataset = 'demo-ocr2';

/** md5 as DuckDB's md5_number reads it: the 16 digest bytes as a little-endian unsigned 128-bit number. */
const md5Number = (text: string): bigint => {
  const bytes = createHash('md5').update(text).digest();
  let v = 0n;
  for (let i = 15; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i] as number);
  return v;
};

describe('nested subset sampler (property tests over many seeds)', () => {
  let t: TestBackend;
  let rows: { rowId: number; id: string; question: string; difficulty: string; source: string }[] = [];
  beforeAll(async () => {
    t = await startTestBackend({ demo: true, demoTraces: 1500 });
    const r = await t.call('sql.query', {
      sql: 'SELECT row_id, id, question_id, difficulty, source FROM ds_demo_ocr2',
      limit: 10_000,
    });
    rows = r.rows.map((x) => ({
      rowId: Number(x[0]),
      id: String(x[1]),
      question: String(x[2]),
      difficulty: String(x[3]),
      source: String(x[4]),
    }));
  });
  afterAll(async () => t.close());

  const ids = async (name: string, size: number) => (await t.call('curate.subsets.ids', { name, size })).rowIds;

  it('orders by the hash of id and seed, is deterministic and nested, for 25 seeds', async () => {
    const rand = seededRandom(7);
    for (let k = 0; k < 25; k++) {
      const seed = Math.floor(rand() * 1_000_000);
      const sizes = [10, 100, 500, 1200];
      await t.call('curate.subsets.save', { name: 's', spec: { dataset, sizes, seed }, replace: true });
      const expected = [...rows]
        .map((r) => ({ r, h: md5Number(`${r.id}#${seed}`) }))
        .sort((a, b) => (a.h < b.h ? -1 : a.h > b.h ? 1 : a.r.rowId - b.r.rowId))
        .map((x) => x.r.rowId);
      const big = await ids('s', 1200);
      expect(big).toEqual(expected.slice(0, 1200));
      for (const size of [10, 100, 500]) expect(await ids('s', size)).toEqual(big.slice(0, size));
      expect(await ids('s', 500)).toEqual(big.slice(0, 500)); // asked again: the same rows
    }
  });

  it('keeps strata in proportion at every size and stays nested, for 15 seeds', async () => {
    const rand = seededRandom(11);
    for (const stratify of ['difficulty', 'source'] as const) {
      const pool = new Map<string, number>();
      for (const r of rows) pool.set(r[stratify], (pool.get(r[stratify]) ?? 0) + 1);
      for (let k = 0; k < 15; k++) {
        const seed = Math.floor(rand() * 1_000_000);
        const sizes = [1 + Math.floor(rand() * 50), 100, 333, 1000];
        const saved = await t.call('curate.subsets.save', {
          name: 'strat',
          spec: { dataset, sizes, seed, stratify },
          replace: true,
        });
        let previous: number[] = [];
        for (const entry of saved.plan.sizes) {
          const got = await ids('strat', entry.size);
          expect(got.slice(0, previous.length)).toEqual(previous);
          previous = got;
          const counts = new Map<string, number>();
          const byId = new Map(rows.map((r) => [r.rowId, r]));
          for (const id of got) {
            const s = byId.get(id)?.[stratify] ?? '';
            counts.set(s, (counts.get(s) ?? 0) + 1);
          }
          for (const [stratum, n] of pool) {
            const want = (entry.size * n) / rows.length;
            expect(Math.abs((counts.get(stratum) ?? 0) - want)).toBeLessThanOrEqual(pool.size);
            expect(entry.strata[stratum] ?? 0).toBe(counts.get(stratum) ?? 0);
          }
        }
      }
    }
  });

  it('dedups to at most k per question, nested', async () => {
    for (const k of [1, 2]) {
      const spec = { dataset, sizes: [50, 200], seed: 3, maxPerQuestion: k };
      const plan = await t.call('curate.subsets.plan', spec);
      const perQ = new Map<string, number>();
      for (const r of rows) perQ.set(r.question, Math.min(k, (perQ.get(r.question) ?? 0) + 1));
      expect(plan.available).toBe([...perQ.values()].reduce((a, b) => a + b, 0));
      await t.call('curate.subsets.save', { name: `dedup${k}`, spec, replace: true });
      const got = await ids(`dedup${k}`, 200);
      const byId = new Map(rows.map((r) => [r.rowId, r]));
      const seen = new Map<string, number>();
      for (const id of got) {
        const q = byId.get(id)?.question ?? '';
        seen.set(q, (seen.get(q) ?? 0) + 1);
      }
      expect(Math.max(...seen.values())).toBeLessThanOrEqual(k);
      expect(await ids(`dedup${k}`, 50)).toEqual(got.slice(0, 50));
    }
  });

  it('refuses a size larger than what is available, with the numbers', async () => {
    const err = await t
      .call('curate.subsets.plan', { dataset, sizes: [1000, 10_000], seed: 1, maxPerQuestion: 1 })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'bad_input' });
    const message = (err as Error).message;
    const available = new Set(rows.map((r) => r.question)).size;
    expect(message).toContain('10000');
    expect(message).toContain(String(available));
    expect(message).toContain('at most 1 per question');
  });

  it('draws from a partition', async () => {
    await t.call('curate.partitions.presets', { dataset, preset: 'correctness' });
    const plan = await t.call('curate.subsets.plan', { dataset, partition: 'correct', sizes: [10], seed: 5 });
    const n = Number(
      (await t.call('sql.query', { sql: 'SELECT count(*) FROM ds_demo_ocr2 WHERE correct' })).rows[0]?.[0],
    );
    expect(plan.available).toBe(n);
  });
});
