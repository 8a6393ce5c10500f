import { ValleyError, type BadLine } from '../../../../shared/api';
import { BAD_VALUE } from './normalize';
import { scanJsonLines } from './diagnose';
import type { ResolvedSource } from './files';
import { diagnoseJsonArray, findRaggedCsvLine } from './text-shape';

const firstLine = (message: string) => message.split('\n')[0]?.replace(/^[A-Za-z ]+Error: /, '') ?? message;

const problemError = (p: BadLine, extra: Record<string, unknown> = {}) =>
  new ValleyError('bad_input', `${p.file}, line ${p.line}: ${p.problem}`, {
    file: p.file,
    line: p.line,
    problem: p.problem,
    ...extra,
  });

/** The first line of a JSON Lines source whose `field` holds `value` (as text) → its file and line. */
export const locateValue = async (
  src: ResolvedSource,
  field: string,
  value: string,
): Promise<{ file: string; line: number } | null> => {
  for (const f of src.files) {
    const r = await scanJsonLines(f.path, { findValue: { field, value }, maxProblems: 0 });
    if (r.located) return { file: f.path, line: r.located.line };
  }
  return null;
};

/** A value error raised inside the import query (see normalize.ts) → an error naming file, line and field. */
const badValueError = async (src: ResolvedSource, message: string): Promise<ValleyError | null> => {
  const m = new RegExp(`${BAD_VALUE}\\|([^|]*)\\|(.*)`, 's').exec(message);
  if (!m) return null;
  const [, field = '', raw = ''] = m;
  const value = raw.split('\n')[0] ?? '';
  const what = field.toLowerCase().includes('rate')
    ? 'is not a number'
    : 'is neither right nor wrong (true/false, right/wrong, correct/incorrect, pass/fail)';
  const problem = `field ${field}: "${value}" ${what}`;
  if (src.format === 'jsonl') {
    const at = await locateValue(src, field, value);
    if (at) return problemError({ file: at.file, line: at.line, problem }, { field });
  }
  const file = src.files.length === 1 ? (src.files[0]?.path ?? '') : `${src.files.length} files`;
  return new ValleyError('bad_input', `${file}: ${problem}`, { file, field, problem });
};

export const raggedError = (
  src: ResolvedSource,
  file: string,
  r: { line: number; fields: number; header: number },
): ValleyError => {
  const shown = src.originals?.[file] ?? file;
  return new ValleyError('bad_input', `${shown}, line ${r.line}: ${r.fields} fields, but the header has ${r.header}`, {
    file: shown,
    line: r.line,
    problem: `${r.fields} fields, header ${r.header}`,
  });
};

/** Messages name the file the user gave, not the copy read in its place (byte order mark removed). */
const withOriginals = (e: ValleyError, src: ResolvedSource): ValleyError => {
  const originals = Object.entries(src.originals ?? {});
  if (!originals.length) return e;
  const fix = (text: string) => originals.reduce((t, [copy, given]) => t.split(copy).join(given), text);
  const details =
    e.details && typeof e.details.file === 'string' ? { ...e.details, file: fix(e.details.file) } : e.details;
  return new ValleyError(e.code, fix(e.message), details);
};

/**
 * Turn whatever DuckDB said about a source into a ValleyError that names the file, the line (or row
 * group) and the problem. JSON Lines sources are re-read line by line to find the exact line.
 */
export const explainImportError = async (
  error: unknown,
  src: ResolvedSource,
  expected?: ReadonlyMap<string, string>,
): Promise<ValleyError> => withOriginals(await explain(error, src, expected), src);

const explain = async (
  error: unknown,
  src: ResolvedSource,
  expected?: ReadonlyMap<string, string>,
): Promise<ValleyError> => {
  if (error instanceof ValleyError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (/interrupt/i.test(message)) return new ValleyError('cancelled', 'Import cancelled');
  const bad = await badValueError(src, message);
  if (bad) return bad;
  if (src.format === 'jsonl' && src.jsonFormat === 'array') {
    for (const f of src.files) {
      const p = await diagnoseJsonArray(f.path, f.bytes);
      if (p) return problemError({ file: f.path, line: p.line, problem: p.problem }, { duckdb: firstLine(message) });
    }
  } else if (src.format === 'jsonl') {
    for (const f of src.files) {
      const r = await scanJsonLines(f.path, { expected, stopAtFirst: true, maxProblems: 1 });
      const p = r.problems[0];
      if (p) return problemError(p, { duckdb: firstLine(message) });
      if (r.records === 0) return new ValleyError('bad_input', `${f.path} holds no JSON records`, { file: f.path });
    }
  }
  if (src.format === 'csv') {
    for (const f of src.files) {
      const ragged = await findRaggedCsvLine(f.path, src.delimiter);
      if (ragged) return raggedError(src, f.path, ragged);
    }
  }
  const named = /file "([^"]+)"|file '([^']+)'/i.exec(message);
  const file = named?.[1] ?? named?.[2] ?? (src.files.length === 1 ? src.files[0]?.path : undefined) ?? '';
  const lineMatch = /line:?\s*(\d+)/i.exec(message);
  const line = lineMatch ? Number(lineMatch[1]) : undefined;
  let problem = firstLine(message);
  if (src.format === 'parquet' && /magic|too small|footer|metadata|truncat/i.test(message)) {
    problem = `not a readable Parquet file (truncated or damaged: its footer is missing) — ${problem}`;
  }
  const rowGroup = /row group (\d+)/i.exec(message)?.[1];
  const where = line !== undefined ? `, line ${line}` : rowGroup !== undefined ? `, row group ${rowGroup}` : '';
  return new ValleyError('bad_input', `${file}${where}: ${problem}`, {
    file,
    ...(line !== undefined ? { line } : {}),
    ...(rowGroup !== undefined ? { rowGroup: Number(rowGroup) } : {}),
    problem,
  });
};
