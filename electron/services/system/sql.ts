import { ValleyError, type SqlResult } from '../../../shared/api';
import type { Engine } from '../engine/engine';
import { relationFor } from '../data/registry';

const READ_ONLY = new Set(['SELECT', 'EXPLAIN']);

/**
 * A dataset is the table (or view) `ds_<name>`: when a query names a dataset as a table, say so instead of DuckDB's
 * nearest catalog name ("did you mean pg_description").
 */
const explainSqlError = async (engine: Engine, message: string): Promise<string> => {
  const missing = /Table with name "?([^"\s!]+)"? does not exist/i.exec(message)?.[1];
  if (!missing) return message;
  const rows = await engine.all('SELECT name, relation FROM valley_datasets ORDER BY name');
  const hit = rows.find((r) => String(r['name']).toLowerCase() === missing.toLowerCase() || String(r['relation']) === relationFor(missing));
  const first = message.split('\n')[0] ?? message;
  if (hit) return `${first} Dataset "${String(hit['name'])}" is the table ${String(hit['relation'])}: SELECT … FROM ${String(hit['relation'])}`;
  const names = rows.map((r) => String(r['relation']));
  return names.length ? `${message}\nDatasets are tables named ds_<name>: ${names.slice(0, 10).join(', ')}` : message;
};

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
      throw new ValleyError('bad_input', await explainSqlError(engine, error instanceof Error ? error.message : String(error)), { field: 'sql' });
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
      result = await s.query(sql).catch(async (e: unknown) => {
        throw new ValleyError('bad_input', await explainSqlError(engine, e instanceof Error ? e.message : String(e)), { field: 'sql' });
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
