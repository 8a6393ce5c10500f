import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValleyError, type TraceFilterInput } from '../../shared/api';
import { startTestBackend, tempDir, type TestBackend } from '../helpers/workspace';

/** The refusal a call ends in (fails the test when the call succeeds). */
const refusal = async (p: Promise<unknown>): Promise<ValleyError> => {
  try {
    await p;
  } catch (error) {
    if (error instanceof ValleyError) return error;
    throw error;
  }
  throw new Error('expected a refusal, the call succeeded');
};

describe('SQL that is checked is the SQL that runs (real DuckDB, demo workspace)', () => {
  let t: TestBackend;
  let tmp: { dir: string; cleanup: () => Promise<void> };
  const dataset = 'demo-ocr2';
  const sqlFilter = (where: string, allowFiles?: boolean): TraceFilterInput => ({
    clauses: [{ op: 'sql', where, ...(allowFiles ? { allowFiles } : {}) }],
  });
  const count = async (filter: TraceFilterInput) => (await t.call('traces.count', { dataset, filter })).total;

  beforeAll(async () => {
    t = await startTestBackend({ demo: true, demoTraces: 400 });
    tmp = await tempDir('valley-sql-');
    writeFileSync(join(tmp.dir, 'secret.csv'), 'a,b\n1,2\n');
  });
  afterAll(async () => {
    await t?.close();
    await tmp?.cleanup();
  });

  it('refuses a filter that closes its clause, with a message that says what a filter must be', async () => {
    for (const where of [
      'true) --',
      'true) UNION SELECT 1 --',
      'true) ORDER BY (1',
      'true) GROUP BY (1',
      'true); DROP TABLE valley_datasets; --',
    ]) {
      const e = await refusal(count(sqlFilter(where)));
      expect(e.code, where).toBe('bad_input');
      expect(e.message, where).toMatch(/must be one condition over the trace columns/);
      expect(e.details?.field).toBe('where');
    }
    // the workspace is untouched
    expect((await t.call('sql.query', { sql: 'SELECT count(*) FROM valley_datasets' })).rows[0]?.[0]).toBeGreaterThan(
      0,
    );
  });

  it('uses the checked condition as one parenthesized unit everywhere it is pasted', async () => {
    const total = await count({});
    const hard = await count(sqlFilter("difficulty = 'HARD'"));
    expect(hard).toBeGreaterThan(0);
    expect(hard).toBeLessThan(total);
    // balanced text that is one condition when wrapped: it must act as one unit next to other conditions
    const tricky = "difficulty = 'HARD') OR (true";
    expect(await count(sqlFilter(tricky))).toBe(total);
    const withOther = {
      clauses: [
        ...(sqlFilter(tricky).clauses ?? []),
        { op: 'in' as const, column: 'difficulty' as const, values: ['EASY'] },
      ],
    };
    const easy = await count({ clauses: [{ op: 'in', column: 'difficulty', values: ['EASY'] }] });
    expect(await count(withOther)).toBe(easy);
    // a comment at the end cannot swallow what follows
    expect(await count(sqlFilter("difficulty = 'HARD' -- only hard"))).toBe(hard);
    // the same text in facets and a saved partition gives the same rows
    const facets = await t.call('traces.facets', { dataset, filter: sqlFilter("difficulty = 'HARD' -- only hard") });
    expect(facets.total).toBe(hard);
    await t.call('curate.partitions.save', {
      name: 'hard-sql',
      dataset,
      filter: sqlFilter("difficulty = 'HARD' -- only hard"),
    });
    expect(await count({ partition: 'hard-sql' })).toBe(hard);
  });

  it('checks a saved partition’s SQL when it is used, not only when it was saved', async () => {
    await t.call('curate.partitions.save', { name: 'tampered', dataset, filter: sqlFilter('true') });
    const bad = JSON.stringify({ clauses: [{ op: 'sql', where: 'true) --' }], search: '', partition: null });
    await t.backend.services.workspace.engine.run('UPDATE valley_partitions SET filter = $f WHERE name = $n', {
      f: bad,
      n: 'tampered',
    });
    const e = await refusal(count({ partition: 'tampered' }));
    expect(e.code).toBe('bad_input');
    expect(e.message).toMatch(/must be one condition/);
  });

  it('refuses file-reading functions in a filter', async () => {
    const passwd = await refusal(count(sqlFilter("length((SELECT content FROM read_text('/etc/passwd'))) > 0")));
    expect(passwd.code).toBe('forbidden');
    expect(passwd.message).toContain('read_text()');
    const csv = await refusal(count(sqlFilter(`row_id IN (SELECT a FROM '${join(tmp.dir, 'secret.csv')}')`)));
    expect(csv.code).toBe('forbidden');
    expect(csv.message).toContain('secret.csv');
    expect((await refusal(count(sqlFilter("getenv('HOME') IS NOT NULL")))).message).toContain('getenv()');
    expect((await refusal(count(sqlFilter("row_id IN (SELECT * FROM query('SELECT 1'))")))).message).toContain(
      'query()',
    );
    // turned on for this filter, the same file may be read
    expect(await count(sqlFilter(`row_id IN (SELECT a FROM read_csv('${join(tmp.dir, 'secret.csv')}'))`, true))).toBe(
      1,
    );
  });

  it('classifies console statements without running any part of them: a refused EXPORT creates no folder', async () => {
    const out = join(tmp.dir, 'exported');
    const e = await refusal(t.call('sql.query', { sql: `EXPORT DATABASE '${out}'` }));
    expect(e.code).toBe('forbidden');
    expect(e.message).toMatch(/Only read-only statements .* this one starts with EXPORT/);
    expect(existsSync(out)).toBe(false);
    for (const sql of [
      `COPY valley_datasets TO '${join(tmp.dir, 'copy.csv')}'`,
      `ATTACH '${join(tmp.dir, 'other.duckdb')}' AS other`,
      'CREATE TABLE x AS SELECT 1',
      'SET threads = 1',
      'SELECT 1; DROP TABLE valley_datasets',
      'PIVOT valley_datasets ON kind',
    ]) {
      expect((await refusal(t.call('sql.query', { sql }))).code, sql).toBe('forbidden');
    }
    expect(existsSync(join(tmp.dir, 'copy.csv'))).toBe(false);
    expect(existsSync(join(tmp.dir, 'other.duckdb'))).toBe(false);
    expect((await t.call('sql.query', { sql: 'SELECT count(*) FROM valley_datasets' })).rows[0]?.[0]).toBeGreaterThan(
      0,
    );
  });

  it('refuses file-reading functions in the console unless allowed', async () => {
    const file = join(tmp.dir, 'secret.csv');
    for (const sql of [
      "SELECT * FROM read_text('/etc/passwd')",
      `SELECT * FROM '${file}'`,
      `SELECT * FROM read_csv('${file}')`,
      `WITH x AS (SELECT * FROM read_blob('${file}')) SELECT * FROM x`,
      `DESCRIBE SELECT * FROM read_csv('${file}')`,
      `EXPLAIN ANALYZE SELECT * FROM read_csv('${file}')`,
      "SELECT getenv('HOME')",
      "SELECT * FROM glob('/etc/*')",
      "SELECT * FROM query('SELECT 1')",
    ]) {
      const e = await refusal(t.call('sql.query', { sql }));
      expect(e.code, sql).toBe('forbidden');
      expect(e.message, sql).toContain('file-reading functions are off here');
    }
    const allowed = await t.call('sql.query', { sql: `SELECT a, b FROM read_csv('${file}')`, allowFiles: true });
    expect(allowed.rows).toEqual([[1, 2]]);
  });

  it('still runs the read-only statements a researcher types', async () => {
    const rel = (await t.call('data.datasets', {})).datasets.find((d) => d.name === dataset)?.relation ?? '';
    const ok = [
      `SELECT difficulty, count(*) FROM "${rel}" GROUP BY ALL`,
      `WITH h AS (SELECT * FROM "${rel}" WHERE difficulty = 'HARD') SELECT count(*) FROM h`,
      `FROM "${rel}" LIMIT 2`,
      `DESCRIBE "${rel}"`,
      'SHOW TABLES',
      `SUMMARIZE "${rel}"`,
      `EXPLAIN SELECT * FROM "${rel}"`,
      'SELECT * FROM range(3)',
      'SELECT table_name FROM duckdb_tables() LIMIT 1',
      'SELECT 1 -- a trailing comment',
    ];
    for (const sql of ok) expect((await t.call('sql.query', { sql })).columns.length, sql).toBeGreaterThan(0);
    const syntax = await refusal(t.call('sql.query', { sql: 'SELEC 1' }));
    expect(syntax.code).toBe('bad_input');
    expect(syntax.message).toMatch(/syntax error/i);
  });
});
