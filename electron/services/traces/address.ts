import type { DatasetInfo } from '../../../shared/api';
import { ident, literal, type Engine, type Row } from '../engine/engine';
import { sideTableFor } from '../data/import/build';
import { roleExpr, virtualColumns, type Roles, type SourceColumn } from '../data/import/normalize';

/**
 * A trace of a view over Parquet files, read by its address. The side table knows each row's file
 * (`_file_idx`, 1-based into the dataset's sources) and row in that file (`_file_row`); the long texts are then read
 * with `read_parquet(that file, file_row_number = true) WHERE file_row_number = k`, which DuckDB (1.5) pushes into the
 * scan and answers from the one row group holding the row (checked with EXPLAIN ANALYZE: one file, filter in the
 * scan; 13 ms against 1.3 s for a scan of the same 300 MB file). Going through the view instead made every branch of
 * its UNION ALL join its file to the side table: seconds and gigabytes for one trace.
 */
const fileColumns = new Map<string, Promise<SourceColumn[]>>();

/** A file's columns (what the import's role expressions were written against), read once from its footer. */
export const columnsOfFile = (engine: Engine, path: string): Promise<SourceColumn[]> => {
  let cols = fileColumns.get(path);
  if (!cols) {
    cols = engine
      .all(`DESCRIBE SELECT * FROM read_parquet(${literal(path)})`)
      .then((rows) =>
        rows
          .map((r) => ({ name: String(r['column_name']), type: String(r['column_type']) }))
          .filter((c) => !virtualColumns.has(c.name)),
      );
    fileColumns.set(path, cols);
    cols.catch(() => fileColumns.delete(path));
  }
  return cols;
};

const warmed = new WeakMap<Engine, Set<string>>();
/**
 * After a dataset's first trace, the other files' columns are read in the background, one footer after another, so
 * a trace from another file does not wait for its file's DESCRIBE (2–18 ms at 1M in 50 files, load ~5).
 */
const warmColumns = (engine: Engine, d: DatasetInfo): void => {
  const seen = warmed.get(engine) ?? new Set<string>();
  warmed.set(engine, seen);
  if (seen.has(d.relation)) return;
  seen.add(d.relation);
  void (async () => {
    for (const file of d.sources) await columnsOfFile(engine, file).catch(() => undefined);
  })();
};

export interface TraceAddress {
  readonly file: string;
  readonly fileRow: number;
}

/** Where row `rowId` of a view lives, with the side table's columns for it; null when there is no such row. */
export const addressOf = async (
  engine: Engine,
  d: DatasetInfo,
  rowId: number,
  columns: string,
): Promise<{ address: TraceAddress; side: Row } | null> => {
  const rows = await engine.all(
    `SELECT ${columns}, _file_idx, _file_row, question_fill FROM ${ident(sideTableFor(d.relation))} WHERE row_id = ${Math.trunc(rowId)}`,
  );
  const side = rows[0];
  if (!side) return null;
  const file = d.sources[Number(side['_file_idx']) - 1];
  if (file === undefined) return null;
  return { address: { file, fileRow: Number(side['_file_row']) }, side };
};

/** The question and response of the row at `address`, with the view's own expressions (the side table's question fill first). */
export const textsAt = async (
  engine: Engine,
  d: DatasetInfo,
  address: TraceAddress,
  questionFill: string | null,
): Promise<{ question: string | null; response: string | null }> => {
  const columns = await columnsOfFile(engine, address.file);
  warmColumns(engine, d);
  const roles = d.roles as Roles;
  const ref = (c: string) => `p.${ident(c)}`;
  const question = questionFill !== null ? literal(questionFill) : roleExpr('question', roles, columns, ref);
  const response = roleExpr('response', roles, columns, ref);
  const rows = await engine.all(
    `SELECT ${question} AS question, ${response} AS response
       FROM read_parquet(${literal(address.file)}, file_row_number = true) p WHERE p.file_row_number = ${Math.trunc(address.fileRow)}`,
  );
  const r = rows[0];
  return {
    question: r ? (r['question'] as string | null) : null,
    response: r ? (r['response'] as string | null) : null,
  };
};
