import type { DatasetInfo } from '../../../shared/api';
import { ident, literal, type Engine, type Row } from '../engine/engine';
import { unfilteredRelation } from '../data/import/build';

/**
 * A trace's siblings (the question's other traces) come from a small table of (hash of question_id, question_id,
 * row_id, correct) sorted by the hash, `dsq_<x>`: DuckDB's zone maps then skip every row group but the one or two
 * holding the question, where the side table (in file order) is scanned whole. At 1M traces (load ~5): the scan
 * 24–28 ms, the sorted table 4–9 ms; built in 1.4 s. It is built in the background with the word index
 * (search-index.ts, its first step) and dropped with the dataset (import/build.ts dropRelations); until it exists,
 * siblings are found by the scan, with the same rows.
 */
export const questionTable = (relation: string): string => relation.replace(/^ds_/, 'dsq_');

const versionOf = (d: DatasetInfo) => `${d.relation}|${d.rows}|${d.createdAt}`;
const known = new WeakMap<Engine, Set<string>>();
const builtOn = (engine: Engine): Set<string> => {
  let set = known.get(engine);
  if (!set) {
    set = new Set();
    known.set(engine, set);
  }
  return set;
};

/** The statement building `d`'s question table (run again as it is, it replaces it). */
export const questionTableSql = (d: DatasetInfo): string =>
  `CREATE OR REPLACE TABLE ${ident(questionTable(d.relation))} AS
     SELECT hash(question_id) AS qh, question_id, row_id, correct FROM ${ident(unfilteredRelation(d))}
     WHERE question_id IS NOT NULL ORDER BY qh, row_id`;

/** Called once the build has written `d`'s question table. */
export const questionTableBuilt = (engine: Engine, d: DatasetInfo): void => {
  builtOn(engine).add(versionOf(d));
};

const hasTable = async (engine: Engine, d: DatasetInfo): Promise<boolean> => {
  const set = builtOn(engine);
  if (set.has(versionOf(d))) return true;
  const rows = await engine.all(`SELECT 1 FROM duckdb_tables() WHERE table_name = $t`, {
    t: questionTable(d.relation),
  });
  if (rows.length > 0) set.add(versionOf(d));
  return rows.length > 0;
};

/** The question's other traces (at most 50, by row), from the question table when it is built. */
export const siblingsOf = async (
  engine: Engine,
  d: DatasetInfo,
  questionId: string | null,
  rowId: number,
): Promise<Row[]> => {
  if (questionId === null) return [];
  const params = { q: questionId, r: rowId };
  if (await hasTable(engine, d)) {
    return engine.all(
      `SELECT row_id, correct FROM ${ident(questionTable(d.relation))}
        WHERE qh = hash(${literal(questionId)}) AND question_id = $q AND row_id <> $r ORDER BY row_id LIMIT 50`,
      params,
    );
  }
  return engine.all(
    `SELECT row_id, correct FROM ${ident(unfilteredRelation(d))}
      WHERE question_id = $q AND row_id <> $r ORDER BY row_id LIMIT 50`,
    params,
  );
};
