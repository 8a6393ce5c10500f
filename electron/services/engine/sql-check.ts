import { ValleyError } from '../../../shared/api';
import { literal, type Session } from './engine';

/**
 * Checks of user-written SQL done by DuckDB's own parser (json_serialize_sql), never by binding or preparing:
 * preparing a statement already runs parts of it (preparing `EXPORT DATABASE 'dir'` creates the folder).
 * Facts from DuckDB 1.5's source and docs: json_serialize_sql serializes SELECT statements only (DESCRIBE, SHOW,
 * SUMMARIZE and VALUES are SELECTs) and takes a constant VARCHAR; json_deserialize_sql prints a parsed statement
 * back as SQL, fully parenthesized (extension/json/json_functions/json_serialize_sql.cpp);
 * enable_external_access, disabled_filesystems and allowed_directories are GLOBAL settings that cannot be
 * turned back on once off (duckdb_settings(); operations_manual/securing_duckdb), so they cannot serve a console
 * that shares the workspace's database: file access is refused here, from the parsed statement, instead.
 */

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };

const isObj = (v: Json | undefined): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Table functions that read only the workspace's own catalog or make values: everything else may read files. */
const SAFE_TABLE_FUNCTIONS = new Set([
  'range',
  'generate_series',
  'unnest',
  'json_each',
  'json_tree',
  'repeat',
  'repeat_row',
  'summary',
  'histogram',
  'histogram_values',
  'duckdb_columns',
  'duckdb_constraints',
  'duckdb_databases',
  'duckdb_dependencies',
  'duckdb_functions',
  'duckdb_indexes',
  'duckdb_keywords',
  'duckdb_schemas',
  'duckdb_sequences',
  'duckdb_settings',
  'duckdb_tables',
  'duckdb_types',
  'duckdb_views',
  'duckdb_memory',
  'duckdb_extensions',
  'pragma_table_info',
  'pragma_database_size',
  'pragma_storage_info',
  'pragma_version',
  'pragma_platform',
  'pragma_show',
  'pragma_collations',
  'pg_timezone_names',
  'icu_calendar_names',
]);
/** Scalar functions that reach outside the database (the process environment). */
const EXTERNAL_SCALARS = new Set(['getenv']);

export interface ParsedSelect {
  /** The statement's parsed form (DuckDB's JSON). */
  readonly statement: Obj;
}

const parseError = (message: string, field: string): ValleyError => new ValleyError('bad_input', message, { field });

/** Parse `sql` with DuckDB's parser; every statement must be a SELECT. */
const serialize = async (db: Pick<Session, 'all'>, sql: string, field: string): Promise<Obj[]> => {
  const rows = await db.all(`SELECT json_serialize_sql(${literal(sql)}) AS j`);
  const parsed = JSON.parse(String(rows[0]?.['j'] ?? '{}')) as Json;
  if (!isObj(parsed)) throw parseError('DuckDB could not parse this SQL', field);
  if (parsed['error'] === true) {
    const message = String(parsed['error_message'] ?? 'unknown error');
    if (/only select statements/i.test(message)) {
      throw new ValleyError(
        'forbidden',
        'Only read-only statements (SELECT, EXPLAIN, DESCRIBE, SHOW, SUMMARIZE) are allowed here',
        { field },
      );
    }
    const at = typeof parsed['position'] === 'string' ? ` (at character ${Number(parsed['position']) + 1})` : '';
    throw parseError(`SQL syntax error: ${message}${at}`, field);
  }
  const statements = parsed['statements'];
  return Array.isArray(statements) ? statements.filter(isObj) : [];
};

/** Everything in a parsed statement that would read outside the database, as "read_csv()" or "'data.csv'". */
export const externalAccessIn = (node: Json, knownTables: ReadonlySet<string>): string[] => {
  const found: string[] = [];
  const ctes = new Set<string>();
  const walk = (v: Json): void => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (!isObj(v)) return;
    const cteMap = v['cte_map'];
    if (isObj(cteMap) && Array.isArray(cteMap['map'])) {
      for (const e of cteMap['map']) if (isObj(e) && typeof e['key'] === 'string') ctes.add(e['key'].toLowerCase());
    }
    if (v['class'] === 'FUNCTION' && typeof v['function_name'] === 'string') {
      const name = v['function_name'].toLowerCase();
      if (EXTERNAL_SCALARS.has(name)) found.push(`${name}()`);
    }
    if (v['type'] === 'TABLE_FUNCTION' && isObj(v['function']) && typeof v['function']['function_name'] === 'string') {
      const name = v['function']['function_name'].toLowerCase();
      if (!SAFE_TABLE_FUNCTIONS.has(name)) found.push(`${name}()`);
    }
    if (
      (v['type'] === 'BASE_TABLE' || v['type'] === 'SHOW_REF') &&
      typeof v['table_name'] === 'string' &&
      v['table_name'] !== ''
    ) {
      const name = v['table_name'];
      // a name DuckDB does not know is read as a file ("replacement scan": FROM 'data.csv')
      if (!knownTables.has(name.toLowerCase()) && !ctes.has(name.toLowerCase()) && /[./\\:*?]/.test(name))
        found.push(`'${name}'`);
    }
    for (const child of Object.values(v)) walk(child);
  };
  walk(node);
  // table functions can also stand in an expression (read_text('f')[1].content): any function named like one
  const names = new Set<string>();
  const functions = (v: Json): void => {
    if (Array.isArray(v)) return v.forEach(functions);
    if (!isObj(v)) return;
    if (v['class'] === 'FUNCTION' && typeof v['function_name'] === 'string')
      names.add(v['function_name'].toLowerCase());
    Object.values(v).forEach(functions);
  };
  functions(node);
  for (const n of names)
    if (/^(read_|parquet_|sniff_csv$|glob$|query$|query_table$|json_execute_serialized_sql$)/.test(n))
      found.push(`${n}()`);
  return [...new Set(found)];
};

const catalogNames = async (db: Pick<Session, 'all'>): Promise<Set<string>> =>
  new Set(
    (await db.all('SELECT table_name AS n FROM duckdb_tables() UNION ALL SELECT view_name FROM duckdb_views()')).map(
      (r) => String(r['n']).toLowerCase(),
    ),
  );

const refuseFiles = (found: string[], field: string, how: string): ValleyError =>
  new ValleyError(
    'forbidden',
    `This SQL reads outside the workspace (${found.join(', ')}); file-reading functions are off here. ${how}`,
    { field, functions: found },
  );

export interface ReadOnlyCheck {
  /** 'EXPLAIN' when the statement was EXPLAIN [ANALYZE] …, else 'SELECT'. */
  readonly type: 'SELECT' | 'EXPLAIN';
}

const EXPLAIN = /^\s*EXPLAIN(\s+ANALY[SZ]E)?(\s*\([^)]*\))?\s+/i;

/**
 * Classify a console statement without running, binding or preparing any of it: one SELECT (or EXPLAIN of one),
 * and unless `allowFiles`, nothing in it that reads files or the environment.
 */
export const checkReadOnly = async (
  db: Pick<Session, 'all'>,
  sql: string,
  options: { allowFiles: boolean; field?: string },
): Promise<ReadOnlyCheck> => {
  const field = options.field ?? 'sql';
  const explain = EXPLAIN.exec(sql);
  const statements = await serialize(db, explain ? sql.slice(explain[0].length) : sql, field);
  if (statements.length !== 1) throw parseError(`Expected one statement, found ${statements.length}`, field);
  if (!options.allowFiles) {
    const found = externalAccessIn(statements[0] ?? null, await catalogNames(db));
    if (found.length) throw refuseFiles(found, field, 'Turn on "allow file functions" to run it anyway.');
  }
  return { type: explain ? 'EXPLAIN' : 'SELECT' };
};

const FILTER_TABLE = '__valley_filter__';
const PREFIX = `SELECT 1 FROM ${FILTER_TABLE} WHERE `;

/**
 * A free-SQL filter as DuckDB parsed it, printed back by DuckDB (fully parenthesized, comments gone), or a
 * refusal: text that closes the WHERE clause (`true) --`, `true) UNION SELECT …`) does not come back as one
 * lone condition and is refused. The returned text is what every query pastes, so what was checked is what runs.
 */
export const canonicalFilter = async (
  db: Pick<Session, 'all'>,
  where: string,
  options: { allowFiles: boolean },
): Promise<string> => {
  const field = 'where';
  const notOne = () =>
    new ValleyError(
      'bad_input',
      `A SQL filter must be one condition over the trace columns (e.g. pass_rate > 0.5 AND tokens < 8000): "${where}" is not`,
      {
        field,
      },
    );
  // the text sits alone on its lines, so a trailing -- comment cannot swallow the closing parenthesis
  const wrapped = `${PREFIX}(\n${where}\n)`;
  const statements = await serialize(db, wrapped, field).catch((error: unknown) => {
    if (!(error instanceof ValleyError)) throw error;
    if (error.code === 'forbidden') throw notOne();
    throw new ValleyError('bad_input', `${notOne().message} (${error.message.replace(/^SQL syntax error: /, '')})`, {
      field,
    });
  });
  const stmt = statements[0];
  const node = stmt?.['node'];
  const loneCondition =
    statements.length === 1 &&
    isObj(node) &&
    node['type'] === 'SELECT_NODE' &&
    Array.isArray(node['modifiers']) &&
    node['modifiers'].length === 0 &&
    isObj(node['cte_map']) &&
    Array.isArray(node['cte_map']['map']) &&
    node['cte_map']['map'].length === 0 &&
    Array.isArray(node['select_list']) &&
    node['select_list'].length === 1 &&
    isObj(node['from_table']) &&
    node['from_table']['type'] === 'BASE_TABLE' &&
    node['from_table']['table_name'] === FILTER_TABLE &&
    Array.isArray(node['group_expressions']) &&
    node['group_expressions'].length === 0 &&
    node['having'] === null &&
    node['qualify'] === null &&
    node['sample'] === null &&
    isObj(node['where_clause']);
  if (!loneCondition || !stmt) throw notOne();
  if (!options.allowFiles) {
    const found = externalAccessIn(node['where_clause'] ?? null, await catalogNames(db));
    if (found.length)
      throw refuseFiles(found, field, 'Filters may name only the trace columns and the workspace tables.');
  }
  // printed by DuckDB from the same text (not from JSON that passed through JS: its uint64 positions do not survive)
  const rows = await db.all(`SELECT json_deserialize_sql(json_serialize_sql(${literal(wrapped)})) AS s`);
  const printed = String(rows[0]?.['s'] ?? '');
  if (!printed.startsWith(PREFIX)) throw notOne();
  return `(${printed.slice(PREFIX.length)})`;
};
