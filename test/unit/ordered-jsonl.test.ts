import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { appendFile, rename, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../shared/domain/random';
import { ValleyError } from '../../shared/api';
import { orderJsonLines, orderWhileWritten } from '../../electron/services/curate/ordered-jsonl';
import { tempDir } from '../helpers/workspace';

let dir: { dir: string; cleanup: () => Promise<void> };
beforeAll(async () => {
  dir = await tempDir('valley-ordered-jsonl-');
});
afterAll(async () => dir?.cleanup());

/** n lines `{"_pos":i,"messages":…}` in a shuffled order, and the ordered lines without the position. */
const lines = (n: number, seed: number) => {
  const rand = seededRandom(seed);
  const body = (i: number) => `"messages":[{"role":"user","content":"q${i} ${'é中🙂'.repeat(i % 7)}\\n,{}"}]`;
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  return {
    unordered: order.map((i) => `{"_pos":${i},${body(i)}}\n`).join(''),
    ordered: Array.from({ length: n }, (_, i) => `{${body(i)}}\n`).join(''),
  };
};

describe('putting a JSONL file in order by position', () => {
  for (const [n, budget] of [
    [1, undefined],
    [37, undefined],
    [4096, undefined],
    [20_011, undefined],
    [20_011, 100_000], // ~1.3 MB of lines through bucket files of 50 KB
    [5, 10],
  ] as const) {
    it(`${n} lines${budget ? ` (through bucket files of ${budget / 2} bytes)` : ''}`, async () => {
      const { unordered, ordered } = lines(n, n);
      const src = join(dir.dir, `u-${n}-${budget ?? 0}.jsonl`);
      const out = join(dir.dir, `o-${n}-${budget ?? 0}.jsonl`);
      await writeFile(src, unordered);
      const r = await orderJsonLines(src, out, n, undefined, budget);
      const written = readFileSync(out);
      expect(written.toString('utf8')).toBe(ordered);
      expect(r).toEqual({ sha256: createHash('sha256').update(written).digest('hex'), bytes: written.length });
      expect(readdirSync(dir.dir).filter((f) => f.startsWith(`u-${n}-${budget ?? 0}.jsonl.`))).toEqual([]);
    });
  }

  it('lines longer than a read (4 MB) and lines across reads, in memory and through buckets', async () => {
    const rand = seededRandom(3);
    const n = 400;
    const size = (i: number) => (i === 7 ? 9 << 20 : 1 + Math.floor(rand() * 60_000));
    const body = (i: number, len: number) => `"c":"${String.fromCharCode(97 + (i % 26)).repeat(len)}${i}"`;
    const bodies = Array.from({ length: n }, (_, i) => body(i, size(i)));
    const order = Array.from({ length: n }, (_, i) => (i * 173) % n); // 173 is prime to 400: every position once
    const src = join(dir.dir, 'long.jsonl');
    await writeFile(src, order.map((i) => `{"_pos":${i},${bodies[i]}}\n`).join(''));
    const ordered = bodies.map((b) => `{${b}}\n`).join('');
    for (const budget of [undefined, 8 << 20]) {
      const out = join(dir.dir, `long-${budget ?? 0}.jsonl`);
      const r = await orderJsonLines(src, out, n, undefined, budget);
      const written = readFileSync(out);
      expect(written.toString('utf8') === ordered, `budget ${budget}`).toBe(true);
      expect(r.sha256).toBe(createHash('sha256').update(ordered).digest('hex'));
    }
    // indexed while written: a line longer than the read buffer and than a batch of the ordered write (4 MB)
    const grown = join(dir.dir, 'long-grown.jsonl');
    const text = order.map((i) => `{"_pos":${i},${bodies[i]}}\n`).join('');
    const r = await orderWhileWritten(
      async () => {
        await writeFile(grown, '');
        for (let i = 0; i < text.length; i += 3 << 20) await appendFile(grown, text.slice(i, i + (3 << 20)));
      },
      grown,
      join(dir.dir, 'long-grown-out.jsonl'),
      n,
    );
    expect(readFileSync(join(dir.dir, 'long-grown-out.jsonl'), 'utf8') === ordered).toBe(true);
    expect(r).toEqual({
      sha256: createHash('sha256').update(ordered).digest('hex'),
      bytes: Buffer.byteLength(ordered),
      ordered: 'while written',
    });
  });

  it('refuses a missing or repeated position', async () => {
    const src = join(dir.dir, 'bad.jsonl');
    await writeFile(src, '{"_pos":0,"a":1}\n{"_pos":2,"a":1}\n{"_pos":2,"a":1}\n');
    await expect(orderJsonLines(src, join(dir.dir, 'bad-out.jsonl'), 3)).rejects.toBeInstanceOf(ValleyError);
    await writeFile(src, '{"_pos":0,"a":1}\n{"_pos":1,"a":1}\n');
    await expect(orderJsonLines(src, join(dir.dir, 'bad-out.jsonl'), 3)).rejects.toThrow(/no line for position 2/);
  });

  /** Append `text` to `file` in pieces of `piece` bytes (cut anywhere, inside lines and UTF-8 characters), pausing
   * between pieces so that a reader of the file sees it grow. */
  const appendSlowly = async (file: string, text: string, piece: number) => {
    const bytes = Buffer.from(text);
    await writeFile(file, '');
    for (let i = 0; i < bytes.length; i += piece) {
      await appendFile(file, bytes.subarray(i, i + piece));
      if ((i / piece) % 8 === 0) await sleep(2);
    }
  };

  it('orders lines read while another writer appends them, cut anywhere, the same bytes as after the writer', async () => {
    const n = 3001;
    const { unordered, ordered } = lines(n, 11);
    const hash = createHash('sha256').update(ordered).digest('hex');
    for (const piece of [1, 997, 65_536]) {
      const src = join(dir.dir, `grow-${piece}.jsonl`);
      const out = join(dir.dir, `grow-${piece}-out.jsonl`);
      // 1-byte pieces: only the first 3 KB slowly, then the rest at once (a slow writer, then a fast one)
      const write =
        piece === 1
          ? async () => {
              await appendSlowly(src, unordered.slice(0, 3000), 1);
              await appendFile(src, unordered.slice(3000));
            }
          : () => appendSlowly(src, unordered, piece);
      const r = await orderWhileWritten(write, src, out, n);
      expect(readFileSync(out, 'utf8') === ordered, `pieces of ${piece}`).toBe(true);
      expect(r).toEqual({ sha256: hash, bytes: Buffer.byteLength(ordered), ordered: 'while written' });
    }
  });

  it('orders while written beyond the memory budget (only an index is kept), and the finished file when it is replaced', async () => {
    const n = 2000;
    const { unordered, ordered } = lines(n, 5);
    const src = join(dir.dir, 'big.jsonl');
    // beyond orderJsonLines' budget while being written: still indexed while written (12 bytes a line, not the lines)
    const r = await orderWhileWritten(
      () => appendSlowly(src, unordered, 4096),
      src,
      join(dir.dir, 'big-out.jsonl'),
      n,
      undefined,
      40_000,
    );
    expect(readFileSync(join(dir.dir, 'big-out.jsonl'), 'utf8') === ordered).toBe(true);
    expect(r.sha256).toBe(createHash('sha256').update(ordered).digest('hex'));
    expect(r.ordered).toBe('while written');
    expect(readdirSync(dir.dir).filter((f) => f.startsWith('big.jsonl.'))).toEqual([]);
    // a writer that writes half, then replaces the file by a new one with every line (as a writer through a
    // temporary file would): the lines of the file that is there at the end
    const moved = join(dir.dir, 'moved.jsonl');
    const replaced = await orderWhileWritten(
      async () => {
        await appendSlowly(moved, unordered.slice(0, unordered.length / 2), 4096);
        await writeFile(`${moved}.tmp`, unordered);
        await rename(`${moved}.tmp`, moved);
      },
      moved,
      join(dir.dir, 'moved-out.jsonl'),
      n,
      undefined,
      40_000,
    );
    expect(readFileSync(join(dir.dir, 'moved-out.jsonl'), 'utf8') === ordered).toBe(true);
    // ordered after the writer is done, through bucket files (beyond the budget)
    expect(replaced.ordered).toBe('after');
    expect(readdirSync(dir.dir).filter((f) => f.startsWith('moved.jsonl.'))).toEqual([]);
  });

  it('says what is wrong with lines written while followed, and passes on a failed write', async () => {
    const src = join(dir.dir, 'bad-grow.jsonl');
    const out = join(dir.dir, 'bad-grow-out.jsonl');
    const write = (text: string) => () => appendSlowly(src, text, 5);
    await expect(orderWhileWritten(write('{"_pos":0,"a":1}\n{"_pos":1,"a":1}\n'), src, out, 3)).rejects.toThrow(
      /no line for position 2/,
    );
    await expect(orderWhileWritten(write('{"_pos":0,"a":1}\n{"a":1}\n'), src, out, 2)).rejects.toThrow(
      /a line without its position/,
    );
    await expect(orderWhileWritten(write('{"_pos":1,"a":1}\n{"_pos":1,"a":2}\n'), src, out, 2)).rejects.toThrow(
      /position 1 out of place/,
    );
    const failing = async () => {
      await appendFile(src, '{"_pos":0,');
      throw new Error('the COPY failed');
    };
    await expect(orderWhileWritten(failing, src, out, 1)).rejects.toThrow('the COPY failed');
  });
});
