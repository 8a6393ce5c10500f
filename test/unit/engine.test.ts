import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openDuckDb, toCell } from '../../electron/services/engine/duckdb';
import type { Engine } from '../../electron/services/engine/engine';
import { openSupervisedDuckDb } from '../../electron/services/engine/supervised';
import { tempDir } from '../helpers/workspace';

describe.each([
  ['in this process', openDuckDb],
  ['in its own process', openSupervisedDuckDb],
])('DuckDB engine %s', (_where, openEngine) => {
  let engine: Engine;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    const t = await tempDir();
    cleanup = t.cleanup;
    engine = await openEngine(join(t.dir, 'e.duckdb'), { memoryLimit: '1GB', tempDirectory: join(t.dir, 'tmp') });
  });
  afterAll(async () => {
    await engine.close();
    await cleanup();
  });

  it('converts values to JSON-safe cells', () => {
    expect(toCell(5n)).toBe(5);
    expect(toCell(2n ** 60n)).toBe('1152921504606846976');
    expect(toCell(new Date(0))).toBe('1970-01-01T00:00:00.000Z');
    expect(toCell([1n, { a: null }])).toEqual([1, { a: null }]);
    expect(toCell(Number.NaN)).toBe('NaN');
  });

  it('rolls a failed transaction back completely', async () => {
    await engine.run('CREATE TABLE t (i INTEGER)');
    await expect(
      engine.transaction(async (s) => {
        await s.run('INSERT INTO t VALUES (1), (2)');
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await engine.all('SELECT count(*) AS n FROM t')).toEqual([{ n: 0 }]);
  });

  it('appends typed rows fast and exactly', async () => {
    await engine.run('CREATE TABLE a (i BIGINT, s VARCHAR, d DOUBLE, b BOOLEAN, n INTEGER)');
    const s = await engine.session();
    const count = await s.append(
      'a',
      ['bigint', 'varchar', 'double', 'boolean', 'integer'],
      [
        [1, 'x', 0.5, true, null],
        [2, "it's", -1, false, 7],
      ],
    );
    s.close();
    expect(count).toBe(2);
    expect(await engine.all('SELECT * FROM a ORDER BY i')).toEqual([
      { i: 1, s: 'x', d: 0.5, b: true, n: null },
      { i: 2, s: "it's", d: -1, b: false, n: 7 },
    ]);
  });

  it('binds parameters instead of splicing strings', async () => {
    const evil = "'); DROP TABLE a; --";
    expect(await engine.all('SELECT $v AS v', { v: evil })).toEqual([{ v: evil }]);
    expect(await engine.all("SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'a'")).toEqual([
      { n: 1 },
    ]);
  });

  it('keeps the event loop free while a long query runs', async () => {
    const order: string[] = [];
    const heavy = engine
      .all('SELECT count(*) AS n FROM range(150000000) r(i) WHERE hash(i) % 7 = 0')
      .then(() => order.push('heavy query'));
    await new Promise((r) => setTimeout(r, 20));
    order.push('timer while querying');
    const light = engine.all('SELECT 1 AS one').then(() => order.push('light query'));
    await Promise.all([heavy, light]);
    expect(order.indexOf('timer while querying')).toBe(0);
    expect(order.indexOf('light query')).toBeLessThan(order.indexOf('heavy query'));
  });

  it('interrupts a running query', async () => {
    const s = await engine.session();
    const running = s.all('SELECT count(*) FROM range(5000000000) r(i) WHERE hash(i) % 3 = 0');
    setTimeout(() => s.interrupt(), 50);
    await expect(running).rejects.toThrow(/INTERRUPT/i);
    s.close();
  });
});
