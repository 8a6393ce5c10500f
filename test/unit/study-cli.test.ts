import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StudyPlan, StudyStatus } from '../../shared/api';
import { tempDir } from '../helpers/workspace';

const root = resolve(__dirname, '../..');
const valley = (args: string[]) =>
  spawnSync('node', [resolve(root, 'bin/valley.cjs'), ...args], { encoding: 'utf8', cwd: root, timeout: 120_000 });

describe('valley study new / plan / status / list', () => {
  let dir: string;
  let ws: string;
  let cleanup: () => Promise<void>;
  const json = <T>(args: string[]): T => {
    const r = valley([...args, '--workspace', ws, '--json']);
    expect(r.status, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as T;
  };
  beforeAll(async () => {
    execFileSync('node', ['scripts/build-backend.mjs'], { cwd: root });
    ({ dir, cleanup } = await tempDir());
    ws = join(dir, 'ws');
    expect(valley(['demo', '--workspace', ws, '--traces', '3000']).status).toBe(0);
  });
  afterAll(async () => cleanup());

  it('writes the paper’s design as a file, makes its partitions and plans it from the workspace’s token counts', () => {
    const r = json<{ file: string; partitionsCreated: string[]; plan: StudyPlan }>([
      'study',
      'new',
      'small',
      '--sizes',
      '100,500',
      '--ablations',
      'correctness',
      '--ablation-size',
      '200',
      '--throughput',
      '1000',
    ]);
    expect(r.file).toBe(join(ws, 'studies', 'small.yaml'));
    expect(r.partitionsCreated.sort()).toEqual(['correct', 'incorrect']);
    const text = readFileSync(r.file, 'utf8');
    expect(text).toContain('continue_from: curve-500');
    // 2 students × (baseline, 100, 500, correct 200, incorrect 200)
    expect(r.plan.estimate).toMatchObject({ cells: 10, trainJobs: 8, evalJobs: 10, jobs: 18, unknownVolumes: [] });
    // tokens: the demo's own token counts (plus the questions' estimated tokens) of exactly those rows
    const q = json<{ rows: { t: number }[] }>([
      'sql',
      "SELECT sum(tokens + ceil(strlen(coalesce(question, '')) / 3.7))::DOUBLE AS t FROM ds_demo_ocr2",
    ]);
    expect(q.rows[0]?.t).toBeGreaterThan(0);
    const perEpoch = r.plan.estimate.trainTokens / 5;
    expect(r.plan.estimate.trainGpuHours).toBeCloseTo((perEpoch * 5) / 1000 / 3600, 6);
    expect(r.plan.subsets.map((s) => [s.partition, s.sizes])).toEqual([
      [null, [100, 500]],
      ['correct', [200]],
      ['incorrect', [200]],
    ]);
    expect(r.plan.warnings.join('\n')).toMatch(/tokenizers: give Qwen\/Qwen2.5-7B-Instruct's tokenizer.json/);
    // a second study with the same name is refused; --replace replaces it
    const again = valley(['study', 'new', 'small', '--workspace', ws]);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/A study named "small" exists/);
  });

  it('plans and shows an edited file, and names the line of an error in it', () => {
    const file = join(ws, 'studies', 'small.yaml');
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace('  - 0\n', '  - 0\n  - 1\n'));
    const plan = json<StudyPlan>(['study', 'plan', 'small']);
    expect(plan.estimate.cells).toBe(20);
    const status = json<StudyStatus>(['study', 'status', 'small']);
    expect(status.cells).toHaveLength(20);
    expect(status.counts).toEqual({ planned: 20 });
    expect(status.cells.find((c) => c.id === 'baseline.qwen2.5-7b-instruct.s1')).toMatchObject({
      trains: false,
      state: 'planned',
      detail: 'evaluation only (no training)',
    });
    const human = valley(['study', 'status', 'small', '--workspace', ws]);
    expect(human.stdout).toMatch(/correctness: correct 200\s+planned\s+planned\s+planned\s+planned/);
    const bad = text.replace('max_seq_len: 32768', 'max_seq_len: lots');
    writeFileSync(file, bad);
    const line = bad.split('\n').findIndex((l) => l.includes('max_seq_len: lots')) + 1;
    const r = valley(['study', 'plan', 'small', '--workspace', ws]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`small.yaml, line ${line}: transforms.max_seq_len:`);
    const list = json<{ studies: { name: string; error: string | null }[] }>(['study', 'list']);
    expect(list.studies[0]?.error).toContain(`line ${line}`);
    writeFileSync(file, text);
  });
});
