import {
  ValleyError,
  type DatasetInfo,
  type Mark,
  type TraceCursor,
  type TraceDetail,
  type TraceFilter,
  type TraceRow,
  type TraceSort,
} from '../../../shared/api';
import { columnsOf, ident, type Cell, type Engine, type Row, type Session } from '../engine/engine';
import { filterParts, filterWhere, sqlValue, traceDataset, unfilteredRelation, whereOf } from './filter-sql';
import { orderIndexFor } from './order-index';
import { addressOf, textsAt } from './address';
import { siblingsOf } from './question-index';
import { QUESTION_PREVIEW_CHARS } from '../data/import/build';

const rowColumns = (question: string) =>
  `row_id, id, question_id, ${question} AS question, correct, pass_rate, difficulty, source, think_close, response_chars, tokens`;
const ROW_COLUMNS = rowColumns(`left(question, ${QUESTION_PREVIEW_CHARS})`);
/** What a trace's detail shows: not the source's other columns, which a view would read from the files. */
const DETAIL_COLUMNS = `row_id, id, question_id, question, response, correct, pass_rate, difficulty, source, split,
  think_open, think_close, think_chars, answer_chars, response_chars, tokens, final_code`;
const SIDE_DETAIL_COLUMNS = DETAIL_COLUMNS.replace(' question, response,', '');
const UNSORTABLE = new Set(['question', 'response']);

const str = (v: Cell | undefined): string | null => (v === null || v === undefined ? null : String(v));
const num = (v: Cell | undefined): number | null => (v === null || v === undefined ? null : Number(v));
const bool = (v: Cell | undefined): boolean | null => (v === null || v === undefined ? null : v === true);
const key = (v: Cell | undefined): string | number | boolean | null =>
  v === null || v === undefined ? null : typeof v === 'object' ? JSON.stringify(v) : v;

const toRow = (r: Row, marks: Map<number, Mark>): TraceRow => {
  const rowId = Number(r['row_id']);
  return {
    rowId,
    id: str(r['id']),
    questionId: str(r['question_id']),
    question: String(r['question'] ?? ''),
    correct: bool(r['correct']),
    passRate: num(r['pass_rate']),
    difficulty: str(r['difficulty']),
    source: str(r['source']),
    thinkClose: bool(r['think_close']),
    responseChars: num(r['response_chars']),
    tokens: num(r['tokens']),
    sortKey: key(r['sort_key']),
    mark: marks.get(rowId) ?? null,
  };
};

const checkSort = (sort: TraceSort): string => {
  if (UNSORTABLE.has(sort.column)) {
    throw new ValleyError('bad_input', `Cannot sort by ${sort.column} (long text); sort by another column`, {
      field: 'sort.column',
    });
  }
  return ident(sort.column);
};

const orderBy = (col: string, desc: boolean): string =>
  desc ? `${col} DESC NULLS LAST, row_id DESC` : `${col} ASC NULLS LAST, row_id ASC`;

export const marksFor = async (
  engine: Engine,
  partition: string | null,
  rowIds: number[],
): Promise<Map<number, Mark>> => {
  const out = new Map<number, Mark>();
  if (!partition || rowIds.length === 0) return out;
  const rows = await engine.all(
    `SELECT row_id, mark FROM valley_partition_marks
      WHERE partition = $p AND row_id IN (SELECT unnest(from_json($ids, '["BIGINT"]')))`,
    { p: partition, ids: JSON.stringify(rowIds) },
  );
  for (const r of rows) out.set(Number(r['row_id']), r['mark'] as Mark);
  return out;
};

export interface PageRequest {
  dataset: string;
  filter: TraceFilter;
  sort: TraceSort;
  limit: number;
  marksOf: string | null;
}

/** Keyset paging: rows strictly after (or before) the cursor in (sort column, row_id) order. */
export const tracePage = async (
  engine: Engine,
  req: PageRequest & { cursor: TraceCursor | null; backward: boolean },
): Promise<{ rows: TraceRow[]; nextCursor: TraceCursor | null }> => {
  const d = await traceDataset(engine, req.dataset);
  const col = checkSort(req.sort);
  const where = [await filterWhere(engine, d, req.filter)];
  // walking backward is walking forward in the reversed order
  const desc = req.sort.desc !== req.backward;
  if (req.cursor) {
    const r = sqlValue(req.cursor.rowId);
    const cmp = desc ? '<' : '>';
    if (req.cursor.key === null) {
      where.push(
        req.backward ? `(${col} IS NOT NULL OR row_id ${cmp} ${r})` : `(${col} IS NULL AND row_id ${cmp} ${r})`,
      );
    } else {
      const k = sqlValue(req.cursor.key);
      const after = `(${col} ${cmp} ${k} OR (${col} = ${k} AND row_id ${cmp} ${r}))`;
      where.push(req.backward ? after : `(${after} OR ${col} IS NULL)`);
    }
  }
  const order = req.backward
    ? `${col} ${desc ? 'DESC' : 'ASC'} NULLS FIRST, row_id ${desc ? 'DESC' : 'ASC'}`
    : orderBy(col, desc);
  const rows = await engine.all(
    `SELECT ${ROW_COLUMNS}, ${col} AS sort_key FROM ${ident(d.relation)} WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT ${req.limit}`,
  );
  if (req.backward) rows.reverse();
  const marks = await marksFor(
    engine,
    req.marksOf,
    rows.map((r) => Number(r['row_id'])),
  );
  const out = rows.map((r) => toRow(r, marks));
  const last = req.backward ? out[0] : out[out.length - 1];
  const nextCursor = out.length === req.limit && last ? { key: last.sortKey, rowId: last.rowId } : null;
  return { rows: out, nextCursor };
};

const tableColumns = new Map<string, Promise<Set<string>>>();

/**
 * Where a page's rows come from: the table (or a view's side table) with the question's stored preview, so a
 * page reads short strings and a view's page never opens its files; the relation itself, cutting the question,
 * for datasets written before previews were stored (and the demo's).
 */
const pageSource = async (
  s: Pick<Session, 'all'>,
  d: DatasetInfo,
  sortColumn: string,
): Promise<{ relation: string; columns: string }> => {
  const table = unfilteredRelation(d);
  const key = `${table}|${d.createdAt}`;
  let cols = tableColumns.get(key);
  if (!cols) {
    cols = columnsOf(s, table);
    tableColumns.set(key, cols);
  }
  const have = await cols;
  return have.has('question_preview') && have.has(sortColumn)
    ? { relation: table, columns: rowColumns('question_preview') }
    : { relation: d.relation, columns: ROW_COLUMNS };
};

/**
 * The rows with these ids, in this order. The ids go into the SQL as constants (a range and a list), not as a
 * join with the order index, so DuckDB prunes the scan to the row groups holding the page.
 */
const rowsById = async (
  s: Session,
  from: { relation: string; columns: string },
  col: string,
  ids: number[],
): Promise<Row[]> => {
  if (ids.length === 0) return [];
  const list = ids.map((id) => String(Math.trunc(id))).join(', ');
  const rows = await s.all(
    `SELECT ${from.columns}, ${col} AS sort_key FROM ${ident(from.relation)}
      WHERE row_id BETWEEN ${Math.min(...ids)} AND ${Math.max(...ids)} AND list_contains([${list}], row_id)`,
  );
  const byId = new Map(rows.map((r) => [Number(r['row_id']), r]));
  return ids.flatMap((id): Row[] => {
    const r = byId.get(id);
    return r ? [r] : [];
  });
};

/** Windows this close to the top of an order not yet indexed are read directly (LIMIT/OFFSET, a top-N sort). */
const DIRECT_WINDOW_ROWS = 2000;

/**
 * Rows at [start, start+limit) and the total, without the order index: a filtered top-N over the page source and
 * a count, side by side (at 1M rows ~10–30 ms, where building the index is ~150 ms).
 */
const directWindow = async (
  engine: Engine,
  d: DatasetInfo,
  req: PageRequest & { start: number },
  col: string,
): Promise<{ rows: Row[]; total: number }> => {
  const parts = await filterParts(engine, d, req.filter);
  const where = whereOf(parts);
  const from =
    parts.relation === unfilteredRelation(d)
      ? await pageSource(engine, d, req.sort.column)
      : { relation: parts.relation, columns: ROW_COLUMNS };
  const [rows, count] = await Promise.all([
    engine.all(
      `SELECT ${from.columns}, ${col} AS sort_key FROM ${ident(from.relation)} WHERE ${where}
        ORDER BY ${orderBy(col, req.sort.desc)} LIMIT ${Math.trunc(req.limit)} OFFSET ${Math.trunc(req.start)}`,
    ),
    engine.all(`SELECT count(*) AS n FROM ${ident(parts.relation)} WHERE ${where}`),
  ]);
  return { rows, total: Number(count[0]?.['n'] ?? 0) };
};

const indexKey = (d: DatasetInfo, req: PageRequest): string =>
  JSON.stringify([d.relation, d.rows, d.createdAt, req.filter, req.sort.column, req.sort.desc]);

/** Rows at positions [start, start+limit) of the filtered, sorted order (virtual table), plus the total. */
export const traceWindow = async (
  engine: Engine,
  req: PageRequest & { start: number },
): Promise<{ rows: TraceRow[]; total: number; start: number }> => {
  const d = await traceDataset(engine, req.dataset);
  const col = checkSort(req.sort);
  const index = orderIndexFor(engine);
  const key = indexKey(d, req);
  const build = async () => {
    const parts = await filterParts(engine, d, req.filter);
    return {
      sql: `SELECT row_id, (row_number() OVER (ORDER BY ${orderBy(col, req.sort.desc)}) - 1)::BIGINT AS pos
              FROM ${ident(parts.relation)} WHERE ${whereOf(parts)} ORDER BY pos`,
    };
  };
  if (!index.has(key) && req.start + req.limit <= DIRECT_WINDOW_ROWS) {
    // a new filter or sort: the first rows straight from the relation (a top-N), the order index built after them
    // (started before, its sort of every matching row took the cores the first page needed)
    const direct = await directWindow(engine, d, req, col);
    const marks = await marksFor(
      engine,
      req.marksOf,
      direct.rows.map((r) => Number(r['row_id'])),
    );
    index.prepare(key, build);
    return { rows: direct.rows.map((r) => toRow(r, marks)), total: direct.total, start: req.start };
  }
  const { rows, total } = await index.use(key, build, async (s, table, n) => {
    const ids = await s.all(`SELECT row_id FROM ${table} WHERE pos >= $a AND pos < $b ORDER BY pos`, {
      a: req.start,
      b: req.start + req.limit,
    });
    const from = await pageSource(s, d, req.sort.column);
    return {
      total: n,
      rows: await rowsById(
        s,
        from,
        col,
        ids.map((r) => Number(r['row_id'])),
      ),
    };
  });
  const marks = await marksFor(
    engine,
    req.marksOf,
    rows.map((r) => Number(r['row_id'])),
  );
  return { rows: rows.map((r) => toRow(r, marks)), total, start: req.start };
};

export const traceCount = async (
  engine: Engine,
  dataset: string,
  filter: TraceFilter,
): Promise<{ total: number; of: number }> => {
  const d = await traceDataset(engine, dataset);
  const parts = await filterParts(engine, d, filter);
  const rows = await engine.all(
    `SELECT count(*) FILTER (WHERE ${whereOf(parts)}) AS total, count(*) AS n FROM ${ident(parts.relation)}`,
  );
  return { total: Number(rows[0]?.['total'] ?? 0), of: Number(rows[0]?.['n'] ?? 0) };
};

/**
 * A view's trace: its side-table columns with its address (file, row in file), then side by side the texts from one
 * row group of one file (see address.ts) and the question's other traces (question-index.ts). One query for the
 * side table's row: at 1M traces, reading its address first and its other columns beside the texts was slower under
 * load (four round trips to the engine where three do).
 */
const viewDetail = async (
  engine: Engine,
  d: DatasetInfo,
  rowId: number,
): Promise<{ r: Row; siblings: Row[] } | undefined> => {
  const found = await addressOf(engine, d, rowId, SIDE_DETAIL_COLUMNS);
  if (!found) return undefined;
  const fill = found.side['question_fill'];
  const [texts, siblings] = await Promise.all([
    textsAt(engine, d, found.address, fill === null || fill === undefined ? null : String(fill)),
    siblingsOf(engine, d, str(found.side['question_id']), rowId),
  ]);
  return { r: { ...found.side, ...texts }, siblings };
};

const tableDetail = async (
  engine: Engine,
  d: DatasetInfo,
  rowId: number,
): Promise<{ r: Row; siblings: Row[] } | undefined> => {
  const r = (
    await engine.all(`SELECT ${DETAIL_COLUMNS} FROM ${ident(d.relation)} WHERE row_id = ${Math.trunc(rowId)}`)
  )[0];
  return r && { r, siblings: await siblingsOf(engine, d, str(r['question_id']), rowId) };
};

export const traceGet = async (engine: Engine, dataset: string, rowId: number): Promise<TraceDetail> => {
  const d = await traceDataset(engine, dataset);
  const found = d.storage === 'view' ? await viewDetail(engine, d, rowId) : await tableDetail(engine, d, rowId);
  if (!found) throw new ValleyError('not_found', `Dataset "${dataset}" has no row ${rowId}`, { field: 'rowId' });
  const { r, siblings } = found;
  return {
    rowId,
    id: str(r['id']),
    questionId: str(r['question_id']),
    question: String(r['question'] ?? ''),
    response: String(r['response'] ?? ''),
    correct: bool(r['correct']),
    passRate: num(r['pass_rate']),
    difficulty: str(r['difficulty']),
    source: str(r['source']),
    split: str(r['split']),
    thinkOpen: bool(r['think_open']),
    thinkClose: bool(r['think_close']),
    thinkChars: num(r['think_chars']),
    answerChars: num(r['answer_chars']),
    responseChars: num(r['response_chars']),
    tokens: num(r['tokens']),
    finalCode: str(r['final_code']),
    siblings: siblings.map((x) => ({ rowId: Number(x['row_id']), correct: bool(x['correct']) })),
  };
};
