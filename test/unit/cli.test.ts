import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { tempDir } from '../helpers/workspace';

const root = resolve(__dirname, '../..');
const valley = (args: string[]) =>
  spawnSync('node', [resolve(root, 'bin/valley.cjs'), ...args], { encoding: 'utf8', cwd: root, timeout: 120_000 });

describe('valley CLI', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    execFileSync('node', ['scripts/build-backend.mjs'], { cwd: root });
    ({ dir, cleanup } = await tempDir());
    const r = valley(['demo', '--workspace', `${dir}/ws`, '--traces', '300', '--json']);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ traces: 300 });
  });
  afterAll(async () => cleanup());

  it('writes its whole output into a pipe (1 MB of valley sql --json through cat parses)', () => {
    const sql = "SELECT range AS i, repeat('x', 100) AS s FROM range(10000)";
    const r = spawnSync('bash', ['-c', `node bin/valley.cjs sql --workspace "$WS" --json --limit 20000 "$SQL" | cat`], {
      encoding: 'utf8',
      cwd: root,
      timeout: 120_000,
      maxBuffer: 64 * 2 ** 20,
      env: { ...process.env, WS: `${dir}/ws`, SQL: sql },
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.length).toBeGreaterThan(2 ** 20);
    const parsed = JSON.parse(r.stdout) as { rows: Record<string, unknown>[] };
    expect(parsed.rows).toHaveLength(10000);
    expect(parsed.rows[9999]).toEqual({ i: 9999, s: 'x'.repeat(100) });
  });

  it('says which table a dataset is when SQL names the dataset', () => {
    const r = valley(['sql', '--workspace', `${dir}/ws`, 'SELECT count(*) FROM "demo-ocr2"']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('Dataset "demo-ocr2" is the table ds_demo_ocr2');
    expect(r.stderr).not.toContain('pg_description');
  });

  it('runs read-only SQL and prints JSON rows', () => {
    const r = valley(['sql', '--workspace', `${dir}/ws`, '--json', 'SELECT count(*) AS n FROM ds_demo_ocr2']);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).rows).toEqual([{ n: 300 }]);
  });

  it('an import that crashes DuckDB exits 1 naming the file, and the workspace is as it was', async () => {
    const deep = `${dir}/deep.jsonl`;
    await writeFile(deep, `{"id": "a", "r1_generation": "x"}\n{"id": ${'['.repeat(100_000)}${']'.repeat(100_000)}}\n`);
    const r = valley(['import', '--workspace', `${dir}/ws`, deep]);
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/data engine crashed \(signal SIG\w+\) while reading \S*deep\.jsonl/);
    const after = valley(['datasets', '--workspace', `${dir}/ws`, '--json']);
    expect(after.status, after.stderr).toBe(0);
    expect((JSON.parse(after.stdout) as { datasets: { name: string }[] }).datasets.map((d) => d.name).sort()).toEqual([
      'demo-lcb',
      'demo-ocr2',
    ]);
  });

  it('prints a table without --json', () => {
    const r = valley(['sql', '--workspace', `${dir}/ws`, "SELECT 'x' AS a"]);
    expect(r.stdout).toContain('a\n-');
  });

  it('refuses a write statement with a non-zero exit and leaves the data', () => {
    const r = valley(['sql', '--workspace', `${dir}/ws`, 'DELETE FROM ds_demo_ocr2']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('Only read-only statements');
    const again = valley(['sql', '--workspace', `${dir}/ws`, '--json', 'SELECT count(*) AS n FROM ds_demo_ocr2']);
    expect(JSON.parse(again.stdout).rows).toEqual([{ n: 300 }]);
  });

  it('reports errors as JSON on stderr with --json', () => {
    const r = valley(['sql', '--workspace', `${dir}/ws`, '--json', 'DROP TABLE valley_runs']);
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stderr)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('refuses a folder that is not a workspace, and unknown verbs and options', () => {
    const r = valley(['sql', '--workspace', `${dir}/nothing-here`, 'SELECT 1']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('is not a Valley workspace');
    expect(valley(['frobnicate']).status).toBe(2);
    expect(valley(['sql', '--bogus', 'x']).status).toBe(2);
  });

  it('refuses to create a demo in a folder that is not empty', () => {
    const r = valley(['demo', '--workspace', root]);
    expect(r.status).not.toBe(0);
  });

  it('lists its verbs with --help', () => {
    const r = valley(['--help']);
    expect(r.status).toBe(0);
    for (const verb of ['serve', 'demo', 'sql']) expect(r.stdout).toContain(verb);
  });
});

describe('valley serve', () => {
  it('serves the API on 127.0.0.1 behind the token it prints, and stops on SIGTERM', async () => {
    const { spawn } = await import('node:child_process');
    const { dir, cleanup } = await tempDir();
    const child = spawn('node', [resolve(root, 'bin/valley.cjs'), 'serve', '--workspace', `${dir}/ws`, '--port', '0'], {
      cwd: root,
    });
    try {
      const url = await new Promise<string>((resolveUrl, reject) => {
        let out = '';
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          const m = /Open (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(out);
          if (m?.[1]) resolveUrl(m[1]);
        });
        child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
      });
      const u = new URL(url);
      const token = u.searchParams.get('token') ?? '';
      const call = (auth: string) =>
        fetch(`${u.origin}/api/invoke`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: auth },
          body: JSON.stringify({ method: 'system.info', request: {} }),
        });
      expect((await call(`Bearer ${token}`)).status).toBe(200);
      expect((await call('Bearer nope')).status).toBe(401);
    } finally {
      const exited = new Promise((r) => child.on('exit', r));
      child.kill('SIGTERM');
      await exited;
      await cleanup();
    }
  });
});
