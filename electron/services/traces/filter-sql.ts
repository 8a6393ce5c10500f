import {
  ValleyError,
  traceFilterSchema,
  type DatasetInfo,
  type FilterClause,
  type FilterColumn,
  type TraceFilter,
} from '../../../shared/api';
import { ident, literal, type Engine } from '../engine/engine';
import { canonicalFilter } from '../engine/sql-check';
import { getDataset } from '../data/registry';
import { unfilteredRelation } from '../data/import/build';
import { READY_FOR_TRAINING_SQL } from '../curate/fitness';
import { precomputedSide, readyOnSide } from '../curate/view-side';
import { searchMatchesTable } from './search-cache';
import { searchIndexFor } from './search-index';

type Bindable = string | number | boolean;

/**
 * A user's value as a SQL literal (numbers checked finite, strings quoted). Filter values are inlined rather
 * than bound: DuckDB then plans with the real values and pushes the filters into its scans.
 */
export const sqlValue = (value: Bindable): string => {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new ValleyError('bad_input', `Not a finite number: ${value}`);
    return `${value}`;
  }
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  return literal(value);
};

const hasLikeSpecials = (text: string): boolean => /[\\%_]/.test(text);
const likePattern = (text: string): string => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
/** Case-insensitive substring; ESCAPE only when needed (plain ILIKE '%word%' takes DuckDB's fast path). */
const ilike = (col: string, text: string): string =>
  hasLikeSpecials(text)
    ? `${col} ILIKE ${sqlValue(likePattern(text))} ESCAPE '\\'`
    : `${col} ILIKE ${sqlValue(`%${text}%`)}`;

export type ColumnClause = Exclude<FilterClause, { op: 'sql' }>;

/** A column clause as SQL over `col` (the clause's column; facet-cube.ts passes a cube's value instead). */
export const clauseSql = (c: ColumnClause, col = ident(c.column)): string => {
  if (c.op === 'range') {
    const parts: string[] = [];
    if (c.min !== null) parts.push(`${col} >= ${sqlValue(c.min)}`);
    if (c.max !== null) parts.push(`${col} <= ${sqlValue(c.max)}`);
    return parts.length ? parts.join(' AND ') : 'true';
  }
  if (c.op === 'contains') return ilike(col, c.text);
  const values = c.values.filter((v): v is Bindable => v !== null);
  const parts: string[] = [];
  if (values.length) parts.push(`${col} IN (${values.map(sqlValue).join(', ')})`);
  if (values.length !== c.values.length) parts.push(`${col} IS NULL`);
  const expr = parts.length ? `(${parts.join(' OR ')})` : 'false';
  return c.negate ? `(${expr}) IS NOT TRUE` : expr;
};

/** Every search word must occur in the question or the response. */
export const searchSql = (search: string): string[] =>
  search
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => `(${ilike('question', w)} OR ${ilike('response', w)})`);

export interface PartitionDef {
  readonly name: string;
  readonly dataset: string;
  readonly filter: TraceFilter;
  readonly matchAll: boolean;
}

export const loadPartitionDef = async (engine: Engine, name: string): Promise<PartitionDef> => {
  const rows = await engine.all('SELECT name, dataset, filter, match_all FROM valley_partitions WHERE name = $name', {
    name,
  });
  const r = rows[0];
  if (!r) throw new ValleyError('not_found', `No partition named "${name}"`, { field: 'partition' });
  return {
    name,
    dataset: String(r['dataset']),
    filter: JSON.parse(String(r['filter'])) as TraceFilter,
    matchAll: r['match_all'] === true,
  };
};

/** The SQL conditions of a filter, one per clause (so facets can leave their own out). */
export interface FilterParts {
  readonly byColumn: { column: FilterColumn; sql: string }[];
  /** Search and partition conditions, which no facet owns. */
  readonly rest: string[];
  /** The relation to read: a view's side table when the conditions name no column that lives only in its files. */
  readonly relation: string;
}

/**
 * A view over Parquet files keeps every column a filter, facet or sort may name in its side table except the
 * question and the response, so a query whose conditions name neither (and hold no free SQL, which may name
 * anything) reads the side table and never joins the files (facets on a 2 GB view: 31 ms, 62–78 ms through it).
 */
const needsFiles = (f: TraceFilter, sideText?: string): boolean =>
  f.clauses.some((c) => (c.op === 'sql' ? c.where !== sideText : c.column === 'question' || c.column === 'response'));

/**
 * Free SQL a view's side table answers: the "ready for training" condition (as DuckDB prints it, so the preset's
 * partitions saved before this too), whose three parts the import computed there from the files' own texts; on the
 * side table it becomes readyOnSide, so that partition's subsets, exports and pages never read the texts. Null for
 * tables and for views imported before the side table had those columns.
 */
interface SideSql {
  readonly text: string;
  readonly onSide: string;
}
let readyText: Promise<string> | null = null;
const sideSqlOf = async (engine: Engine, d: DatasetInfo): Promise<SideSql | null> => {
  const side = await precomputedSide(engine, d);
  if (!side) return null;
  if (!readyText) {
    readyText = canonicalFilter(engine, READY_FOR_TRAINING_SQL, { allowFiles: false });
    readyText.catch(() => (readyText = null));
  }
  return { text: await readyText, onSide: readyOnSide(side) };
};
const onSideTable = (f: TraceFilter, s: SideSql): TraceFilter => ({
  ...f,
  clauses: f.clauses.map((c) => (c.op === 'sql' && c.where === s.text ? { ...c, where: s.onSide } : c)),
});

/** The relation for queries with no conditions (facet ranges and categories). */
export { unfilteredRelation };

const plainParts = (filter: TraceFilter): Omit<FilterParts, 'relation'> => ({
  byColumn: filter.clauses.flatMap((c) => (c.op === 'sql' ? [] : [{ column: c.column, sql: clauseSql(c) }])),
  // free SQL arrives here only as checkedSqlClauses printed it (one parenthesized condition)
  rest: [...filter.clauses.flatMap((c) => (c.op === 'sql' ? [c.where] : [])), ...searchSql(filter.search)],
});

const canonical = new Map<string, string>();

/**
 * Each free-SQL clause replaced by DuckDB's own printing of it (see canonicalFilter): one condition, fully
 * parenthesized, no comments, no file-reading functions unless the clause allows them. Every query pastes this
 * text, so the text that was checked is the text that runs. Checked against `relation` too (names, types).
 */
const checkedSqlClauses = async (
  engine: Engine,
  relation: string,
  filter: TraceFilter,
  sideText?: string,
): Promise<TraceFilter> => {
  if (!filter.clauses.some((c) => c.op === 'sql')) return filter;
  const s = await engine.session();
  try {
    const clauses: FilterClause[] = [];
    for (const c of filter.clauses) {
      if (c.op !== 'sql') {
        clauses.push(c);
        continue;
      }
      const key = `${relation}\u0000${c.allowFiles === true ? 1 : 0}\u0000${c.where}`;
      let where = canonical.get(key);
      if (where === undefined) {
        where = await canonicalFilter(s, c.where, { allowFiles: c.allowFiles === true });
        try {
          // Valley's own condition that the side table answers is not bound to the view (its files may be away)
          if (where !== sideText) await s.all(`EXPLAIN SELECT count(*) FROM ${ident(relation)} WHERE ${where}`);
        } catch (error) {
          throw new ValleyError(
            'bad_input',
            `Bad SQL filter: ${error instanceof Error ? error.message : String(error)}`,
            { field: 'where' },
          );
        }
        if (canonical.size > 500) canonical.clear();
        canonical.set(key, where);
      }
      clauses.push({ ...c, where });
    }
    return { ...filter, clauses };
  } finally {
    s.close();
  }
};

export const partitionSql = (def: PartitionDef): string => {
  const own = plainParts({ ...def.filter, partition: null }); // its SQL clauses checked by loadPartitionDef
  const conds = [...own.byColumn.map((b) => b.sql), ...own.rest];
  const base = def.matchAll ? (conds.length ? conds.join(' AND ') : 'true') : 'false';
  const name = sqlValue(def.name);
  return (
    `((${base}) OR row_id IN (SELECT row_id FROM valley_partition_marks WHERE partition = ${name} AND mark = 'include'))` +
    ` AND row_id NOT IN (SELECT row_id FROM valley_partition_marks WHERE partition = ${name} AND mark = 'exclude')`
  );
};

export const filterParts = async (
  engine: Engine,
  dataset: DatasetInfo,
  filterIn: TraceFilter,
): Promise<FilterParts> => {
  const side = await sideSqlOf(engine, dataset);
  const filter = await checkedSqlClauses(engine, dataset.relation, filterIn, side?.text);
  let def: PartitionDef | null = null;
  if (filter.partition !== null) {
    const saved = await loadPartitionDef(engine, filter.partition);
    def = {
      ...saved,
      filter: await checkedSqlClauses(engine, dataset.relation, traceFilterSchema.parse(saved.filter), side?.text),
    };
    if (def.dataset !== dataset.name) {
      throw new ValleyError(
        'bad_input',
        `Partition "${def.name}" belongs to dataset "${def.dataset}", not "${dataset.name}"`,
        { field: 'filter.partition' },
      );
    }
  }
  const onSide = !(def ? [filter, def.filter] : [filter]).some((f) => needsFiles(f, side?.text));
  const relation = onSide ? unfilteredRelation(dataset) : dataset.relation;
  const here = (f: TraceFilter) => (onSide && side ? onSideTable(f, side) : f);
  const plain = plainParts({ ...here(filter), search: '' });
  const rest = [...plain.rest];
  if (filter.search.trim()) {
    const matches = await searchMatchesTable(
      engine,
      dataset.relation,
      `${dataset.rows}|${dataset.createdAt}`,
      filter.search,
      async () =>
        (await searchIndexFor(engine).matchesSql(dataset, filter.search, (word) => searchSql(word).join(' AND '))) ??
        `SELECT row_id FROM ${ident(dataset.relation)} WHERE ${searchSql(filter.search).join(' AND ')}`,
    );
    rest.push(`row_id IN (SELECT row_id FROM ${matches})`);
  }
  if (def) rest.push(partitionSql({ ...def, filter: here(def.filter) }));
  return { byColumn: plain.byColumn, rest, relation };
};

export const whereOf = (parts: FilterParts, exceptColumn?: FilterColumn): string => {
  const conds = [...parts.byColumn.filter((b) => b.column !== exceptColumn).map((b) => b.sql), ...parts.rest];
  return conds.length ? conds.map((c) => `(${c})`).join(' AND ') : 'true';
};

/** A filter as one WHERE expression for `dataset`. */
export const filterWhere = async (engine: Engine, dataset: DatasetInfo, filter: TraceFilter): Promise<string> =>
  whereOf(await filterParts(engine, dataset, filter));

export const traceDataset = async (
  engine: Engine,
  name: string,
  kind: DatasetInfo['kind'] = 'traces',
): Promise<DatasetInfo> => {
  const d = await getDataset(engine, name);
  if (!d) throw new ValleyError('not_found', `No dataset named "${name}"`, { field: 'dataset' });
  if (d.kind !== kind) {
    throw new ValleyError('bad_input', `Dataset "${name}" holds ${d.kind} rows, not ${kind}`, { field: 'dataset' });
  }
  return d;
};
