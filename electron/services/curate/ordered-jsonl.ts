import { createHash, type Hash } from 'node:crypto';
import { createReadStream, createWriteStream, readSync, type WriteStream } from 'node:fs';
import { open, readFile, rm, stat, type FileHandle } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { ValleyError } from '../../../shared/api';

/**
 * Put a JSONL file in order without a database sort. DuckDB writes the rows unordered, each line
 * `{"_pos":N,…rest}` (fast: parallel, no sort of multi-KB rows); this writes `{…rest}` for N = 0, 1, …, n-1 to `out`,
 * hashing as it goes. While DuckDB writes them, each line's place in the file is noted by its position, and the
 * lines are then read back in order (orderWhileWritten: bounded memory, whatever the size). A finished file
 * (orderJsonLines, the fallback) is ordered in memory up to IN_MEMORY_BYTES; a larger one is first split into
 * buckets of consecutive positions (files beside `unordered`, ~IN_MEMORY_BYTES / 2 each), then each bucket is read,
 * placed and written: linear passes, at most one bucket in memory.
 */
const PREFIX = Buffer.from('{"_pos":');
const NL = 0x0a;
/** Up to this many bytes of lines are ordered in memory in one pass; a larger file goes through bucket files. */
export const IN_MEMORY_BYTES = 512 * 2 ** 20;
/** Lines are read, written (and hashed) this many bytes at a time. */
const BATCH = 4 << 20;

type Slots = (Buffer | undefined)[];

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
const place = (slots: Slots, base: number, { pos, rest }: { pos: number; rest: Buffer }): void => {
  const i = pos - base;
  if (!Number.isInteger(i) || i < 0 || i >= slots.length || slots[i] !== undefined) {
    throw new ValleyError('internal', `Export rows: position ${pos} out of place`);
  }
  slots[i] = rest;
};

/**
 * Splits chunks into lines (without their newline): a complete line is a view into the chunk it came in (chunks
 * must be fresh buffers, never reused, so a line may be kept and changed); only a line spanning chunks is joined.
 */
const lineSplitter = () => {
  let carry: Buffer[] = [];
  return {
    push(chunk: Buffer, onLine: (line: Buffer) => void): void {
      let start = 0;
      for (let nl = chunk.indexOf(NL); nl >= 0; nl = chunk.indexOf(NL, start)) {
        const piece = chunk.subarray(start, nl);
        if (carry.length) {
          carry.push(piece);
          onLine(Buffer.concat(carry));
          carry = [];
        } else onLine(piece);
        start = nl + 1;
      }
      if (start < chunk.length) carry.push(chunk.subarray(start));
    },
    end(onLine: (line: Buffer) => void): void {
      if (carry.length) onLine(Buffer.concat(carry));
      carry = [];
    },
  };
};

/** Each line of `file`, in file order (see lineSplitter); onLine may be async (it is awaited line by line). */
const eachLine = async (file: string, onLine: (line: Buffer) => Promise<void> | void): Promise<void> => {
  const split = lineSplitter();
  for await (const chunk of createReadStream(file, { highWaterMark: 4 << 20 }) as AsyncIterable<Buffer>) {
    const lines: Buffer[] = [];
    split.push(chunk, (line) => lines.push(line));
    for (const line of lines) await onLine(line);
  }
  const last: Buffer[] = [];
  split.end((line) => last.push(line));
  for (const line of last) await onLine(line);
};

/** Write all of `buffers`, in order, at the end of what was written so far. */
const writeAll = async (fh: FileHandle, buffers: Buffer[], size: number): Promise<void> => {
  const { bytesWritten } = await fh.writev(buffers);
  if (bytesWritten === size) return;
  // a short write (rare): the rest, from where it stopped
  const rest = Buffer.concat(buffers, size).subarray(bytesWritten);
  for (let off = 0; off < rest.length;) off += (await fh.write(rest, off, rest.length - off)).bytesWritten;
};

/**
 * The slots' lines in order, each with its newline, written ~BATCH bytes at a time straight from where they were
 * read (no copy into a batch); each batch is hashed while it is being written (the write runs off the main thread).
 */
const emitter = (fh: FileHandle, hash: Hash, source: string, out: string) => {
  let bytes = 0;
  let sha256: string | undefined;
  let pending: Promise<void> = Promise.resolve();
  const newline = Buffer.from([NL]);
  const flush = async (batch: Buffer[], size: number) => {
    await pending; // one write at a time, in order
    pending = writeAll(fh, batch, size);
    for (const b of batch) hash.update(b);
    bytes += size;
  };
  return {
    async emit(slots: Slots, base: number): Promise<void> {
      let batch: Buffer[] = [];
      let size = 0;
      for (const [i, line] of slots.entries()) {
        if (!line) throw new ValleyError('internal', `${source}: no line for position ${base + i}`, { file: out });
        batch.push(line, newline);
        size += line.length + 1;
        if (size >= BATCH || batch.length >= 1024) {
          await flush(batch, size);
          batch = [];
          size = 0;
        }
      }
      if (size) await flush(batch, size);
    },
    /** Wait for the last write; the hash and size of everything emitted (the hash is final after this). */
    async done(): Promise<{ sha256: string; bytes: number }> {
      await pending;
      sha256 ??= hash.digest('hex');
      return { sha256, bytes };
    },
  };
};

const write = (stream: WriteStream, data: Buffer): Promise<void> =>
  stream.write(data) ? Promise.resolve() : new Promise((resolve) => stream.once('drain', () => resolve()));
const close = (stream: WriteStream): Promise<void> =>
  new Promise((resolve, reject) => {
    stream.once('error', reject);
    stream.end(() => resolve());
  });

/** Write `slots` (positions 0…n-1, all placed) to `out`, hashed. */
const writeSlots = async (slots: Slots, source: string, out: string): Promise<{ sha256: string; bytes: number }> => {
  const fh = await open(out, 'w');
  try {
    const e = emitter(fh, createHash('sha256'), source, out);
    try {
      await e.emit(slots, 0);
    } finally {
      await e.done().catch(() => undefined); // no write left in flight when the file is closed
    }
    return await e.done();
  } finally {
    await fh.close();
  }
};

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
  if (buckets === 1) {
    const slots: Slots = new Array<Buffer | undefined>(n);
    await eachLine(unordered, (line) => place(slots, 0, parse(line, unordered))); // no copy of the lines
    return writeSlots(slots, unordered, out);
  }
  const fh = await open(out, 'w');
  const e = emitter(fh, createHash('sha256'), unordered, out);
  try {
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
      const slots: Slots = new Array<Buffer | undefined>(Math.min(per, n - base));
      const data = await readFile(bucketFile(k)).catch(() => Buffer.alloc(0));
      const split = lineSplitter();
      const onLine = (line: Buffer) => place(slots, base, parse(line, unordered));
      split.push(data, onLine);
      split.end(onLine);
      await e.emit(slots, base);
      await rm(bucketFile(k), { force: true });
    }
    return await e.done();
  } finally {
    await e.done().catch(() => undefined);
    await fh.close();
    for (let k = 0; k < buckets; k++) await rm(bucketFile(k), { force: true });
  }
};

/** Where each position's line is in the followed file: the byte of its comma (written as '{') and the length from
 * there through its newline. */
interface LineIndex {
  readonly off: Float64Array;
  readonly len: Int32Array;
}

/** Index the lines of `buf[0, end)` that are complete (`base` = the file offset of buf[0]); returns where the
 * incomplete rest starts. Throws on a line without its position or one out of place. */
const indexLines = (buf: Buffer, end: number, from: number, base: number, index: LineIndex, file: string): number => {
  const view = buf.subarray(0, end);
  let start = 0;
  for (let nl = view.indexOf(NL, from); nl >= 0; nl = view.indexOf(NL, start)) {
    const comma = view.indexOf(0x2c, start + PREFIX.length);
    if (comma < 0 || comma > nl || view.compare(PREFIX, 0, PREFIX.length, start, start + PREFIX.length) !== 0) {
      throw new ValleyError('internal', `${file}: a line without its position`, { file });
    }
    const pos = Number(view.toString('latin1', start + PREFIX.length, comma));
    if (!Number.isInteger(pos) || pos < 0 || pos >= index.len.length || index.len[pos] !== 0) {
      throw new ValleyError('internal', `Export rows: position ${pos} out of place`);
    }
    index.off[pos] = base + comma;
    index.len[pos] = nl + 1 - comma;
    start = nl + 1;
  }
  return start;
};

/**
 * Index the lines of `file` while another process appends them (DuckDB's COPY): read as the file grows into one
 * reused buffer, keeping only each position's place in the file (12 bytes a line), not the lines — so Node's memory
 * does not grow with the export (holding the lines took ~200 MB at 30K OCR2 traces, which the allocator then kept),
 * and no fresh memory is touched per export. Null when the lines are not all well-formed, a position is missing,
 * the file does not end with a newline or is not the one followed (replaced while written): the caller then orders
 * the finished file instead (orderJsonLines), which says what is wrong with it. The handle stays open for the
 * ordered write (`close` it after).
 */
const follow = (file: string, n: number) => {
  let finished = false;
  const result = (async (): Promise<{ index: LineIndex; fd: FileHandle } | null> => {
    const index: LineIndex = { off: new Float64Array(n), len: new Int32Array(n) };
    let buf = Buffer.allocUnsafeSlow(BATCH);
    let have = 0; // bytes of an incomplete line at buf[0]
    let base = 0; // the file offset of buf[0]
    let fd: FileHandle | null = null;
    let keep = false;
    try {
      for (;;) {
        const done = finished; // read before looking, so nothing written before `finish` is missed
        if (!fd) fd = await open(file, 'r').catch(() => null);
        const size = fd ? (await fd.stat()).size : 0;
        const offset = base + have;
        if (fd && size > offset) {
          if (have === buf.length) buf = Buffer.concat([buf, Buffer.allocUnsafeSlow(buf.length)]); // a long line
          const { bytesRead } = await fd.read(buf, have, Math.min(size - offset, buf.length - have), offset);
          const end = have + bytesRead;
          const rest = indexLines(buf, end, have, base, index, file);
          buf.copy(buf, 0, rest, end);
          have = end - rest;
          base += rest;
        } else if (done) {
          if (!fd || have > 0 || index.len.includes(0)) return null;
          const now = await stat(file);
          const followed = await fd.stat();
          if (now.ino !== followed.ino || now.size !== base) return null;
          keep = true;
          return { index, fd };
        } else await sleep(5);
      }
    } catch {
      return null;
    } finally {
      if (!keep) await fd?.close();
    }
  })();
  return {
    finish: () => {
      finished = true;
    },
    result,
  };
};

/**
 * Write the indexed lines of `fd` in position order to `out`, hashed: each batch is read into one of two reused
 * buffers (positional reads of what DuckDB just wrote, from the page cache), hashed, and written while the next is
 * read.
 */
const writeIndexed = async (
  fd: FileHandle,
  { off, len }: LineIndex,
  out: string,
  check: () => void,
): Promise<{ sha256: string; bytes: number }> => {
  const fh = await open(out, 'w');
  const hash = createHash('sha256');
  const buffers = [Buffer.allocUnsafeSlow(BATCH), Buffer.allocUnsafeSlow(BATCH)];
  let pending: Promise<void> = Promise.resolve();
  let bytes = 0;
  try {
    for (let i = 0, k = 0; i < len.length; k ^= 1) {
      check();
      await pending; // the buffer filled next was written two batches ago, and that write is done
      const first = len[i] ?? 0;
      const b = first > BATCH ? Buffer.allocUnsafeSlow(first) : (buffers[k] as Buffer); // a line longer than a batch
      let used = 0;
      for (let l = first; i < len.length && used + l <= b.length; l = len[++i] ?? 0) {
        for (let got = 0; got < l;) got += readSync(fd.fd, b, used + got, l - got, (off[i] ?? 0) + got) || fail(out);
        b[used] = 0x7b; // '{' where the position's comma was: the line as it would have been without it
        used += l;
      }
      const batch = b.subarray(0, used);
      hash.update(batch);
      bytes += used;
      pending = writeAll(fh, [batch], used);
    }
  } finally {
    await pending.catch(() => undefined); // no write left in flight when the file is closed
    await fh.close();
  }
  await pending;
  return { sha256: hash.digest('hex'), bytes };
};

const fail = (out: string): never => {
  throw new ValleyError('internal', `${out}: the unordered lines ended early`, { file: out });
};

/**
 * Run `writeUnordered` (which writes the lines `{"_pos":N,…}` to `unordered`) and write them in order to `out`,
 * hashed: the lines are indexed while they are being written, then read back in order (follow, writeIndexed);
 * anything unexpected while following the file, and it is ordered after it is written (orderJsonLines, in memory up
 * to `inMemoryBytes`, else through bucket files). `ordered` says which happened.
 */
export const orderWhileWritten = async (
  writeUnordered: () => Promise<void>,
  unordered: string,
  out: string,
  n: number,
  check: () => void = () => undefined,
  inMemoryBytes = IN_MEMORY_BYTES,
): Promise<{ sha256: string; bytes: number; ordered: 'while written' | 'after' }> => {
  const following = follow(unordered, n);
  try {
    await writeUnordered();
  } finally {
    following.finish();
  }
  const followed = await following.result;
  if (followed) {
    try {
      check();
      return { ...(await writeIndexed(followed.fd, followed.index, out, check)), ordered: 'while written' };
    } finally {
      await followed.fd.close();
    }
  }
  check();
  return { ...(await orderJsonLines(unordered, out, n, check, inMemoryBytes)), ordered: 'after' };
};
