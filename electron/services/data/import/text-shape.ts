import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ValleyError } from '../../../../shared/api';
import { decompressed } from './diagnose';
import type { ResolvedSource } from './files';

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** The first bytes of a (possibly compressed) text file: a UTF-8 byte order mark, and the first non-blank character. */
export const sniffStart = async (file: string): Promise<{ bom: boolean; first: string | null }> => {
  let head = Buffer.alloc(0);
  for await (const chunk of decompressed(file)) {
    head = Buffer.concat([head, chunk as Buffer]);
    if (head.length >= 4096) break;
  }
  const bom = head.subarray(0, 3).equals(BOM);
  const text = head.subarray(bom ? 3 : 0).toString('utf8');
  const m = /\S/.exec(text);
  return { bom, first: m ? m[0] : null };
};

/** A plain copy of `file` without its byte order mark (decompressed), written to `out`. */
const copyWithoutBom = async (file: string, out: string): Promise<void> => {
  const w = createWriteStream(out);
  let skipped = false;
  for await (const chunk of decompressed(file)) {
    let c = chunk as Buffer;
    if (!skipped) {
      c = c.subarray(3);
      skipped = true;
    }
    if (!w.write(c)) await new Promise<void>((done) => w.once('drain', () => done()));
  }
  await new Promise<void>((done, fail) => w.end((e?: Error | null) => (e ? fail(e) : done())));
};

/**
 * JSON sources as they come: one record per line or one JSON array (`.json` from `to_json(lines=False)`, as TACO's
 * generation example), with or without a UTF-8 byte order mark (DuckDB refuses one), LF or CRLF (DuckDB reads
 * both). Files with a mark are read from a copy without it in `tmpDir`; `temp` lists the copies to delete.
 */
export const shapeJsonSource = async (
  src: ResolvedSource,
  tmpDir: string,
): Promise<{ src: ResolvedSource; temp: string[] }> => {
  if (src.format !== 'jsonl') return { src, temp: [] };
  const temp: string[] = [];
  const originals: Record<string, string> = {};
  const files = [];
  let format: 'newline_delimited' | 'array' | null = null;
  let formatFile = '';
  try {
    for (const f of src.files) {
      const { bom, first } = await sniffStart(f.path);
      const mine = first === '[' ? 'array' : 'newline_delimited';
      if (format !== null && mine !== format) {
        throw new ValleyError(
          'bad_input',
          `${f.path}, line 1: ${mine === 'array' ? 'a JSON array' : 'JSON Lines'}, while ${formatFile} is ${format === 'array' ? 'a JSON array' : 'JSON Lines'}; import them separately`,
          { file: f.path, line: 1 },
        );
      }
      format = mine;
      formatFile = f.path;
      if (!bom) {
        files.push(f);
        continue;
      }
      await mkdir(tmpDir, { recursive: true });
      const out = join(tmpDir, `import-${randomUUID()}.${mine === 'array' ? 'json' : 'jsonl'}`);
      temp.push(out);
      await copyWithoutBom(f.path, out);
      originals[out] = f.path;
      files.push({ path: out, bytes: f.bytes });
    }
  } catch (error) {
    await Promise.all(temp.map((t) => rm(t, { force: true })));
    throw error;
  }
  return { src: { ...src, files, jsonFormat: format ?? 'newline_delimited', originals }, temp };
};

/** Line (1-based) and column of a character offset. */
const lineOf = (text: string, offset: number) => {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
};

/** Largest JSON array file parsed in memory to say where it is broken. */
const MAX_ARRAY_DIAGNOSE_BYTES = 512 * 2 ** 20;

/** What is wrong with a JSON array file, with its line (null when nothing is found). */
export const diagnoseJsonArray = async (
  file: string,
  bytes: number,
): Promise<{ line: number; problem: string } | null> => {
  if (bytes > MAX_ARRAY_DIAGNOSE_BYTES || /\.(gz|zst)$/i.test(file)) return null;
  let text = await readFile(file, 'utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const pos = /position (\d+)/.exec(message);
    const at = pos ? lineOf(text, Number(pos[1])) : { line: text.split('\n').length, column: 0 };
    return {
      line: at.line,
      problem: `malformed JSON: ${message.replace(/ in JSON at position \d+.*$/, '')}${pos ? ` (column ${at.column})` : ''}`,
    };
  }
  if (!Array.isArray(value)) return { line: 1, problem: 'expected a JSON array of records' };
  const bad = value.findIndex((v) => v === null || typeof v !== 'object' || Array.isArray(v));
  if (bad >= 0) {
    // the line where element `bad` starts: count top-level commas would need a parser; the element's text is enough
    const snippet = JSON.stringify(value[bad]) ?? String(value[bad]);
    const offset = text.indexOf(snippet);
    return {
      line: offset >= 0 ? lineOf(text, offset).line : 1,
      problem: `element ${bad} of the array is not a JSON object: ${snippet.slice(0, 40)}`,
    };
  }
  return null;
};

/** Quote-aware field count of one CSV line (RFC 4180 quotes; `quote` doubled inside a quoted field). */
const fieldCount = (line: string, delimiter: string, state: { inQuote: boolean }): number => {
  let n = 1;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '"') state.inQuote = !state.inQuote;
    else if (c === delimiter && !state.inQuote) n++;
  }
  return n;
};

/**
 * The first line of a CSV file whose number of fields differs from its header's. DuckDB's sniffer answers a ragged
 * file with one column named after the whole header line, which would surface as "no response column"; this names
 * the line instead. Quoted fields may span lines.
 */
export const findRaggedCsvLine = async (
  file: string,
  delimiter: string,
): Promise<{ line: number; fields: number; header: number } | null> => {
  let lineNo = 0;
  let header = -1;
  let record = 0;
  let recordStart = 0;
  const state = { inQuote: false };
  let rest = '';
  const decoder = new TextDecoder();
  const handle = (raw: string): { line: number; fields: number; header: number } | null => {
    lineNo++;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (!state.inQuote) {
      recordStart = lineNo;
      record = 0;
      if (line.trim() === '') return null;
    }
    record += fieldCount(line, delimiter, state) - (record > 0 ? 1 : 0);
    if (state.inQuote) return null;
    if (header < 0) {
      header = record;
      return null;
    }
    return record !== header ? { line: recordStart, fields: record, header } : null;
  };
  for await (const chunk of decompressed(file)) {
    const text = rest + decoder.decode(chunk as Buffer, { stream: true });
    const lines = text.split('\n');
    rest = lines.pop() ?? '';
    for (const l of lines) {
      const hit = handle(lineNo === 0 ? l.replace(/^\uFEFF/, '') : l);
      if (hit) return hit;
    }
  }
  return rest ? handle(rest) : null;
};
