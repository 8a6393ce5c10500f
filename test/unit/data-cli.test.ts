import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { tempDir } from '../helpers/workspace';
import { writeOcr2 } from '../helpers/trace-files';

const root = resolve(__dirname, '../..');
const valley = (args: string[]) =>
  spawnSync('node', [resolve(root, 'bin/valley.cjs'), ...args], { encoding: 'utf8', cwd: root, timeout: 120_000 });

describe('valley import / results import / datasets / runs', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let ws: string;
  beforeAll(async () => {
    execFileSync('node', ['scripts/build-backend.mjs'], { cwd: root });
    ({ dir, cleanup } = await tempDir('valley-data-cli-'));
    ws = join(dir, 'ws');
  });
  afterAll(async () => cleanup());

  it('imports a dataset into a new workspace and lists it', async () => {
    await writeOcr2(join(dir, 'a.jsonl'), 30);
    const r = valley([
      'import',
      '--workspace',
      ws,
      '--json',
      '--preset',
      'ocr2',
      '--name',
      'first',
      join(dir, 'a.jsonl'),
    ]);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ rows: 30, dataset: { name: 'first', preset: 'ocr2' } });
    const list = valley(['datasets', '--workspace', ws, '--json']);
    expect(JSON.parse(list.stdout).datasets.map((d: { name: string; rows: number }) => [d.name, d.rows])).toEqual([
      ['first', 30],
    ]);
    const text = valley(['datasets', '--workspace', ws]);
    expect(text.stdout).toContain('response=r1_generation');
  });

  it('takes role mappings and skip-bad-lines on the command line', async () => {
    await writeFile(join(dir, 'b.jsonl'), '{"p": "q", "g": "<think>a</think>b"}\n{oops\n{"p": "q2", "g": "c"}\n');
    const r = valley([
      'import',
      '--workspace',
      ws,
      '--name',
      'second',
      '--role',
      'question=p',
      '--role',
      'response=g',
      '--skip-bad-lines',
      join(dir, 'b.jsonl'),
    ]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('2 rows');
    expect(r.stdout).toContain(`Skipped 1 bad line(s):\n  ${join(dir, 'b.jsonl')}:2:`);
  });

  it('fails with the file and line on stderr and a non-zero exit', async () => {
    await writeFile(join(dir, 'c.jsonl'), '{"a": 1}\n{"a": \n');
    const r = valley(['import', '--workspace', ws, '--json', join(dir, 'c.jsonl')]);
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stderr).error).toMatchObject({
      code: 'bad_input',
      details: { file: join(dir, 'c.jsonl'), line: 2 },
    });
  });

  it('imports results with run labels and lists runs with their metrics', async () => {
    await writeFile(
      join(dir, 'm_eval_all.json'),
      JSON.stringify([{ question_id: 'a', difficulty: 'easy', graded_list: [true, false] }]),
    );
    const r = valley([
      'results',
      'import',
      '--workspace',
      ws,
      '--json',
      '--run-label',
      'student=tiny',
      '--run-label',
      'size=1000',
      join(dir, 'm_eval_all.json'),
    ]);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).runs[0]).toMatchObject({ student: 'tiny', size: 1000, metrics: { 'pass@1': 0.5 } });
    const runs = valley(['runs', '--workspace', ws]);
    expect(runs.stdout).toMatch(/tiny\s+1000\s+all\s+0\.500000/);
    const bad = valley(['results', 'import', '--workspace', ws, '--run-label', 'oops', join(dir, 'm_eval_all.json')]);
    expect(bad.status).toBe(2);
  });
});
