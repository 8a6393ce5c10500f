import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValleyError, isSafeName, nameProblem, safeName, toSafeName } from '../../shared/api';
import { startTestBackend, tempDir, type TestBackend } from '../helpers/workspace';

const hostile = [
  '..',
  '.',
  'con',
  'CON.txt',
  'lpt9',
  'a/b',
  'a\\b',
  'x'.repeat(300),
  'two\nlines',
  'nul\0byte',
  '.hidden',
  'a:b',
  'q?',
  'trail.',
  ' lead',
];
const fine = ['study a', 'correct', 'OCR2 python 10K', 'é-ü_1.0', 'console', 'com10', 'x'.repeat(100)];

const refusal = (p: Promise<unknown>): Promise<ValleyError | null> =>
  p.then(
    () => null,
    (e: unknown) => e as ValleyError,
  );

describe('safe names: one rule in the contract', () => {
  it('refuses dot names, path and control characters, Windows device names and long names; keeps ordinary ones', () => {
    for (const n of hostile) expect(nameProblem(n), JSON.stringify(n)).not.toBeNull();
    for (const n of fine) expect(nameProblem(n), n).toBeNull();
    expect(safeName.safeParse('..').success).toBe(false);
    expect(safeName.safeParse('study a').success).toBe(true);
  });

  it('turns any text into the nearest safe name', () => {
    for (const n of [...hostile, ...fine, '', '...', 'con.txt', 'a'.repeat(99) + ' .x']) {
      const s = toSafeName(n);
      expect(isSafeName(s), `${JSON.stringify(n)} → ${JSON.stringify(s)}`).toBe(true);
    }
    expect(toSafeName('study a')).toBe('study a');
    expect(toSafeName('..')).toBe('dataset');
    expect(toSafeName('con.txt')).toBe('con_.txt');
  });
});

describe('safe names through the router', () => {
  let t: TestBackend;
  beforeAll(async () => {
    t = await startTestBackend({ demo: true, demoTraces: 600 });
    await t.call('curate.partitions.presets', { dataset: 'demo-ocr2', preset: 'correctness' });
  });
  afterAll(async () => t.close());

  it('refuses hostile subset, partition and run names, naming the field', async () => {
    const runs = (await t.call('runs.list', {})).runs;
    const runId = runs[0]?.id as string;
    for (const name of ['..', '.', 'con', 'a/b', 'x'.repeat(300), 'two\nlines']) {
      const errors = await Promise.all([
        refusal(t.call('curate.partitions.save', { name, dataset: 'demo-ocr2' })),
        refusal(t.call('curate.partitions.rename', { name: 'correct', to: name })),
        refusal(t.call('curate.subsets.save', { name, spec: { dataset: 'demo-ocr2', sizes: [10] } })),
        refusal(t.call('runs.update', { id: runId, name })),
        refusal(t.call('curate.contamination.exclude', { dataset: 'demo-ocr2', benchmark: 'demo-ocr2', target: name })),
      ]);
      for (const e of errors) {
        expect(e?.code, JSON.stringify(name)).toBe('invalid_request');
        expect(e?.message).toMatch(/name/);
      }
    }
    expect((await t.call('curate.partitions.list', {})).partitions.map((p) => p.name).sort()).toEqual([
      'correct',
      'incorrect',
    ]);
    expect((await t.call('curate.subsets.list', {})).subsets).toEqual([]);
    expect((await t.call('runs.list', {})).runs.map((r) => r.name)).toEqual(runs.map((r) => r.name));
  });

  it('survives an export of a subset named ".." saved before names were checked: the workspace stays whole', async () => {
    await t.call('curate.subsets.save', { name: 'legacy', spec: { dataset: 'demo-ocr2', sizes: [20] } });
    await t.backend.services.workspace.engine.run(`UPDATE valley_subsets SET name = '..' WHERE name = 'legacy'`);
    const before = readdirSync(t.dir).sort();
    const r = await t.call('curate.export', { subset: '..', overwrite: true, wait: true });
    expect(r.task.state).toBe('done');
    expect(r.dir).toBe(join(t.dir, 'exports', 'subset'));
    expect(readdirSync(r.dir).sort()).toEqual(['manifest.json', 'train-20.jsonl', 'train-20.parquet']);
    const after = readdirSync(t.dir).sort();
    expect(after).toEqual([...new Set([...before, 'exports'])].sort());
    expect(existsSync(join(t.dir, 'valley.duckdb'))).toBe(true);
    expect(existsSync(join(t.dir, 'workspace.json'))).toBe(true);
    expect((await t.call('sql.query', { sql: 'SELECT count(*) FROM ds_demo_ocr2' })).rows[0]?.[0]).toBe(600);
    await t.backend.services.workspace.engine.run(`DELETE FROM valley_subsets WHERE name = '..'`);
  });

  it('replaces only a folder holding a Valley manifest, and never deletes a file Valley did not write', async () => {
    await t.call('curate.subsets.save', { name: 'small', spec: { dataset: 'demo-ocr2', sizes: [10] } });
    const out = join(t.dir, 'out');
    // a folder of the user's own: refused even with overwrite, the file untouched
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'notes.txt'), 'mine');
    const e1 = await refusal(t.call('curate.export', { subset: 'small', outDir: out, overwrite: true, wait: true }));
    expect(e1?.code).toBe('conflict');
    expect(e1?.message).toMatch(/not a Valley export.*manifest\.json/);
    expect(readFileSync(join(out, 'notes.txt'), 'utf8')).toBe('mine');
    // the workspace folder itself: refused, nothing deleted
    const ws = readdirSync(t.dir).sort();
    const e2 = await refusal(t.call('curate.export', { subset: 'small', outDir: t.dir, overwrite: true, wait: true }));
    expect(e2?.code).toBe('conflict');
    expect(readdirSync(t.dir).sort()).toEqual(ws);
    // a Valley export is replaced...
    const fresh = join(t.dir, 'fresh');
    await t.call('curate.export', { subset: 'small', outDir: fresh, wait: true });
    const again = await t.call('curate.export', { subset: 'small', outDir: fresh, overwrite: true, wait: true });
    expect(again.task.state).toBe('done');
    expect(readdirSync(fresh).sort()).toEqual(['manifest.json', 'train-10.jsonl', 'train-10.parquet']);
    // ...but not once the user put a file of their own in it
    writeFileSync(join(fresh, 'README.md'), 'mine too');
    const e3 = await refusal(t.call('curate.export', { subset: 'small', outDir: fresh, overwrite: true, wait: true }));
    expect(e3?.message).toMatch(/files Valley did not write \(README\.md\)/);
    expect(readdirSync(fresh).sort()).toEqual(['README.md', 'manifest.json', 'train-10.jsonl', 'train-10.parquet']);
    // an empty folder is fine without overwrite
    const empty = join(t.dir, 'empty');
    mkdirSync(empty);
    expect((await t.call('curate.export', { subset: 'small', outDir: empty, wait: true })).task.state).toBe('done');
  });

  it('suggests a safe dataset name from a hostile file name', async () => {
    const file = join(t.dir, '..con.jsonl');
    writeFileSync(file, '{"a": 1}\n');
    const p = await t.call('data.preview', { paths: [file] });
    expect(isSafeName(p.suggestedName)).toBe(true);
  });
});

const root = resolve(__dirname, '../..');
const valley = (args: string[]) =>
  spawnSync('node', [resolve(root, 'bin/valley.cjs'), ...args], { encoding: 'utf8', cwd: root, timeout: 120_000 });

describe('safe names through the CLI', () => {
  let dir: string;
  let ws: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    execFileSync('node', ['scripts/build-backend.mjs'], { cwd: root });
    ({ dir, cleanup } = await tempDir());
    ws = join(dir, 'ws');
    expect(valley(['demo', '--workspace', ws, '--traces', '500']).status).toBe(0);
  });
  afterAll(async () => cleanup());

  it('refuses hostile partition, subset and run names with exit code 2 or 1 and a message, leaving nothing behind', () => {
    const runs = JSON.parse(valley(['runs', '--workspace', ws, '--json']).stdout) as {
      runs: { id: string; name: string }[];
    };
    const runId = runs.runs[0]?.id as string;
    for (const name of ['..', '.', 'con', 'a/b', 'x'.repeat(300), 'two\nlines']) {
      for (const args of [
        ['partition', 'create', name],
        ['subset', name, '--sizes', '10'],
        ['runs', 'rename', runId, name],
      ]) {
        const r = valley([...args, '--workspace', ws]);
        expect(r.status, `${args.join(' ')}: ${r.stdout}`).not.toBe(0);
        expect(r.stderr).toMatch(/name/);
      }
    }
    const parts = JSON.parse(valley(['partition', '--workspace', ws, '--json']).stdout) as unknown[];
    expect(parts).toEqual([]);
    const after = JSON.parse(valley(['runs', '--workspace', ws, '--json']).stdout) as typeof runs;
    expect(after.runs.map((r) => r.name)).toEqual(runs.runs.map((r) => r.name));
  });

  it('a figure recipe writes only beside itself or where --out says', () => {
    const figDir = join(dir, 'figs');
    const made = valley(['figure', '--workspace', ws, '--out', join(figDir, 'scaling.svg')]);
    expect(made.status, made.stderr).toBe(0);
    const recipeFile = join(figDir, 'scaling.json');
    const sidecar = JSON.parse(readFileSync(recipeFile, 'utf8')) as { figure: string };
    writeFileSync(recipeFile, JSON.stringify({ ...sidecar, figure: '../escaped.svg' }));
    const bad = valley(['figure', '--workspace', ws, '--recipe', recipeFile]);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/figure.*beside itself/);
    expect(existsSync(join(dir, 'escaped.svg'))).toBe(false);
    const chosen = join(dir, 'chosen', 'again.svg');
    const ok = valley(['figure', '--workspace', ws, '--recipe', recipeFile, '--out', chosen]);
    expect(ok.status, ok.stderr).toBe(0);
    expect(readFileSync(chosen, 'utf8')).toMatch(/<svg/);
  });
});
