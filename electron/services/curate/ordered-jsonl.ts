import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { readFile, rm, stat } from 'node:fs/promises';
import { ValleyError } from '../../../shared/api';

/**
 * Put a JSONL file in order without a database sort. DuckDB writes the rows unordered, each line
 * `{"_pos":N,…rest}` (fast: parallel, no sort of multi-KB rows); this writes `{…rest}` for N = 0, 1, …, n-1 to `out`,
 * hashing as it goes. Up to IN_MEMORY_BYTES the lines are placed by position in memory and written; a larger file is
 * first split into buckets of consecutive positions (files beside `unordered`, ~IN_MEMORY_BYTES / 2 each), then each
 * bucket is read, placed and written: linear passes, at most one bucket in memory.
 */
const PREFIX = Buffer.from('{"_pos":');
const NL = 0x0a;
/** Up to this many bytes of lines are ordered in memory in one pass; a larger file goes through bucket files. */
export const IN_MEMORY_BYTES = 512 * 2 ** 20;

const parse = (line: Buffer, file: string): { pos: number; rest: Buffer } => {
  const comma = line.indexOf(0x2c, PREFIX.length);
  if (!line.subarray(0, PREFIX.length).equals(PREFIX) || comma < 0) {
    throw new ValleyError('internal', `${file}: a line without its position`, { file });
  }
  // '{' + what follows the comma: the line as it would have been without the position
  line[comma] = 0x7b;
  return { pos: Number(line.subarray(PREFIX.length, comma).toString('latin1')), rest: line.subarray(comma) };
};

/** A line into its slot: every position in range, once. */
const place = (slots: (Buffer | undefined)[], base: number, { pos, rest }: { pos: number; rest: Buffer }): void => {
  const i = pos - base;
  if (!Number.isInteger(i) || i < 0 || i >= slots.length || slots[i] !== undefined) {
    throw new ValleyError('internal', `Export rows: position ${pos} out of place`);
  }
  slots[i] = rest;
};

/**
 * Each complete line of `file` (without its newline), in file order: a view into the buffer the read returned (a
 * fresh one each read, never reused), so onLine may keep it and change it; only a line that spans reads is joined.
 */
const eachLine = async (file: string, onLine: (line: Buffer) => Promise<void> | void): Promise<void> => {
  let carry: Buffer[] = [];
  for await (const chunk of createReadStream(file, { highWaterMark: 4 << 20 }) as AsyncIterable<Buffer>) {
    let start = 0;
    for (let nl = chunk.indexOf(NL); nl >= 0; nl = chunk.indexOf(NL, start)) {
      const piece = chunk.subarray(start, nl);
      if (carry.length) {
        carry.push(piece);
        await onLine(Buffer.concat(carry));
        carry = [];
      } else await onLine(piece);
      start = nl + 1;
    }
    if (start < chunk.length) carry.push(chunk.subarray(start));
  }
  if (carry.length) await onLine(Buffer.concat(carry));
};

const write = (stream: WriteStream, data: Buffer): Promise<void> =>
  stream.write(data) ? Promise.resolve() : new Promise((resolve) => stream.once('drain', () => resolve()));
const close = (stream: WriteStream): Promise<void> =>
  new Promise((resolve, reject) => {
    stream.once('error', reject);
    stream.end(() => resolve());
  });

export const orderJsonLines = async (
  unordered: string,
  out: string,
  n: number,
  check: () => void = () => undefined,
  inMemoryBytes = IN_MEMORY_BYTES,
): Promise<{ sha256: string; bytes: number }> => {
  const size = (await stat(unordered)).size;
  const wanted = size <= inMemoryBytes ? 1 : Math.ceil(size / (inMemoryBytes / 2));
  const per = Math.max(1, Math.ceil(n / wanted));
  const buckets = Math.max(1, Math.ceil(n / per));
  const bucketFile = (k: number) => `${unordered}.${k}`;
  const hash = createHash('sha256');
  const output = createWriteStream(out);
  let bytes = 0;
  const newline = Buffer.from([NL]);
  /** The slots' lines in order, written (and hashed) 4 MB at a time. */
  const emit = async (slots: (Buffer | undefined)[], base: number) => {
    let batch: Buffer[] = [];
    let batchBytes = 0;
    const flush = async () => {
      const data = Buffer.concat(batch, batchBytes);
      hash.update(data);
      bytes += data.length;
      batch = [];
      batchBytes = 0;
      await write(output, data);
    };
    for (const [i, line] of slots.entries()) {
      if (!line) throw new ValleyError('internal', `${unordered}: no line for position ${base + i}`, { file: out });
      batch.push(line, newline);
      batchBytes += line.length + 1;
      if (batchBytes >= 4 << 20) await flush();
    }
    if (batchBytes) await flush();
  };
  try {
    if (buckets === 1) {
      const slots = new Array<Buffer | undefined>(n);
      await eachLine(unordered, (line) => place(slots, 0, parse(line, unordered))); // no copy of the lines
      await emit(slots, 0);
    } else {
      const writers = new Map<number, WriteStream>();
      try {
        await eachLine(unordered, async (line) => {
          const pos = parse(Buffer.from(line), unordered).pos;
          const k = Math.floor(pos / per);
          let w = writers.get(k);
          if (!w) writers.set(k, (w = createWriteStream(bucketFile(k))));
          await write(w, Buffer.concat([line, Buffer.from([NL])]));
        });
      } finally {
        await Promise.all([...writers.values()].map(close));
      }
      for (let k = 0; k < buckets; k++) {
        check();
        const base = k * per;
        const slots = new Array<Buffer | undefined>(Math.min(per, n - base));
        const data = await readFile(bucketFile(k)).catch(() => Buffer.alloc(0));
        await eachBufferLine(data, (line) => place(slots, base, parse(line, unordered)));
        await emit(slots, base);
        await rm(bucketFile(k), { force: true });
      }
    }
  } finally {
    await close(output);
    for (let k = 0; k < buckets; k++) await rm(bucketFile(k), { force: true });
  }
  return { sha256: hash.digest('hex'), bytes };
};

const eachBufferLine = async (data: Buffer, onLine: (line: Buffer) => void): Promise<void> => {
  let start = 0;
  for (let nl = data.indexOf(NL); nl >= 0; nl = data.indexOf(NL, start)) {
    onLine(data.subarray(start, nl));
    start = nl + 1;
  }
  if (start < data.length) onLine(data.subarray(start));
  return Promise.resolve();
};
