import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBackend, type TestBackend } from '../helpers/workspace';

describe('router', () => {
  let t: TestBackend;
  beforeAll(async () => {
    t = await startTestBackend({ demo: true, demoTraces: 500 });
  });
  afterAll(async () => t.close());

  it('rejects an unknown method as a value', async () => {
    const r = await t.backend.router.handle('nope.nothing', {}, { transport: 'test' });
    expect(r).toEqual({ ok: false, error: { code: 'unknown_method', message: 'Unknown method "nope.nothing"' } });
  });

  it('names the field that failed validation', async () => {
    const r = await t.backend.router.handle('sql.query', { sql: 'SELECT 1', limit: 'ten' }, { transport: 'test' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('invalid_request');
    expect(r.error.details?.field).toBe('limit');
    expect(r.error.message).toContain('limit');
  });

  it('rejects extra fields on strict requests', async () => {
    const r = await t.backend.router.handle('system.info', { surprise: 1 }, { transport: 'test' });
    expect(r.ok).toBe(false);
  });

  it('answers system.info with the demo workspace', async () => {
    const info = await t.call('system.info', {});
    expect(info.workspace.isDemo).toBe(true);
    expect(info.duckdbVersion).toMatch(/^v1\./);
  });

  it('refuses SQL that writes, and keeps the data', async () => {
    for (const sql of [
      'DROP TABLE valley_runs',
      "INSERT INTO valley_meta VALUES ('a','b')",
      "COPY valley_runs TO '/tmp/x.csv'",
      'SELECT 1; DROP TABLE valley_runs',
      "ATTACH '/tmp/other.duckdb'",
      'SET threads = 1',
    ]) {
      await expect(t.call('sql.query', { sql })).rejects.toMatchObject({
        code: expect.stringMatching(/forbidden|bad_input/),
      });
    }
    const r = await t.call('sql.query', { sql: 'SELECT count(*) AS n FROM valley_runs' });
    expect(Number(r.rows[0]?.[0])).toBeGreaterThan(0);
  });

  it('runs read-only SQL with a row limit', async () => {
    const r = await t.call('sql.query', { sql: 'SELECT * FROM range(50) t(i);', limit: 10 });
    expect(r.rows).toHaveLength(10);
    expect(r.truncated).toBe(true);
    expect(r.columns[0]).toEqual({ name: 'i', type: 'BIGINT' });
    const d = await t.call('sql.query', { sql: 'DESCRIBE valley_runs' });
    expect(d.rows.length).toBeGreaterThan(5);
  });

  it('reports SQL errors in place', async () => {
    await expect(t.call('sql.query', { sql: 'SELEC 1' })).rejects.toMatchObject({ code: 'bad_input' });
  });
});
