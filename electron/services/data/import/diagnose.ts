import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { Decompress } from 'fzstd';
import type { BadLine } from '../../../../shared/api';
import { MAX_RECORD_BYTES } from './files';

/**
 * A line-by-line reader for JSON Lines files (plain, .gz, .zst) that says exactly what is wrong and
 * where: DuckDB's reader is fast but reports problems approximately. It runs only when an import failed,
 * when bad lines are to be skipped (writing the good ones to a clean copy), or to map a record to its line.
 */
export interface ScanOptions {
  /** Expected JSON type per top-level field, as DuckDB detected it (BIGINT, VARCHAR, STRUCT(...), …). */
  readonly expected?: ReadonlyMap<string, string>;
  /** Stop after this many problems (the count goes on). */
  readonly maxProblems?: number;
  /** Stop after the first problem (diagnosing a failed import). */
  readonly stopAtFirst?: boolean;
  /** Write every good line here (skip mode). */
  readonly cleanOut?: string;
  /** Stop at the first record whose `field`, as trimmed text, is `value`; `located` then names its line. */
  readonly findValue?: { field: string; value: string };
  readonly signal?: AbortSignal;
  readonly onBytes?: (bytes: number) => void;
}

export interface ScanResult {
  readonly lines: number;
  readonly records: number;
  readonly problems: BadLine[];
  readonly problemCount: number;
  readonly located: { line: number } | null;
}

/** Index of the first byte that breaks UTF-8, or -1. */
export const invalidUtf8At = (b: Uint8Array): number => {
  let i = 0;
  while (i < b.length) {
    const c = b[i] as number;
    const need = c < 0x80 ? 0 : c >= 0xc2 && c < 0xe0 ? 1 : c >= 0xe0 && c < 0xf0 ? 2 : c >= 0xf0 && c < 0xf5 ? 3 : -1;
    if (need < 0 || i + need >= b.length + (need === 0 ? 1 : 0)) return i;
    for (let k = 1; k <= need; k++) if (((b[i + k] as number) & 0xc0) !== 0x80) return i;
    i += need + 1;
  }
  return -1;
};

const jsonType = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'object' ? 'object' : typeof v;

const fits = (duck: string, v: unknown): boolean => {
  if (v === null || v === undefined) return true;
  const t = duck.toUpperCase();
  if (/^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UBIGINT|UINTEGER)/.test(t)) return Number.isInteger(v);
  if (/^(DOUBLE|FLOAT|DECIMAL)/.test(t)) return typeof v === 'number';
  if (t === 'BOOLEAN') return typeof v === 'boolean';
  if (t.endsWith('[]')) return Array.isArray(v);
  if (t.startsWith('STRUCT') || t.startsWith('MAP')) return jsonType(v) === 'object';
  return true;
};

const describe = (v: unknown) => {
  const text = JSON.stringify(v) ?? String(v);
  return `${jsonType(v)} ${text.length > 40 ? `${text.slice(0, 40)}…` : text}`;
};

/** What is wrong with one line (null: nothing). */
export const checkLine = (buf: Buffer, expected?: ReadonlyMap<string, string>, bytes = buf.length): string | null => {
  if (bytes > MAX_RECORD_BYTES) {
    return `the line is ${(bytes / 2 ** 20).toFixed(1)} MB, longer than the ${MAX_RECORD_BYTES / 2 ** 20} MB limit for one record (is this one JSON document rather than JSON Lines?)`;
  }
  const bad = invalidUtf8At(buf);
  if (bad >= 0) return `invalid UTF-8 (byte 0x${(buf[bad] ?? 0).toString(16)} at byte ${bad + 1} of the line)`;
  let value: unknown;
  try {
    value = JSON.parse(buf.toString('utf8'));
  } catch (error) {
    return `malformed JSON: ${(error as Error).message}`;
  }
  if (jsonType(value) !== 'object') return `expected a JSON object, found ${describe(value)}`;
  if (expected) {
    for (const [field, type] of expected) {
      const v = (value as Record<string, unknown>)[field];
      if (!fits(type, v)) return `$.${field}: expected ${type}, found ${describe(v)}`;
    }
  }
  return null;
};

const holds = (line: Buffer, field: string, value: string): boolean => {
  const v = (JSON.parse(line.toString('utf8')) as Record<string, unknown>)[field];
  if (v === null || v === undefined) return false;
  return (typeof v === 'string' ? v : JSON.stringify(v)).trim() === value.trim();
};

const isBlank = (buf: Buffer) => buf.every((b) => b === 0x20 || b === 0x09 || b === 0x0d);

export const decompressed = (file: string, onBytes?: (n: number) => void): AsyncIterable<Buffer> => {
  const raw = createReadStream(file, { highWaterMark: 1 << 20 });
  if (onBytes) raw.on('data', (chunk) => onBytes(chunk.length));
  if (/\.gz$/i.test(file)) return raw.pipe(createGunzip());
  if (!/\.zst$/i.test(file)) return raw;
  return (async function* () {
    const out: Buffer[] = [];
    let ended = false;
    const z = new Decompress((chunk, final) => {
      out.push(Buffer.from(chunk));
      if (final) ended = true;
    });
    for await (const chunk of raw) {
      z.push(new Uint8Array(chunk as Buffer));
      yield* out.splice(0);
    }
    if (!ended) {
      try {
        z.push(new Uint8Array(0), true);
      } catch {
        throw new Error('unexpected end of file: the .zst data is truncated');
      }
    }
    yield* out.splice(0);
  })();
};

export const scanJsonLines = async (file: string, options: ScanOptions = {}): Promise<ScanResult> => {
  const max = options.maxProblems ?? 10;
  const problems: BadLine[] = [];
  let problemCount = 0;
  let lines = 0;
  let records = 0;
  let located: { line: number } | null = null;
  let out: WriteStream | null = options.cleanOut ? createWriteStream(options.cleanOut) : null;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let stop = false;
  const handle = (line: Buffer, bytes: number) => {
    lines++;
    if (bytes <= MAX_RECORD_BYTES && isBlank(line)) return;
    const problem = checkLine(line, options.expected, bytes);
    if (problem) {
      problemCount++;
      if (problems.length < max) problems.push({ file, line: lines, problem });
      if (options.stopAtFirst) stop = true;
      return;
    }
    if (options.findValue && holds(line, options.findValue.field, options.findValue.value)) {
      located = { line: lines };
      stop = true;
    }
    records++;
    if (out) {
      out.write(line);
      out.write('\n');
    }
  };
  try {
    for await (const chunk of decompressed(file, options.onBytes)) {
      if (options.signal?.aborted) break;
      let start = 0;
      for (let nl = chunk.indexOf(10, start); nl >= 0 && !stop; nl = chunk.indexOf(10, start)) {
        const bytes = pendingBytes + nl - start;
        if (bytes <= MAX_RECORD_BYTES) pending.push(chunk.subarray(start, nl));
        handle(pending.length === 1 ? (pending[0] as Buffer) : Buffer.concat(pending), bytes);
        pending = [];
        pendingBytes = 0;
        start = nl + 1;
      }
      if (stop) break;
      if (start < chunk.length) {
        pendingBytes += chunk.length - start;
        // an overlong line is only measured, never held in memory
        if (pendingBytes <= MAX_RECORD_BYTES) pending.push(Buffer.from(chunk.subarray(start)));
        else pending = [];
      }
    }
    if (!stop && pendingBytes > 0) handle(Buffer.concat(pending), pendingBytes);
  } catch (error) {
    problemCount++;
    problems.push({
      file,
      line: lines + 1,
      problem: `the file cannot be read past line ${lines}: ${(error as Error).message}${
        /\.(gz|zst)$/i.test(file) ? ' (is the compressed file truncated?)' : ''
      }`,
    });
  } finally {
    if (out) {
      const o = out;
      out = null;
      await new Promise<void>((resolve, reject) => o.end((e?: Error | null) => (e ? reject(e) : resolve())));
    }
  }
  return { lines, records, problems, problemCount, located };
};
