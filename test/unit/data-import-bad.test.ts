import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { ValleyError } from '../../shared/api';
import { startTestBackend, tempDir, type TestBackend } from '../helpers/workspace';
import { jsonl, ocr2Row, writeOcr2 } from '../helpers/trace-files';
import { openWorkspace, STAGE_PREFIX } from '../../electron/services/workspace/workspace';

let t: TestBackend;
let files: { dir: string; cleanup: () => Promise<void> };

beforeAll(async () => {
  t = await startTestBackend();
  files = await tempDir('valley-bad-');
  await writeOcr2(join(files.dir, 'keep.jsonl'), 5);
  await t.call('data.import', { paths: [join(files.dir, 'keep.jsonl')], name: 'keep', wait: true });
});
afterAll(async () => {
  await t.close();
  await files.cleanup();
});

const f = (name: string) => join(files.dir, name);

/** Tables, views and registered datasets: must be identical before and after a failed import. */
const snapshot = async () => {
  // the search index of an earlier import is built in the background meanwhile (its stage tables voc_, ids_ and
  // step_tok, search-index.ts, and the question table dsq_, question-index.ts): not the failed import's doing;
  // an import's own stage is _valley_stage_<16 hex digits> (import.ts) and still counts
  const tables = await t.call('sql.query', {
    sql: `SELECT table_name FROM information_schema.tables WHERE NOT regexp_matches(table_name, '^(dsv_|dsw_|dsq_|_valley_stage_(voc|ids|tok|step)_)') ORDER BY 1`,
  });
  const datasets = await t.call('data.datasets', {});
  const keep = await t.call('sql.query', { sql: 'SELECT count(*) FROM ds_keep' });
  return JSON.stringify([tables.rows, datasets.datasets.map((d) => [d.name, d.rows]), keep.rows]);
};

/** Import `path` and return the error, checking that nothing of the import is left behind. */
const failure = async (paths: string[], extra: { name?: string; replace?: boolean } = {}): Promise<ValleyError> => {
  const before = await snapshot();
  const error = await t
    .call('data.import', { paths, name: extra.name ?? 'bad', replace: extra.replace, wait: true })
    .then(
      () => null,
      (e: unknown) => e,
    );
  expect(error).toBeInstanceOf(ValleyError);
  expect(await snapshot()).toBe(before);
  return error as ValleyError;
};

const lines = (rows: string[]) => rows.join('\n') + '\n';
const good = (i: number) => JSON.stringify(ocr2Row(i));

describe('bad input names file, line and problem; nothing half-imported remains', () => {
  it('malformed JSON line', async () => {
    await writeFile(f('malformed.jsonl'), lines([good(0), good(1), '{"id": "x", "question": ', good(3)]));
    const e = await failure([f('malformed.jsonl')]);
    expect(e.message).toContain(f('malformed.jsonl'));
    expect(e.details).toMatchObject({ file: f('malformed.jsonl'), line: 3 });
    expect(e.message).toMatch(/line 3: malformed JSON/);
  });

  it('wrong types: a pass rate that is not a number, a judgement that is neither right nor wrong', async () => {
    await writeFile(
      f('types.jsonl'),
      lines([good(0), good(1), good(2), JSON.stringify(ocr2Row(3, { pass_rate: 'abc' }))]),
    );
    const e = await failure([f('types.jsonl')]);
    expect(e.details).toMatchObject({ file: f('types.jsonl'), line: 4, field: 'pass_rate' });
    expect(e.message).toMatch(/"abc" is not a number/);
    await writeFile(f('judge.jsonl'), lines([good(0), '', JSON.stringify(ocr2Row(1, { judgement: 'maybe' }))]));
    const j = await failure([f('judge.jsonl')]);
    expect(j.details).toMatchObject({ line: 3, field: 'judgement' });
  });

  it('a NUL byte inside a line is refused, naming the file and line', async () => {
    const bad = Buffer.concat([
      Buffer.from(lines([good(0)])),
      Buffer.from('{"id": "n'),
      Buffer.from([0]),
      Buffer.from('ul"}\n'),
    ]);
    await writeFile(f('nul.jsonl'), bad);
    const e = await failure([f('nul.jsonl')]);
    expect(e.message).toContain(f('nul.jsonl'));
    expect(e.details).toMatchObject({ file: f('nul.jsonl'), line: 2 });
  });

  it('invalid UTF-8', async () => {
    const bad = Buffer.concat([
      Buffer.from(lines([good(0)])),
      Buffer.from('{"id": "'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('"}\n'),
    ]);
    await writeFile(f('utf8.jsonl'), bad);
    const e = await failure([f('utf8.jsonl')]);
    expect(e.details).toMatchObject({ file: f('utf8.jsonl'), line: 2 });
    expect(e.message).toMatch(/UTF-8/);
  });

  it('truncated .gz', async () => {
    const gz = gzipSync(jsonl(Array.from({ length: 200 }, (_, i) => ocr2Row(i))));
    await writeFile(f('trunc.jsonl.gz'), gz.subarray(0, Math.floor(gz.length / 2)));
    const e = await failure([f('trunc.jsonl.gz')]);
    expect(e.message).toContain(f('trunc.jsonl.gz'));
    expect(e.details?.line).toBeGreaterThan(1);
    expect(e.message).toMatch(/truncated|end of (file|data)/i);
  });

  it('truncated Parquet', async () => {
    await t.backend.services.workspace.engine.run(
      `COPY (SELECT * FROM read_json('${f('keep.jsonl')}')) TO '${f('whole.parquet')}'`,
    );
    const whole = await readFile(f('whole.parquet'));
    await writeFile(f('trunc.parquet'), whole.subarray(0, Math.floor(whole.length * 0.6)));
    const e = await failure([f('trunc.parquet')]);
    expect(e.message).toContain(f('trunc.parquet'));
    expect(e.message).toMatch(/Parquet/);
  });

  it('CSV with an unbalanced quote', async () => {
    await writeFile(f('quote.csv'), 'question,response\nq1,"fine"\nq2,"never closed\nq3,ok\n');
    const e = await failure([f('quote.csv')]);
    expect(e.message).toContain(f('quote.csv'));
    expect(e.message).toMatch(/quote/i);
    expect(e.details?.line).toBeDefined();
  });

  it('empty file', async () => {
    await writeFile(f('empty.jsonl'), '');
    const e = await failure([f('empty.jsonl')]);
    expect(e.message).toMatch(/empty/);
    expect(e.details?.file).toBe(f('empty.jsonl'));
  });

  it('a CSV with a header and no rows (fails after the scan, when the import would publish)', async () => {
    await writeFile(f('header-only.csv'), 'question,response,difficulty\n');
    const e = await failure([f('header-only.csv')]);
    expect(e.message).toMatch(/no rows/);
    expect(e.details?.file).toBe(f('header-only.csv'));
  });

  it('a 50 MB single line', async () => {
    const huge = JSON.stringify(ocr2Row(0, { r1_generation: 'x'.repeat(50 * 2 ** 20) }));
    await writeFile(f('huge.jsonl'), huge);
    const e = await failure([f('huge.jsonl')]);
    expect(e.details).toMatchObject({ file: f('huge.jsonl'), line: 1 });
    expect(e.message).toMatch(/50\.\d MB/);
  });

  it('a failed replace keeps the dataset it would have replaced', async () => {
    await writeFile(f('badkeep.jsonl'), lines([good(0), '{oops']));
    const e = await failure([f('badkeep.jsonl')], { name: 'keep', replace: true });
    expect(e.details?.line).toBe(2);
  });

  it('results file of the wrong shape names the JSON path', async () => {
    await writeFile(
      f('x_eval_all.json'),
      JSON.stringify([
        { question_id: 'a', graded_list: [true] },
        { question_id: 'b', graded_list: 'yes' },
      ]),
    );
    const e = await t.call('results.import', { paths: [f('x_eval_all.json')] }).then(
      () => null,
      (err: unknown) => err as ValleyError,
    );
    expect(e?.message).toContain(f('x_eval_all.json'));
    expect(e?.details?.field).toBe('$[1].graded_list');
    await writeFile(f('y_eval_all.json'), '{"not": "a list"}');
    const e2 = await t.call('results.import', { paths: [f('y_eval_all.json')] }).then(
      () => null,
      (err: unknown) => err as ValleyError,
    );
    expect(e2?.details?.field).toBe('$');
    expect((await t.call('runs.list', {})).runs).toHaveLength(0);
  });
});

describe('skip bad lines', () => {
  it('leaves out bad lines, says how many and which', async () => {
    const rows = Array.from({ length: 10 }, (_, i) => good(i));
    rows[2] = '{broken';
    rows[7] = '[1, 2]';
    await writeFile(f('skip.jsonl'), lines(rows));
    const { result } = await t.call('data.import', {
      paths: [f('skip.jsonl')],
      name: 'skipped',
      skipBadLines: true,
      wait: true,
    });
    expect(result?.rows).toBe(8);
    expect(result?.skipped).toBe(2);
    expect(result?.badLines.map((b) => b.line)).toEqual([3, 8]);
    expect(result?.badLines[0]?.file).toBe(f('skip.jsonl'));
  });

  it('in .zst and .gz files too', async () => {
    const rows = Array.from({ length: 6 }, (_, i) => good(i));
    rows[4] = '{"id": 1,';
    await writeFile(f('skip.jsonl'), lines(rows));
    execFileSync('zstd', ['-q', '-f', f('skip.jsonl'), '-o', f('skip.jsonl.zst')]);
    await writeFile(f('skip.jsonl.gz'), gzipSync(lines(rows)));
    for (const [file, name] of [
      [f('skip.jsonl.zst'), 'skipzst'],
      [f('skip.jsonl.gz'), 'skipgz'],
    ] as const) {
      const { result } = await t.call('data.import', { paths: [file], name, skipBadLines: true, wait: true });
      expect([result?.rows, result?.skipped, result?.badLines[0]?.line]).toEqual([5, 1, 5]);
    }
  });

  it('names the line where a truncated .zst ends', async () => {
    await writeFile(f('many.jsonl'), jsonl(Array.from({ length: 3000 }, (_, i) => ocr2Row(i))));
    execFileSync('zstd', ['-q', '-f', f('many.jsonl'), '-o', f('many.jsonl.zst')]);
    const whole = await readFile(f('many.jsonl.zst'));
    await writeFile(f('trunc.jsonl.zst'), whole.subarray(0, Math.floor(whole.length / 2)));
    const e = await failure([f('trunc.jsonl.zst')]);
    expect(e.message).toContain(f('trunc.jsonl.zst'));
    expect(e.message).toMatch(/truncated/);
    // the lines before the cut decompress; the error points just after them
    expect(e.details?.line).toBeGreaterThan(100);
    expect(e.details?.line).toBeLessThan(3000);
  });

  it('in CSV too', async () => {
    await writeFile(f('skip.csv'), 'question,response,extra\nq1,a,1\nq2,b\nq3,c,3\n');
    const { result } = await t.call('data.import', {
      paths: [f('skip.csv')],
      name: 'skipcsv',
      skipBadLines: true,
      wait: true,
    });
    expect(result?.rows).toBe(2);
    expect(result?.skipped).toBe(1);
  });
});

describe('cancel', () => {
  it('a cancelled import leaves the workspace as it was', async () => {
    await writeOcr2(f('big.jsonl'), 20_000);
    const before = await snapshot();
    const { task } = await t.call('data.import', { paths: [f('big.jsonl')], name: 'cancelled' });
    await t.call('tasks.cancel', { id: task.id });
    let state = task.state;
    for (let i = 0; i < 200 && state === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      state = (await t.call('tasks.list', {})).tasks.find((x) => x.id === task.id)?.state ?? 'running';
    }
    expect(state).toBe('cancelled');
    expect(await snapshot()).toBe(before);
  });
});

describe('an import interrupted between its two transactions', () => {
  it('leaves a staging table that the workspace drops when it opens again', async () => {
    const { dir, cleanup } = await tempDir('valley-stage-');
    try {
      const ws = await openWorkspace(join(dir, 'ws'), { create: true });
      // what a process killed after the scan's commit leaves: a table no dataset refers to
      await ws.engine.run(`CREATE TABLE ${STAGE_PREFIX}deadbeef AS SELECT range AS x FROM range(3)`);
      await ws.engine.run('CREATE TABLE kept AS SELECT 1 AS x');
      await ws.close();
      const again = await openWorkspace(join(dir, 'ws'));
      const tables = await again.engine.all('SELECT table_name AS t FROM information_schema.tables ORDER BY 1');
      await again.close();
      const names = tables.map((r) => String(r['t']));
      expect(names).toContain('kept');
      expect(names.filter((n) => n.startsWith(STAGE_PREFIX))).toEqual([]);
    } finally {
      await cleanup();
    }
  });
});

describe("DuckDB's checkpoint threshold", () => {
  const threshold = async () =>
    String(
      (await t.backend.services.workspace.engine.all(`SELECT current_setting('checkpoint_threshold') AS v`))[0]?.['v'],
    );

  it('is raised only while imports run: back to the default after a good, a failed and two parallel imports', async () => {
    const initial = await threshold();
    expect(initial).toBe('16.0 MiB');
    await writeOcr2(f('ck.jsonl'), 50);
    const { task } = await t.call('data.import', { paths: [f('ck.jsonl')], name: 'ck1' });
    const { result } = await t.call('data.import', { paths: [f('ck.jsonl')], name: 'ck2', wait: true });
    expect(result?.rows).toBe(50);
    for (
      let i = 0;
      i < 200 && (await t.call('tasks.list', {})).tasks.find((x) => x.id === task.id)?.state === 'running';
      i++
    ) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect((await t.call('tasks.list', {})).tasks.find((x) => x.id === task.id)?.state).toBe('done');
    expect(await threshold()).toBe(initial);
    await writeFile(f('ck-bad.jsonl'), lines([good(0), JSON.stringify(ocr2Row(1, { pass_rate: 'abc' }))]));
    await failure([f('ck-bad.jsonl')]);
    expect(await threshold()).toBe(initial);
  });
});
