import { createHash } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/workspace';

const root = resolve(__dirname, '../..');
const valley = (args: string[]) =>
  spawnSync('node', [resolve(root, 'bin/valley.cjs'), ...args], { encoding: 'utf8', cwd: root, timeout: 120_000 });

describe('valley partition / subset / export / contamination', () => {
  let dir: string;
  let ws: string;
  let cleanup: () => Promise<void>;
  const json = (args: string[]): unknown => {
    const r = valley([...args, '--workspace', ws, '--json']);
    expect(r.status, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as unknown;
  };
  beforeAll(async () => {
    execFileSync('node', ['scripts/build-backend.mjs'], { cwd: root });
    ({ dir, cleanup } = await tempDir());
    ws = join(dir, 'ws');
    expect(valley(['demo', '--workspace', ws, '--traces', '3000']).status).toBe(0);
  });
  afterAll(async () => cleanup());

  it('creates preset and --where partitions', () => {
    const presets = json(['partition', 'preset', 'correctness', '--by', 'pass_rate']) as {
      partitions: { name: string; size: number }[];
    };
    expect(presets.partitions.map((p) => p.name)).toEqual(['correct', 'incorrect']);
    expect(presets.partitions.reduce((a, p) => a + p.size, 0)).toBe(3000);
    const long = json(['partition', 'create', 'long', '--where', 'tokens > 300']) as { size: number };
    const n = json(['sql', 'SELECT count(*) AS n FROM ds_demo_ocr2 WHERE tokens > 300']) as { rows: { n: number }[] };
    expect(long.size).toBe(n.rows[0]?.n);
    const bad = valley([
      'partition',
      'create',
      'x',
      '--where',
      'tokens > 1; DROP TABLE ds_demo_ocr2',
      '--workspace',
      ws,
    ]);
    expect(bad.status).not.toBe(0);
    expect((json(['partition']) as unknown[]).length).toBe(3);
  });

  it('saves nested subsets and refuses sizes beyond what is available', () => {
    const s = json([
      'subset',
      'cli',
      '--partition',
      'correct',
      '--sizes',
      '100,500',
      '--seed',
      '3',
      '--stratify',
      'difficulty',
      '--dedup',
      '1',
    ]) as {
      plan: { sizes: { size: number; questions: number }[] };
    };
    expect(s.plan.sizes.map((x) => [x.size, x.questions])).toEqual([
      [100, 100],
      [500, 500],
    ]);
    const tooBig = valley(['subset', 'huge', '--sizes', '1000000', '--workspace', ws]);
    expect(tooBig.status).toBe(1);
    expect(tooBig.stderr).toMatch(/1000000 is larger than the 3000 traces available/);
  });

  it('exports with a manifest whose hashes match the files, twice byte-identically', () => {
    const a = json(['export', 'cli', '--format', 'torchtune', '--out', join(dir, 'a')]) as {
      manifest: { files: { path: string; sha256: string; rows: number }[] };
    };
    const b = json(['export', 'cli', '--format', 'torchtune', '--out', join(dir, 'b')]) as typeof a;
    expect(a.manifest.files.map((f) => [f.path, f.rows])).toEqual([
      ['train-100.jsonl', 100],
      ['train-500.jsonl', 500],
    ]);
    for (const f of a.manifest.files) {
      expect(
        createHash('sha256')
          .update(readFileSync(join(dir, 'a', f.path)))
          .digest('hex'),
      ).toBe(f.sha256);
    }
    expect(b.manifest.files.map((f) => f.sha256)).toEqual(a.manifest.files.map((f) => f.sha256));
    expect(readFileSync(join(dir, 'a', 'manifest.json'))).toEqual(readFileSync(join(dir, 'b', 'manifest.json')));
  });

  it('checks contamination and excludes the hits into a partition', () => {
    const r = json(['contamination', '--n', '8', '--threshold', '0.99', '--exclude-into', 'clean']) as {
      flaggedTraces: number;
      excluded: { excluded: number; size: number };
    };
    expect(r.flaggedTraces).toBeGreaterThan(0);
    expect(r.excluded).toEqual({ excluded: r.flaggedTraces, size: 3000 - r.flaggedTraces });
  });
});
