import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../shared/domain/random';
import { ValleyError } from '../../shared/api';
import { orderJsonLines } from '../../electron/services/curate/ordered-jsonl';
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
  });

  it('refuses a missing or repeated position', async () => {
    const src = join(dir.dir, 'bad.jsonl');
    await writeFile(src, '{"_pos":0,"a":1}\n{"_pos":2,"a":1}\n{"_pos":2,"a":1}\n');
    await expect(orderJsonLines(src, join(dir.dir, 'bad-out.jsonl'), 3)).rejects.toBeInstanceOf(ValleyError);
    await writeFile(src, '{"_pos":0,"a":1}\n{"_pos":1,"a":1}\n');
    await expect(orderJsonLines(src, join(dir.dir, 'bad-out.jsonl'), 3)).rejects.toThrow(/no line for position 2/);
  });
});
