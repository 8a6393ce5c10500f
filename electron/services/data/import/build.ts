import { ident, literal } from '../../engine/engine';
import type { Session } from '../../engine/engine';
import type { DatasetInfo } from '../../../../shared/api';
import { readerSql, type ResolvedSource } from './files';
import {
  extraColumns,
  parsedColumnNames,
  roleColumns,
  roleExpr,
  roleSelect,
  type Roles,
  type SourceColumn,
  type UnwrapChoice,
} from './normalize';
import { parsedTraces } from './trace-sql';
import { SIDE_TEXT_COLUMNS } from '../../curate/text-keys';

/**
 * The SQL that turns a source into Valley's normalized relation, in one scan of the source:
 * roles mapped and checked, trace parts parsed, the source's other columns kept beside them.
 */
export interface BuildPlan {
  readonly src: ResolvedSource;
  readonly columns: readonly SourceColumn[];
  readonly roles: Roles;
  /** How list-valued question/response columns become text (chosen explicitly; otherwise they are refused). */
  readonly unwrap?: UnwrapChoice;
  /** The question is composed from several source columns (open-r1/codeforces). */
  readonly compose?: 'codeforces';
  readonly relation: string;
  /** Side table with the derived columns when the relation is a view over Parquet files. */
  readonly side: string;
  readonly storage: 'table' | 'view';
  readonly kind: 'traces' | 'benchmark' | 'source';
  /** Name of the table the long scan writes, committed on its own and renamed when the import finishes. */
  readonly stage: string;
}

/**
 * An import's SQL in two parts. `stage` is the one long scan, writing a fresh table under a staging name in its
 * own transaction. `finish` runs in the transaction that publishes the dataset: it renames the staging table and
 * numbers its rows. (Altering or updating a table in the transaction that bulk-wrote it makes DuckDB rewrite the
 * whole table at commit: 20–27 s on 200K traces, more than the scan itself; after a commit the same is ~30 ms.)
 */
export interface BuildSteps {
  readonly stage: string[];
  readonly finish: string[];
}

/**
 * A split named by the file or its folder (`train-00000-of-00001.parquet`, `…/test/shard.jsonl`): the last match in
 * the last two path parts, so a split word higher up the path (`/tmp/valley-test-…/`) is not taken for one.
 */
const splitFromFile = `nullif(lower(regexp_extract(regexp_extract(filename, '[^/\\\\]*[/\\\\]?[^/\\\\]*$'), '(?i)^.*(?:^|[/\\\\_.-])(train|test|valid|validation|dev)(?:[/\\\\_.-]|$)', 1)), '')`;

const needsFilename = (plan: BuildPlan) => plan.roles.split === null && plan.src.format !== 'parquet';

const reader = (plan: BuildPlan) => {
  const base = readerSql(plan.src);
  return needsFilename(plan) ? `${base.slice(0, -1)}, filename = true)` : base;
};

/**
 * Row ids: dense, 0-based, in file order, the same on every import of the same files. A single file is
 * numbered after the copy from the table's own rowid (DuckDB keeps a file's insertion order), because
 * numbering inside the scan (row_number() OVER ()) makes the whole import run on one thread. Several
 * files are read in parallel in no fixed order, so there the scan numbers them.
 */
const numberInScan = (plan: BuildPlan) => plan.src.files.length > 1;

const fillIds = (plan: BuildPlan, table: string): string[] =>
  plan.roles.id === null ? [`UPDATE ${ident(table)} SET id = row_id::VARCHAR`] : [];

/**
 * Columns filled after the scan are created empty by it: in the publishing transaction DuckDB refuses to commit
 * an ALTER TABLE that follows an UPDATE of the same table, so that transaction only renames and updates.
 */
const laterColumns = (plan: BuildPlan, numbered: boolean): string =>
  `${numbered ? '' : ', NULL::BIGINT AS row_id'}${plan.kind === 'source' ? ', NULL::BIGINT AS src_index' : ''}`;

const numberRows = (plan: BuildPlan, table: string): string[] => [
  // the scan's table was committed on its own, so its rowids are 0, 1, … in file order
  `UPDATE ${ident(table)} SET row_id = rowid`,
  ...fillIds(plan, table),
];

/** The side table of a view knows each row's (file, row in file): number by that, whatever the read order. */
const numberSideRows = (plan: BuildPlan, table: string): string[] => {
  const t = ident(table);
  return [
    `UPDATE ${t} SET row_id = w.rn FROM (SELECT _file_idx AS fi, _file_row AS fr, row_number() OVER (ORDER BY _file_idx, _file_row) - 1 AS rn FROM ${t}) w
     WHERE ${t}._file_idx = w.fi AND ${t}._file_row = w.fr`,
    ...fillIds(plan, table),
  ];
};

const col = (c: string) => ident(c);

const splitExpr = (plan: BuildPlan) =>
  plan.roles.split === null
    ? `${splitFromFile} AS split`
    : `${roleExpr('split', plan.roles, plan.columns, col, plan.unwrap)} AS split`;

const rolesWithSplit = (plan: BuildPlan) => {
  const select = roleSelect(plan.roles, plan.columns, col, plan.unwrap).replace(/[^\n]* AS split$/m, () =>
    splitExpr(plan),
  );
  return plan.compose
    ? select.replace(
        /^[^\n]* AS question(,?)$/m,
        (_m, comma: string) => `${questionExpr(plan, col)} AS question${comma}`,
      )
    : select;
};

const NL2 = 'chr(10) || chr(10)';

/**
 * An open-r1/codeforces problem as OpenCodeReasoning-2's card recipe builds its question: the description (none:
 * no question), then "Input" + input_format, "Output" + output_format, "Examples" with each example's input and
 * output, and "Note" + note, each part only when present, separated by blank lines.
 */
const codeforcesQuestion = (columns: readonly SourceColumn[], ref: (c: string) => string): string => {
  const has = (c: string) => columns.some((x) => x.name === c);
  const text = (c: string) => (has(c) ? `nullif(${ref(c)}::VARCHAR, '')` : 'NULL::VARCHAR');
  const part = (c: string, title: string) => `coalesce(${NL2} || '${title}' || ${NL2} || ${text(c)}, '')`;
  const examplesType = columns.find((c) => c.name === 'examples')?.type ?? '';
  const examples = /^STRUCT\(.*\)\[\]$/i.test(examplesType)
    ? `CASE WHEN len(coalesce(${ref('examples')}, [])) > 0 THEN ${NL2} || 'Examples' || array_to_string(list_transform(${ref('examples')},
        lambda e: ${NL2} || 'Input' || ${NL2} || coalesce(e.input::VARCHAR, '') || ${NL2} || 'Output' || ${NL2} || coalesce(e.output::VARCHAR, '')), '') ELSE '' END`
    : `''`;
  return `CASE WHEN ${text('description')} IS NULL THEN NULL ELSE ${text('description')} || ${part('input_format', 'Input')} || ${part('output_format', 'Output')}
      || ${examples} || ${part('note', 'Note')} END`;
};

const questionExpr = (plan: BuildPlan, ref: (c: string) => string): string =>
  plan.compose === 'codeforces'
    ? codeforcesQuestion(plan.columns, ref)
    : roleExpr('question', plan.roles, plan.columns, ref, plan.unwrap);

/** A source dataset's row index within its split: what OCR2's (dataset, split, index) points at. */
const sourceIndex = (plan: BuildPlan): string[] => {
  if (plan.kind !== 'source') return [];
  const t = ident(plan.relation);
  return [
    `UPDATE ${t} SET src_index = w.i FROM (SELECT row_id AS rid, row_number() OVER (PARTITION BY split ORDER BY row_id) - 1 AS i FROM ${t}) w WHERE ${t}.row_id = w.rid`,
  ];
};

/**
 * Characters of the question a trace table shows, stored at import as `question_preview`: a page sorted by a
 * scattered column then reads 100 short strings, not the vectors of 100 whole questions (36 ms → 8 ms at 200K),
 * and a view's page never opens its files. Exports leave the column out.
 */
export const QUESTION_PREVIEW_CHARS = 300;
const PREVIEW = `left(question, ${QUESTION_PREVIEW_CHARS}) AS question_preview`;

/** Statements creating the table for a copied source (JSONL, CSV, small Parquet). */
export const createTableSql = (plan: BuildPlan): BuildSteps => {
  const extras = extraColumns(plan.roles, plan.columns);
  const scan = numberInScan(plan);
  const inner = `SELECT ${scan ? '_row AS row_id, ' : ''}${rolesWithSplit(plan)}${extras.map((e) => `, ${ident(e.name)} AS ${ident(e.as)}`).join('')}
    FROM ${scan ? `(SELECT row_number() OVER () - 1 AS _row, * FROM ${reader(plan)})` : reader(plan)}`;
  const keep = [...(scan ? ['row_id'] : []), ...roleColumns.map(([c]) => c)].join(', ');
  const parsed = parsedTraces(inner, `${keep}${extras.map((e) => `, ${ident(e.as)}`).join('')}`);
  const t = ident(plan.relation);
  return {
    stage: [
      `CREATE TABLE ${ident(plan.stage)} AS SELECT ${keep}, ${parsedColumnNames.join(', ')}, ${PREVIEW}${extras.map((e) => `, ${ident(e.as)}`).join('')}${laterColumns(plan, scan)} FROM (${parsed})`,
    ],
    finish: [
      `ALTER TABLE ${ident(plan.stage)} RENAME TO ${t}`,
      ...(scan ? fillIds(plan, plan.relation) : numberRows(plan, plan.relation)),
      ...sourceIndex(plan),
    ],
  };
};

const joinKeys = (plan: BuildPlan) =>
  ['dataset', 'index'].every((k) => plan.columns.some((c) => c.name === k))
    ? ', "dataset" AS _dataset, "index" AS _index'
    : '';

/**
 * For a lazily attached Parquet source: a side table keyed by row with every stored column except the
 * large texts (question, response and the extras stay in the files; the question's first
 * QUESTION_PREVIEW_CHARS characters are kept as `question_preview`, and what sampling reads of the texts as
 * SIDE_TEXT_COLUMNS), and a view joining it to the files
 * by row in file, one branch per file. Joining on that one key lets DuckDB push the matching rows'
 * min/max row numbers into the Parquet scan, so a page of 100 rows reads one row group, not the file.
 */
export const createViewSql = (plan: BuildPlan): BuildSteps => {
  const ref = (c: string) => `p.${ident(c)}`;
  const extras = extraColumns(plan.roles, plan.columns);
  const question = questionExpr(plan, col);
  const files = `[${plan.src.files.map((f) => literal(f.path)).join(', ')}]`;
  const inner = `SELECT list_position(${files}, filename)::INTEGER AS _file_idx, file_row_number AS _file_row, ${rolesWithSplit(plan)},
      CASE WHEN ${question} = '-' THEN '-' END AS question_fill, left(${question}, ${QUESTION_PREVIEW_CHARS}) AS question_preview${joinKeys(plan)}
    FROM ${reader(plan)}`;
  const sideCols = roleColumns.map(([c]) => c).filter((c) => c !== 'question' && c !== 'response');
  const keep = [
    '_file_idx',
    '_file_row',
    ...sideCols,
    'question_fill',
    'question_preview',
    ...(joinKeys(plan) ? ['_dataset', '_index'] : []),
    ...SIDE_TEXT_COLUMNS,
  ];
  const side = `CREATE TABLE ${ident(plan.stage)} AS SELECT *, NULL::BIGINT AS row_id FROM (${parsedTraces(inner, keep.join(', '))})`;
  const select = [
    's.row_id',
    's.id',
    's.question_id',
    `coalesce(s.question_fill, ${questionExpr(plan, ref)}) AS question`,
    `${roleExpr('response', plan.roles, plan.columns, ref, plan.unwrap)} AS response`,
    ...sideCols.filter((c) => !['id', 'question_id'].includes(c)).map((c) => `s.${c}`),
    ...parsedColumnNames.map((c) => `s.${c}`),
    ...extras.map((e) => `p.${ident(e.name)} AS ${ident(e.as)}`),
  ];
  const branches = plan.src.files.map(
    (f, i) => `SELECT ${select.join(', ')}
    FROM ${ident(plan.side)} s JOIN read_parquet(${literal(f.path)}, file_row_number = true) p
      ON p.file_row_number = s._file_row WHERE s._file_idx = ${i + 1}`,
  );
  const view = `CREATE VIEW ${ident(plan.relation)} AS ${branches.join('\nUNION ALL\n')}`;
  return {
    stage: [side],
    finish: [
      `ALTER TABLE ${ident(plan.stage)} RENAME TO ${ident(plan.side)}`,
      ...numberSideRows(plan, plan.side),
      view,
    ],
  };
};

/** Drop a dataset's relations (inside the caller's transaction). */
export const dropRelations = async (s: Session, relation: string, side: string): Promise<void> => {
  const rows = await s.all(
    `SELECT table_name AS name, table_type AS type FROM information_schema.tables WHERE table_name IN ($a, $b, $c, $d, $e)`,
    // with the search index's vocabulary and postings (traces/search-index.ts) and the question table (question-index.ts)
    {
      a: relation,
      b: side,
      c: relation.replace(/^ds_/, 'dsv_'),
      d: relation.replace(/^ds_/, 'dsw_'),
      e: relation.replace(/^ds_/, 'dsq_'),
    },
  );
  for (const r of rows) {
    await s.run(`DROP ${r['type'] === 'VIEW' ? 'VIEW' : 'TABLE'} IF EXISTS ${ident(String(r['name']))}`);
  }
};

export const sideTableFor = (relation: string): string => relation.replace(/^ds_/, 'dsx_');

/** Where every row of a dataset is without its texts: a view's side table, or the table itself. */
export const unfilteredRelation = (d: DatasetInfo): string =>
  d.storage === 'view' ? sideTableFor(d.relation) : d.relation;
