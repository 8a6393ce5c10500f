import { ValleyError, type SqlResult } from '../../../shared/api';
import type { Engine } from '../engine/engine';

const READ_ONLY = new Set(['SELECT', 'EXPLAIN']);

/** Run one statement that cannot change anything: SELECT (including DESCRIBE, SHOW, PRAGMA reads) or EXPLAIN. */
export const readOnlyQuery = async (engine: Engine, sqlIn: string, limit: number): Promise<SqlResult> => {
  const sql = sqlIn.trim().replace(/;+\s*$/, '');
  const s = await engine.session();
  const started = performance.now();
  try {
    let types: string[];
    try {
      types = await s.statementTypes(sql);
    } catch (error) {
      throw new ValleyError('bad_input', error instanceof Error ? error.message : String(error), { field: 'sql' });
    }
    if (types.length !== 1) {
      throw new ValleyError('bad_input', `Expected one statement, found ${types.length}`, { field: 'sql' });
    }
    const type = types[0] as string;
    if (!READ_ONLY.has(type)) {
      throw new ValleyError('forbidden', `Only read-only statements are allowed here; this one is ${type}`, {
        field: 'sql',
        statementType: type,
      });
    }
    const wrapped = type === 'SELECT' ? `SELECT * FROM (\n${sql}\n) AS q LIMIT ${limit + 1}` : sql;
    let result;
    try {
      result = await s.query(wrapped);
    } catch (error) {
      // DESCRIBE/SHOW/PRAGMA are SELECTs that cannot be wrapped: run them as they are
      if (type !== 'SELECT') throw error;
      result = await s.query(sql).catch((e: unknown) => {
        throw new ValleyError('bad_input', e instanceof Error ? e.message : String(e), { field: 'sql' });
      });
    }
    const truncated = result.rows.length > limit;
    return {
      columns: result.columns,
      rows: truncated ? result.rows.slice(0, limit) : result.rows,
      truncated,
      elapsedMs: Math.round((performance.now() - started) * 10) / 10,
    };
  } finally {
    s.close();
  }
};
