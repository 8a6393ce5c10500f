import { ValleyError, type TraceRole, type Unwrap } from '../../../../shared/api';
import { falsyWords, truthyWords } from '../../../../shared/domain/presets';
import { ident, literal } from '../../engine/engine';

export interface SourceColumn {
  readonly name: string;
  readonly type: string;
}

export type Roles = Record<TraceRole, string | null>;
/** The explicit choice that turns a list-valued question/response column into text. */
export type UnwrapChoice = Partial<Record<'question' | 'response', Unwrap>>;

/** Columns of a normalized relation that importers fill from roles (the parsed ones follow). */
export const roleColumns: readonly [string, TraceRole][] = [
  ['id', 'id'],
  ['question_id', 'questionId'],
  ['question', 'question'],
  ['response', 'response'],
  ['correct', 'correct'],
  ['pass_rate', 'passRate'],
  ['difficulty', 'difficulty'],
  ['source', 'source'],
  ['split', 'split'],
];

export const parsedColumnNames = [
  'think_open',
  'think_close',
  'think_chars',
  'answer_chars',
  'response_chars',
  'final_code',
  'tokens',
] as const;

/** Columns DuckDB's readers add that are not the source's own. */
export const virtualColumns = new Set(['filename', 'file_row_number']);

/** Marker in messages raised with DuckDB's error(): the import turns it into a ValleyError naming the row. */
export const BAD_VALUE = 'valley-bad-value';

const isChat = (type: string) => /STRUCT\(.*"?role"? VARCHAR.*"?content"?/i.test(type) && type.endsWith('[]');
export const isList = (type: string) => /\[\d*\]$/.test(type.trim());
const isText = (type: string) => /^(VARCHAR|JSON|NULL)$/i.test(type.trim());
const isNumeric = (type: string) =>
  /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|U\w*INT|FLOAT|DOUBLE|DECIMAL)/i.test(type);

const words = (list: readonly string[]) => list.map(literal).join(', ');

const badValue = (field: string, raw: string) => `error(${literal(`${BAD_VALUE}|${field}|`)} || left(${raw}, 80))`;

/**
 * SQL for each role over the source columns (`ref` qualifies a column name). Values that cannot mean
 * what the role needs (a pass rate that is not a number, a judgement that is neither right nor wrong)
 * stop the import through error(), naming the field and the row.
 */
export const roleExpr = (
  role: TraceRole,
  roles: Roles,
  columns: readonly SourceColumn[],
  ref: (c: string) => string,
  unwrap: UnwrapChoice = {},
): string => {
  const name = roles[role];
  const column = columns.find((c) => c.name === name);
  if (!name || !column) {
    if (role === 'id') return 'NULL::VARCHAR'; // filled with the row id once rows are numbered
    if (role === 'questionId') {
      const q = roleExpr('question', roles, columns, ref, unwrap);
      return q === 'NULL::VARCHAR' ? 'NULL::VARCHAR' : `left(md5(${q}), 16)`;
    }
    if (role === 'correct') return 'NULL::BOOLEAN';
    if (role === 'passRate') return 'NULL::DOUBLE';
    return 'NULL::VARCHAR';
  }
  const c = ref(column.name);
  if ((role === 'question' || role === 'response') && isChat(column.type)) {
    return role === 'question'
      ? `list_filter(${c}, lambda m: m.role = 'user')[1].content::VARCHAR`
      : `list_filter(${c}, lambda m: m.role = 'assistant')[-1].content::VARCHAR`;
  }
  if ((role === 'question' || role === 'response') && isList(column.type)) {
    const how = unwrap[role];
    const text = (x: string) => `CAST(${x} AS VARCHAR)`;
    if (how === 'first') return text(`${c}[1]`);
    if (how === 'last') return text(`${c}[-1]`);
    if (how === 'join') return `array_to_string(list_transform(${c}, lambda x: ${text('x')}), chr(10) || chr(10))`;
  }
  if (role === 'correct') {
    if (/^BOOLEAN/i.test(column.type)) return c;
    const v = `lower(trim(${c}::VARCHAR))`;
    // list_contains, not IN (…): DuckDB plans an IN list of this length as a hash join against the constants,
    // which loses the scan's batch order and makes the import hold every row in memory until commit (1.7× slower)
    return `CASE WHEN ${c} IS NULL OR ${v} = '' THEN NULL WHEN list_contains([${words(truthyWords)}], ${v}) THEN true
      WHEN list_contains([${words(falsyWords)}], ${v}) THEN false ELSE ${badValue(name, `${c}::VARCHAR`)}::BOOLEAN END`;
  }
  if (role === 'passRate') {
    if (isNumeric(column.type)) return `${c}::DOUBLE`;
    const v = `trim(${c}::VARCHAR)`;
    return `CASE WHEN ${c} IS NULL OR ${v} = '' THEN NULL
      ELSE coalesce(TRY_CAST(${v} AS DOUBLE), ${badValue(name, v)}::DOUBLE) END`;
  }
  return /^VARCHAR$/i.test(column.type) ? c : `${c}::VARCHAR`;
};

/** Source columns not used by any role, kept beside the normalized ones (renamed src_x on a clash). */
export const extraColumns = (roles: Roles, columns: readonly SourceColumn[]): { name: string; as: string }[] => {
  const used = new Set(Object.values(roles).filter((v): v is string => v !== null));
  const taken = new Set<string>(['row_id', 'question_preview', ...roleColumns.map(([c]) => c), ...parsedColumnNames]);
  return columns
    .filter((c) => !used.has(c.name) && !virtualColumns.has(c.name) && !c.name.startsWith('_'))
    .map((c) => {
      let as = c.name;
      while (taken.has(as.toLowerCase())) as = `src_${as}`;
      taken.add(as.toLowerCase());
      return { name: c.name, as };
    });
};

/** The role columns as a SELECT list over `ref`-qualified source columns. */
export const roleSelect = (
  roles: Roles,
  columns: readonly SourceColumn[],
  ref: (c: string) => string,
  unwrap: UnwrapChoice = {},
): string =>
  roleColumns.map(([col, role]) => `${roleExpr(role, roles, columns, ref, unwrap)} AS ${col}`).join(',\n    ');

/**
 * The question and the response must be text. A list (TACO's `output: [str]`) is refused naming the column unless
 * the mapping says how to unwrap it; a struct, map or number is refused outright (it would be exported as its
 * SQL literal).
 */
export const checkTextRoles = (
  roles: Roles,
  columns: readonly SourceColumn[],
  unwrap: UnwrapChoice,
  file: string,
): void => {
  for (const role of ['question', 'response'] as const) {
    const column = columns.find((c) => c.name === roles[role]);
    if (!column || isText(column.type) || isChat(column.type)) continue;
    if (isList(column.type)) {
      if (unwrap[role]) continue;
      throw new ValleyError(
        'bad_input',
        `${file}: column "${column.name}" (the ${role}) holds lists (${column.type}), not text. Choose how to unwrap it ` +
          `(first element, last element, or all joined: --unwrap ${role}=first|last|join, or "list →" in the mapping), or map another column`,
        { file, field: `roles.${role}`, column: column.name, type: column.type },
      );
    }
    throw new ValleyError(
      'bad_input',
      `${file}: column "${column.name}" (the ${role}) holds ${column.type} values, not text; map a text column to the ${role}`,
      { file, field: `roles.${role}`, column: column.name, type: column.type },
    );
  }
};

export const q = ident;
