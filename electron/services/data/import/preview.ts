import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { toSafeName, type SourcePreview } from '../../../../shared/api';
import { detectPreset, type PresetName } from '../../../../shared/domain/presets';
import type { Engine, Row } from '../../engine/engine';
import { literal } from '../../engine/engine';
import { readerSql, resolveSource, type ResolvedSource } from './files';
import { explainImportError, raggedError } from './errors';
import { findRaggedCsvLine, shapeJsonSource } from './text-shape';
import { virtualColumns, type SourceColumn } from './normalize';

/** Above this, a Parquet source is attached as a view instead of copied (storage 'auto'). */
export const VIEW_THRESHOLD_BYTES = 2 * 2 ** 30;

export const describeSource = async (
  engine: Pick<Engine, 'all'>,
  src: ResolvedSource,
  sample = false,
): Promise<SourceColumn[]> => {
  try {
    const rows = await engine.all(`DESCRIBE SELECT * FROM ${readerSql(src, { sample })}`);
    const columns = rows
      .map((r) => ({ name: String(r['column_name']), type: String(r['column_type']) }))
      .filter((c) => !virtualColumns.has(c.name));
    if (src.format === 'csv' && columns.length === 1) {
      // a ragged file makes DuckDB's sniffer give up on the delimiter: name the line instead
      for (const f of src.files) {
        const ragged = await findRaggedCsvLine(f.path, src.delimiter);
        if (ragged) throw raggedError(src, f.path, ragged);
      }
    }
    if (src.format === 'jsonl' && columns.length === 1 && columns[0]?.name === 'json') {
      // DuckDB falls back to one `json` column when it found no objects to learn columns from
      throw new Error('no JSON objects found');
    }
    return columns;
  } catch (error) {
    throw await explainImportError(error, src);
  }
};

export const suggestName = (path: string): string =>
  toSafeName(
    basename(path)
      .replace(/\.(gz|zst)$/i, '')
      .replace(/\.(jsonl|ndjson|json|parquet|csv|tsv|txt)$/i, '')
      .replace(/-\d{5}-of-\d{5}$/, '')
      .replace(/[^\w.-]+/g, '-'),
  );

/** A name for what the user gave: the folder or glob when it expanded to several files, else the file. */
export const defaultName = (paths: readonly string[], src: ResolvedSource): string => {
  const first = src.files[0]?.path ?? 'dataset';
  const given =
    paths.length === 1 && src.files.length > 1
      ? (paths[0] as string).replace(/\/[^/]*[*?[].*$/, '').replace(/\/+$/, '')
      : first;
  return suggestName(given.replace(/\/(data|train|test)$/i, '') || first);
};

const parquetRows = async (engine: Engine, src: ResolvedSource): Promise<number | null> => {
  if (src.format !== 'parquet') return null;
  const list = `[${src.files.map((f) => literal(f.path)).join(', ')}]`;
  const rows = await engine.all(`SELECT sum(num_rows) AS n FROM parquet_file_metadata(${list})`);
  return Number(rows[0]?.['n'] ?? 0);
};

const clip = (row: Row): Row => {
  const out: Row = {};
  for (const [k, v] of Object.entries(row)) {
    if (virtualColumns.has(k)) continue;
    out[k] = typeof v === 'string' && v.length > 2000 ? `${v.slice(0, 2000)}…` : v;
  }
  return out;
};

export const previewSource = async (
  engine: Engine,
  paths: readonly string[],
  preset: PresetName,
  rows: number,
  options: { skipBadLines?: boolean } = {},
): Promise<SourcePreview> => {
  const given = await resolveSource(engine, paths);
  const shaped = await shapeJsonSource(given, join(tmpdir(), 'valley-preview'));
  const { temp } = shaped;
  // what the import does with "skip bad lines", the preview does with DuckDB's ignore_errors: the rows around
  // a malformed JSONL line or a ragged CSV line can be looked at (and mapped) before importing without it
  const skip =
    options.skipBadLines === true &&
    ((shaped.src.format === 'jsonl' && shaped.src.jsonFormat !== 'array') || shaped.src.format === 'csv');
  const src = skip ? { ...shaped.src, readerOptions: 'ignore_errors = true' } : shaped.src;
  try {
    return await previewShaped(engine, paths, preset, rows, src);
  } finally {
    await Promise.all(temp.map((t) => rm(t, { force: true })));
  }
};

const previewShaped = async (
  engine: Engine,
  paths: readonly string[],
  preset: PresetName,
  rows: number,
  src: ResolvedSource,
): Promise<SourcePreview> => {
  const columns = await describeSource(engine, src, true);
  const detected = detectPreset(
    columns.map((c) => c.name),
    preset,
  );
  let sample: Row[] = [];
  if (rows > 0) {
    try {
      // with ignore_errors a skipped line comes back as a row of nulls: leave those out of the sample
      const skipping = src.readerOptions?.includes('ignore_errors') === true;
      const read = await engine.all(
        `SELECT * FROM ${readerSql(src, { sample: true })} LIMIT ${skipping ? rows * 2 + 20 : rows}`,
      );
      sample = read
        .filter((r) => !skipping || Object.entries(r).some(([k, v]) => v !== null && !virtualColumns.has(k)))
        .slice(0, rows)
        .map(clip);
    } catch (error) {
      throw await explainImportError(error, src);
    }
  }
  return {
    format: src.format,
    files: src.files.map((f) => ({ ...f, path: src.originals?.[f.path] ?? f.path })),
    totalBytes: src.totalBytes,
    columns,
    preset: detected.preset,
    kind: detected.kind,
    roles: detected.roles,
    sample,
    rows: await parquetRows(engine, src),
    suggestedName: defaultName(paths, {
      ...src,
      files: src.files.map((f) => ({ ...f, path: src.originals?.[f.path] ?? f.path })),
    }),
    storage: src.format === 'parquet' && src.totalBytes > VIEW_THRESHOLD_BYTES ? 'view' : 'table',
  };
};
