import type { DatasetInfo } from '../../../shared/api';
import { ident, literal, type Engine, type Session } from '../engine/engine';
import { sideTableFor } from '../data/import/build';
import { isList, roleExpr, type Roles } from '../data/import/normalize';
import { columnsOfFile } from '../traces/address';

/**
 * The rows an export writes: the first `size` positions of an order table (row_id, pos), in that order — stated
 * explicitly, so two exports of the same recipe write the same bytes whatever order DuckDB's threads read the
 * relation in (a view over several files reads its branches in parallel, in no fixed order).
 */
const chosen = (idsTable: string, size: number) =>
  `SELECT row_id AS _rid, pos AS _pos FROM ${idsTable} WHERE pos < ${Math.floor(size)}`;

export const subsetRows = (relation: string, idsTable: string, size: number): string =>
  `FROM ${ident(relation)} r JOIN (${chosen(idsTable, size)}) o ON r.row_id = o._rid ORDER BY o._pos`;

/**
 * The question and response of the chosen rows of a view over Parquet files, read from the files directly: the
 * chosen rows (the side table knows their file and row in file) joined to the files by (filename, file_row_number),
 * with the view's expressions for the two texts (its question fill first). Going through the view instead joins every
 * row of every file to the side table before the subset's rows are picked out. Null when a text is list-valued in a
 * file (unwrapped at import by a choice the dataset does not keep) or composed from several columns: the view then.
 * The chosen rows' addresses are first stored in a TEMP table of session `s` (the one that runs the COPY): as a CTE
 * DuckDB did not know how few they are and could build each file's hash join on the file's rows (texts and all)
 * instead of on the chosen ones — at 1M traces in 50 files the COPY of 30K rows took 16–19 s instead of 3.7–5.2 s.
 * Files with the same columns are read by one `read_parquet` of their list (as the import reads them), not one
 * branch per file: at 1M in 50 files the per-file branches cost the engine 6.7–8.7 CPU-s for 30K rows, one scan of
 * the list 3.5–4.5 CPU-s, as plain DuckDB's scan of the same files with a semi join (PERFORMANCE.md, "Export").
 */
const CHOSEN = 'valley_export_chosen';
const viewTexts = async (
  engine: Engine,
  s: Session,
  d: DatasetInfo,
  idsTable: string,
  size: number,
): Promise<string | null> => {
  const roles = d.roles as Roles;
  if (d.storage !== 'view' || roles.question === 'description') return null;
  const columnsOf = await Promise.all(d.sources.map((file) => columnsOfFile(engine, file)));
  // files with the same columns (names and types) share one read and one pair of text expressions
  const groups = new Map<string, { files: string[]; columns: (typeof columnsOf)[number] }>();
  for (const [i, file] of d.sources.entries()) {
    const columns = columnsOf[i] ?? [];
    const type = (role: 'question' | 'response') => columns.find((c) => c.name === roles[role])?.type ?? '';
    if (isList(type('question')) || isList(type('response'))) return null;
    const key = JSON.stringify(columns.map((c) => [c.name, c.type]));
    const group = groups.get(key) ?? { files: [], columns };
    group.files.push(file);
    groups.set(key, group);
  }
  const ref = (c: string) => `p.${ident(c)}`;
  const branches = [...groups.values()].map(
    ({ files, columns }) =>
      `SELECT o._pos, coalesce(o.question_fill, ${roleExpr('question', roles, columns, ref)}) AS question,
              ${roleExpr('response', roles, columns, ref)} AS response
         FROM read_parquet([${files.map(literal).join(', ')}], filename = true, file_row_number = true) p
         JOIN ${CHOSEN} o ON p.filename = o._file AND p.file_row_number = o._file_row`,
  );
  // each chosen row's file by name, as read_parquet's filename column gives it
  const names = `[${d.sources.map(literal).join(', ')}]`;
  await s.run(
    `CREATE OR REPLACE TEMP TABLE ${CHOSEN} AS SELECT ${names}[s._file_idx] AS _file, s._file_row, s.question_fill, o._pos
       FROM ${ident(sideTableFor(d.relation))} s JOIN (${chosen(idsTable, size)}) o ON s.row_id = o._rid`,
  );
  return branches.join('\nUNION ALL\n');
};

/**
 * torchtune's chat format ("openai" conversation style): the user asks the question, the assistant answers with the
 * whole trace; one JSON object per line as DuckDB's `COPY … (FORMAT JSON)` writes a `messages` column. The rows are
 * written unordered with their position first (`{"_pos":N,"messages":…}`) and put in the subset's order by
 * ordered-jsonl.ts: DuckDB's ORDER BY of multi-KB rows cost more than reading and writing them (at 200K traces, 30K
 * rows' lines from a temp table: 4.4–5.5 s sorted, 1.8 s unsorted).
 */
export const torchtuneUnordered = async (
  engine: Engine,
  s: Session,
  d: DatasetInfo,
  idsTable: string,
  size: number,
): Promise<string> => {
  const texts =
    (await viewTexts(engine, s, d, idsTable, size)) ??
    `SELECT o._pos, question, response FROM ${ident(d.relation)} r JOIN (${chosen(idsTable, size)}) o ON r.row_id = o._rid`;
  return `SELECT _pos, [{'role': 'user', 'content': coalesce(question, '')}, {'role': 'assistant', 'content': coalesce(response, '')}] AS messages
            FROM (${texts}) t`;
};

/** Every trace column but the stored question preview (a display aid; `columns` is the relation's own). */
export const parquetSelect = (relation: string, columns: ReadonlySet<string>, idsTable: string, size: number): string =>
  `SELECT r.* ${columns.has('question_preview') ? 'EXCLUDE (question_preview) ' : ''}${subsetRows(relation, idsTable, size)}`;
