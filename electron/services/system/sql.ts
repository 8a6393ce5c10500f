import { ValleyError, type SqlResult } from '../../../shared/api';
import type { Engine } from '../engine/engine';
import { checkReadOnly } from '../engine/sql-check';
import { relationFor } from '../data/registry';

/**
 * A dataset is the table (or view) `ds_<name>`: when a query names a dataset as a table, say so instead of DuckDB's
 * nearest catalog name ("did you mean pg_description").
 */
const explainSqlError = async (engine: Engine, message: string): Promise<string> => {
  const missing = /Table with name "?([^"\s!]+)"? does not exist/i.exec(message)?.[1];
  if (!missing) return message;
  const rows = await engine.all('SELECT name, relation FROM valley_datasets ORDER BY name');
  const hit = rows.find(
    (r) => String(r['name']).toLowerCase() === missing.toLowerCase() || String(r['relation']) === relationFor(missing),
  );
  const first = message.split('\n')[0] ?? message;
  if (hit)
    return `${first} Dataset "${String(hit['name'])}" is the table ${String(hit['relation'])}: SELECT … FROM ${String(hit['relation'])}`;
  const names = rows.map((r) => String(r['relation']));
  return names.length ? `${message}\nDatasets are tables named ds_<name>: ${names.slice(0, 10).join(', ')}` : message;
};

/**
 * Run one statement that cannot change anything: SELECT (including DESCRIBE, SHOW, SUMMARIZE) or EXPLAIN of one.
 * It is classified by DuckDB's parser alone (nothing is bound or prepared before it is known to be read-only), and
 * unless `allowFiles` it may not read files or the environment (read_csv, read_text, FROM 'data.parquet', getenv…).
 */
export const readOnlyQuery = async (
  engine: Engine,
  sqlIn: string,
  limit: number,
  options: { allowFiles?: boolean } = {},
): Promise<SqlResult> => {
  const sql = sqlIn.trim().replace(/;+\s*$/, '');
  const s = await engine.session();
  const started = performance.now();
  try {
    const { type } = await checkReadOnly(s, sql, { allowFiles: options.allowFiles === true }).catch(
      async (error: unknown) => {
        if (!(error instanceof ValleyError)) throw error;
        if (error.code === 'forbidden' && !error.details?.['functions']) {
          const keyword = /^\s*([A-Za-z]+)/.exec(sql)?.[1]?.toUpperCase() ?? '';
          throw new ValleyError(
            'forbidden',
            `Only read-only statements (SELECT, EXPLAIN, DESCRIBE, SHOW, SUMMARIZE), one at a time, are allowed here; this one starts with ${keyword || 'something else'}`,
            { field: 'sql', statementType: keyword },
          );
        }
        if (error.code === 'bad_input')
          throw new ValleyError('bad_input', await explainSqlError(engine, error.message), { field: 'sql' });
        throw error;
      },
    );
    // the wrapped text is checked as well: what runs is what was checked
    const wrappedSql = `SELECT * FROM (\n${sql}\n) AS q LIMIT ${limit + 1}`;
    const wrappable =
      type === 'SELECT' &&
      (await checkReadOnly(s, wrappedSql, { allowFiles: options.allowFiles === true }).then(
        () => true,
        () => false,
      ));
    const run = (text: string) =>
      s.query(text).catch(async (e: unknown) => {
        throw new ValleyError('bad_input', await explainSqlError(engine, e instanceof Error ? e.message : String(e)), {
          field: 'sql',
        });
      });
    // DESCRIBE/SHOW/SUMMARIZE are SELECTs that cannot always be wrapped: then they run as they are
    const result = wrappable ? await s.query(wrappedSql).catch(() => run(sql)) : await run(sql);
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
