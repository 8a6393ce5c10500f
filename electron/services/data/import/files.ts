import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ValleyError, type SourceFormat } from '../../../../shared/api';
import type { Engine } from '../../engine/engine';
import { literal } from '../../engine/engine';

export interface SourceFile {
  readonly path: string;
  readonly bytes: number;
}

export interface ResolvedSource {
  readonly format: SourceFormat;
  readonly files: SourceFile[];
  readonly totalBytes: number;
  /** CSV/TSV field separator. */
  readonly delimiter: string;
  /** Further reader options, e.g. CSV reject handling in skip mode. */
  readonly readerOptions?: string;
  /** JSON sources: one record per line, or one JSON array of records (a `.json` written with `to_json(lines=False)`). */
  readonly jsonFormat?: 'newline_delimited' | 'array';
  /** Read copies (a UTF-8 byte order mark removed) → the file the user gave, for messages. */
  readonly originals?: Readonly<Record<string, string>>;
}

const compressed = /\.(gz|zst)$/i;

/** Format of one file by its name (compression suffixes .gz/.zst allowed for text formats). */
export const formatOf = (path: string): SourceFormat | null => {
  const lower = path.toLowerCase();
  if (lower.endsWith('.parquet')) return 'parquet';
  const base = lower.replace(compressed, '');
  if (/\.(jsonl|ndjson|json)$/.test(base)) return 'jsonl';
  if (/\.(csv|tsv|txt)$/.test(base)) return 'csv';
  return null;
};

const isGlob = (p: string) => /[*?[]/.test(p);

const walk = async (dir: string): Promise<string[]> => {
  const out: string[] = [];
  for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.')) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walk(full)));
    else if (entry.isFile() && formatOf(full)) out.push(full);
  }
  return out;
};

/**
 * Expand what the user gave (files, folders of shards, globs) into an ordered list of files of one
 * format. Globs go through DuckDB's own `glob()`, so they mean what they mean to DuckDB's readers.
 */
export const resolveSource = async (engine: Engine, paths: readonly string[]): Promise<ResolvedSource> => {
  const found: string[] = [];
  for (const given of paths) {
    if (isGlob(given)) {
      const rows = await engine.all(`SELECT file FROM glob(${literal(resolve(given))}) ORDER BY file`);
      const files = rows.map((r) => String(r['file'])).filter((f) => formatOf(f));
      if (files.length === 0) throw new ValleyError('not_found', `No data files match ${given}`, { file: given });
      found.push(...files);
      continue;
    }
    const full = resolve(given);
    const info = await stat(full).catch(() => null);
    if (!info) throw new ValleyError('not_found', `${given} does not exist`, { file: given });
    if (info.isDirectory()) {
      const files = await walk(full);
      if (files.length === 0) {
        throw new ValleyError('not_found', `${given} holds no .jsonl, .parquet or .csv files`, { file: given });
      }
      found.push(...files);
    } else {
      if (!formatOf(full)) {
        throw new ValleyError(
          'bad_input',
          `${given}: unknown file type; Valley reads .jsonl/.json (also .gz, .zst), .parquet, .csv and .tsv`,
          { file: given },
        );
      }
      found.push(full);
    }
  }
  const unique = [...new Set(found)];
  const formats = new Set(unique.map((f) => formatOf(f)));
  if (formats.size > 1) {
    throw new ValleyError('bad_input', `Mixed file types (${[...formats].join(', ')}); import one format at a time`, {
      file: unique[0],
    });
  }
  const files = await Promise.all(unique.map(async (path) => ({ path, bytes: (await stat(path)).size })));
  const format = formatOf(unique[0] as string) as SourceFormat;
  const empty = files.find((f) => f.bytes === 0);
  if (empty)
    throw new ValleyError('bad_input', `${empty.path} is empty (0 bytes): nothing to import`, { file: empty.path });
  const delimiter = unique.every((f) => /\.tsv(\.(gz|zst))?$/i.test(f)) ? '\t' : ',';
  return { format, files, totalBytes: files.reduce((a, f) => a + f.bytes, 0), delimiter };
};

const list = (files: readonly SourceFile[]) => `[${files.map((f) => literal(f.path)).join(', ')}]`;

/** Largest single JSON record Valley reads (a longer "line" is almost always a file that is not JSON Lines). */
export const MAX_RECORD_BYTES = 32 * 2 ** 20;

/** DuckDB's own reader for the source, as a table expression. */
export const readerSql = (src: ResolvedSource, options: { sample?: boolean } = {}): string => {
  const sql = baseReaderSql(src, options);
  return src.readerOptions ? `${sql.slice(0, -1)}, ${src.readerOptions})` : sql;
};

const baseReaderSql = (src: ResolvedSource, options: { sample?: boolean }): string => {
  const files = list(src.files);
  if (src.format === 'parquet') return `read_parquet(${files}, filename = true, file_row_number = true)`;
  if (src.format === 'jsonl') {
    return `read_json(${files}, format = '${src.jsonFormat ?? 'newline_delimited'}', maximum_object_size = ${MAX_RECORD_BYTES}${
      options.sample ? ', sample_size = 2048' : ''
    })`;
  }
  return `read_csv(${files}, delim = ${literal(src.delimiter)}, header = true, quote = '"', escape = '"', strict_mode = true, max_line_size = ${MAX_RECORD_BYTES})`;
};
