import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startTestBackend, tempDir, type TestBackend } from '../helpers/workspace';
import { jsonl, writeOcr2 } from '../helpers/trace-files';
import { parseTrace } from '../../shared/domain/trace';

let t: TestBackend;
let files: { dir: string; cleanup: () => Promise<void> };

beforeAll(async () => {
  t = await startTestBackend();
  files = await tempDir('valley-import-');
});
afterAll(async () => {
  await t.close();
  await files.cleanup();
});

const f = (name: string) => join(files.dir, name);

describe('data.preview', () => {
  it('detects the OCR2 preset and its roles, with sample rows', async () => {
    await writeOcr2(f('prev.jsonl'), 20);
    const p = await t.call('data.preview', { paths: [f('prev.jsonl')], rows: 3 });
    expect(p.format).toBe('jsonl');
    expect(p.preset).toBe('ocr2');
    expect(p.roles['response']).toBe('r1_generation');
    expect(p.roles['correct']).toBe('judgement');
    expect(p.sample).toHaveLength(3);
    expect(p.columns.map((c) => c.name)).toContain('qwq_critique');
  });

  it('detects chat, TACO and OCR1 shapes and falls back to guessing by name', async () => {
    await writeFile(
      f('chat.jsonl'),
      jsonl([
        {
          messages: [
            { role: 'user', content: 'q' },
            { role: 'assistant', content: 'a' },
          ],
        },
      ]),
    );
    await writeFile(
      f('taco.jsonl'),
      jsonl([{ question: 'q', solutions: '[]', input_output: '{}', difficulty: 'EASY', name: 'x' }]),
    );
    await writeFile(
      f('ocr1.jsonl'),
      jsonl([
        {
          id: '1',
          input: 'q',
          output: 'a',
          source: 's',
          license: 'l',
          dataset: 'taco',
          split: 'train',
          difficulty: 'EASY',
          solution: '',
        },
      ]),
    );
    await writeFile(f('plain.jsonl'), jsonl([{ prompt: 'q', completion: 'a', level: 'hard' }]));
    expect((await t.call('data.preview', { paths: [f('chat.jsonl')] })).preset).toBe('chat');
    const taco = await t.call('data.preview', { paths: [f('taco.jsonl')] });
    expect([taco.preset, taco.kind]).toEqual(['taco', 'source']);
    expect((await t.call('data.preview', { paths: [f('ocr1.jsonl')] })).roles['question']).toBe('input');
    const plain = await t.call('data.preview', { paths: [f('plain.jsonl')] });
    expect(plain.preset).toBe('generic');
    expect(plain.roles).toMatchObject({ question: 'prompt', response: 'completion', difficulty: 'level' });
  });
});

describe('data.import', () => {
  it('imports OCR2 JSONL with parsed trace columns that agree with parseTrace', async () => {
    await writeOcr2(f('ocr2.jsonl'), 50);
    const { result } = await t.call('data.import', { paths: [f('ocr2.jsonl')], name: 'ocr2', wait: true });
    expect(result?.rows).toBe(50);
    expect(result?.dataset).toMatchObject({ name: 'ocr2', preset: 'ocr2', storage: 'table', tokensEstimated: true });
    const rows = await t.call('sql.query', {
      sql: 'SELECT row_id, response, correct, pass_rate, difficulty, think_open, think_close, think_chars, answer_chars, final_code, qwq_critique FROM ds_ocr2 ORDER BY row_id',
    });
    expect(rows.rows).toHaveLength(50);
    const first = rows.rows[0] as unknown[];
    const parts = parseTrace(String(first[1]));
    expect(first.slice(5, 10)).toEqual([
      parts.thinkOpen,
      parts.thinkClose,
      parts.thinkChars,
      parts.answerChars,
      parts.finalCode,
    ]);
    expect(first[2]).toBe(false); // row 0: judgement "wrong"
    expect(first[3]).toBe(0.5);
    expect(first[10]).toBe('fine'); // unmapped columns are kept
    const diffs = await t.call('sql.query', { sql: 'SELECT DISTINCT difficulty FROM ds_ocr2 ORDER BY 1' });
    expect(diffs.rows.flat()).toContain('UNKNOWN_DIFFICULTY');
  });

  it('numbers rows densely in file order, also when DuckDB reads one big file in parallel', async () => {
    await writeOcr2(f('order.jsonl'), 60_000, (i) => ({ r1_generation: `<think>${'x'.repeat(200)}</think>${i}` }));
    await t.call('data.import', { paths: [f('order.jsonl')], name: 'order', wait: true });
    const q = await t.call('sql.query', {
      sql: "SELECT count(*) AS n, count(DISTINCT row_id) AS d, min(row_id) AS lo, max(row_id) AS hi, sum((id <> 'id-' || row_id)::INT) AS off FROM ds_order",
    });
    expect(q.rows[0]).toEqual([60_000, 60_000, 0, 59_999, 0]);
  });

  it('reads .gz and .zst, folders of shards and globs', async () => {
    await writeOcr2(f('g.jsonl.gz'), 10);
    await writeOcr2(f('z.jsonl'), 10);
    execFileSync('zstd', ['-q', '-f', f('z.jsonl'), '-o', f('z.jsonl.zst')]);
    const gz = await t.call('data.import', { paths: [f('g.jsonl.gz')], name: 'gz', wait: true });
    const zst = await t.call('data.import', { paths: [f('z.jsonl.zst')], name: 'zst', wait: true });
    expect([gz.result?.rows, zst.result?.rows]).toEqual([10, 10]);
    const shards = join(files.dir, 'shards');
    execFileSync('mkdir', ['-p', join(shards, 'data')]);
    await t.call('sql.query', { sql: 'SELECT 1' });
    for (const part of [0, 1, 2]) {
      await t.backend.services.workspace.engine.run(
        `COPY (SELECT * FROM read_json('${f('z.jsonl')}') WHERE TRY_CAST("index" AS INT) % 3 = ${part}) TO '${join(shards, 'data', `train-0000${part}-of-00003.parquet`)}'`,
      );
    }
    const preview = await t.call('data.preview', { paths: [shards] });
    expect([preview.format, preview.files.length, preview.rows, preview.suggestedName]).toEqual([
      'parquet',
      3,
      10,
      'shards',
    ]);
    const folder = await t.call('data.import', { paths: [shards], wait: true });
    expect(folder.result?.dataset.name).toBe('shards');
    expect(folder.result?.rows).toBe(10);
    const glob = await t.call('data.import', {
      paths: [join(shards, 'data', 'train-*.parquet')],
      name: 'glob',
      storage: 'view',
      wait: true,
    });
    expect(glob.result?.dataset.storage).toBe('view');
    const v = await t.call('sql.query', {
      sql: 'SELECT count(*) AS n, count(response) AS r, sum(think_close::INT) AS c FROM ds_glob',
    });
    expect(v.rows[0]).toEqual([10, 10, 10]);
    // the view joins each file's rows back to the right side-table rows: same content as the copied import
    const viewRows = await t.call('sql.query', {
      sql: 'SELECT row_id, id, response, final_code FROM ds_glob ORDER BY row_id',
    });
    const tableRows = await t.call('sql.query', {
      sql: 'SELECT row_id, id, response, final_code FROM ds_shards ORDER BY row_id',
    });
    expect(viewRows.rows).toEqual(tableRows.rows);
    const page = await t.call('sql.query', {
      sql: 'SELECT id FROM ds_glob WHERE row_id BETWEEN 7 AND 8 ORDER BY row_id',
    });
    expect(page.rows).toEqual(tableRows.rows.slice(7, 9).map((r) => [r[1]]));
    expect(viewRows.rows.map((r) => r[0])).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // the trace table's pages and a trace's detail read the view's side table and files: same as the copy
    for (const sort of [
      { column: 'row_id' as const, desc: false },
      { column: 'difficulty' as const, desc: true },
    ]) {
      const pageOf = async (dataset: string) =>
        (await t.call('traces.window', { dataset, sort, start: 2, limit: 5 })).rows;
      expect(await pageOf('glob')).toEqual(await pageOf('shards'));
    }
    expect(await t.call('traces.get', { dataset: 'glob', rowId: 7 })).toEqual(
      await t.call('traces.get', { dataset: 'shards', rowId: 7 }),
    );
    // facets, counts and windows read the side table unless a condition names the text (itself or through a partition)
    await t.call('curate.partitions.save', {
      name: 'glob-odd',
      dataset: 'glob',
      filter: { clauses: [{ op: 'contains', column: 'response', text: '# 1' }] },
    });
    await t.call('curate.partitions.save', {
      name: 'shards-odd',
      dataset: 'shards',
      filter: { clauses: [{ op: 'contains', column: 'response', text: '# 1' }] },
    });
    const filters = (partition: string | null) => [
      { clauses: [{ op: 'in' as const, column: 'difficulty' as const, values: ['EASY', 'HARD'] }] },
      { clauses: [{ op: 'contains' as const, column: 'question' as const, text: 'Problem 3' }] },
      { clauses: [{ op: 'sql' as const, where: 'length(solution) > 3' }] },
      { search: 'squared' },
      { partition },
    ];
    const [viewFilters, tableFilters] = [filters('glob-odd'), filters('shards-odd')];
    for (const [i, filter] of viewFilters.entries()) {
      const other = tableFilters[i] as (typeof tableFilters)[number];
      // (the word index of each is built in the background, each at its own pace: its state is not the data's)
      const strip = <T extends { elapsedMs: number }>(x: T) => ({ ...x, elapsedMs: 0, searchIndex: null });
      expect(strip(await t.call('traces.facets', { dataset: 'glob', filter }))).toEqual(
        strip(await t.call('traces.facets', { dataset: 'shards', filter: other })),
      );
      expect(await t.call('traces.count', { dataset: 'glob', filter })).toEqual(
        await t.call('traces.count', { dataset: 'shards', filter: other }),
      );
      const win = async (dataset: string, f: typeof filter) =>
        (await t.call('traces.window', { dataset, filter: f, start: 0, limit: 10 })).rows;
      expect(await win('glob', filter)).toEqual(await win('shards', other));
    }
    expect(
      (await t.call('traces.count', { dataset: 'glob', filter: { partition: 'glob-odd' } })).total,
    ).toBeGreaterThan(0);
  });

  it('applies a user-corrected role mapping and refuses a column that does not exist', async () => {
    await writeFile(
      f('custom.jsonl'),
      jsonl([
        { p: 'q1', gen: '<think>x</think>ok', ok: true },
        { p: 'q2', gen: 'no tags', ok: false },
      ]),
    );
    const r = await t.call('data.import', {
      paths: [f('custom.jsonl')],
      name: 'custom',
      roles: { question: 'p', response: 'gen', correct: 'ok' },
      wait: true,
    });
    expect(r.result?.dataset.roles).toMatchObject({ question: 'p', response: 'gen', correct: 'ok' });
    const q = await t.call('sql.query', {
      sql: 'SELECT question, correct, think_close FROM ds_custom ORDER BY row_id',
    });
    expect(q.rows).toEqual([
      ['q1', true, true],
      ['q2', false, false],
    ]);
    await expect(
      t.call('data.import', { paths: [f('custom.jsonl')], name: 'c2', roles: { response: 'nope' }, wait: true }),
    ).rejects.toThrow(/nope/);
  });

  it('imports chat messages and CSV/TSV', async () => {
    await writeFile(
      f('chat2.jsonl'),
      jsonl([
        {
          messages: [
            { role: 'user', content: 'hello?' },
            { role: 'assistant', content: '<think>hm</think>hi' },
          ],
        },
      ]),
    );
    const chat = await t.call('data.import', { paths: [f('chat2.jsonl')], name: 'chat', wait: true });
    expect(chat.result?.dataset.preset).toBe('chat');
    const q = await t.call('sql.query', { sql: 'SELECT question, response, think_chars FROM ds_chat' });
    expect(q.rows[0]).toEqual(['hello?', '<think>hm</think>hi', 2]);
    await writeFile(f('t.tsv'), 'question\tresponse\tdifficulty\nq\t"<think>a</think>b"\tEASY\n');
    const tsv = await t.call('data.import', { paths: [f('t.tsv')], name: 'tsv', wait: true });
    expect(tsv.result?.rows).toBe(1);
  });

  it('joins OCR2 rows whose question is "-" to an imported TACO source table', async () => {
    const taco = Array.from({ length: 5 }, (_, i) => ({
      question: `TACO problem ${i}`,
      solutions: '[]',
      input_output: '{}',
      difficulty: 'EASY',
      name: `p${i}`,
    }));
    await writeFile(f('taco-train.jsonl'), jsonl(taco));
    const src = await t.call('data.import', { paths: [f('taco-train.jsonl')], name: 'BAAI-TACO', wait: true });
    expect(src.result?.dataset.kind).toBe('source');
    await writeOcr2(f('dash.jsonl'), 4, (i) => ({ question: i < 3 ? '-' : 'own text', index: String(i + 1) }));
    const r = await t.call('data.import', { paths: [f('dash.jsonl')], name: 'dash', wait: true });
    expect(r.result?.joinedQuestions).toBe(3);
    const q = await t.call('sql.query', { sql: 'SELECT question FROM ds_dash ORDER BY row_id' });
    expect(q.rows.flat()).toEqual(['TACO problem 1', 'TACO problem 2', 'TACO problem 3', 'own text']);
    const page = (await t.call('traces.window', { dataset: 'dash', start: 0, limit: 10 })).rows.map((r) => r.question);
    expect(page).toEqual(q.rows.flat());
    // the same through a lazily attached Parquet view: the filled questions live in its side table
    await t.backend.services.workspace.engine.run(
      `COPY (SELECT * FROM read_json('${f('dash.jsonl')}')) TO '${f('dash.parquet')}'`,
    );
    const v = await t.call('data.import', {
      paths: [f('dash.parquet')],
      name: 'dashview',
      storage: 'view',
      wait: true,
    });
    expect(v.result?.joinedQuestions).toBe(3);
    const qv = await t.call('sql.query', { sql: 'SELECT question FROM ds_dashview ORDER BY row_id' });
    expect(qv.rows).toEqual(q.rows);
    const shown = (await t.call('traces.window', { dataset: 'dashview', start: 0, limit: 10 })).rows.map(
      (r) => r.question,
    );
    expect(shown).toEqual(q.rows.flat());
    // a source imported after the traces fills them in too
    await writeOcr2(f('dash2.jsonl'), 2, (i) => ({ question: '-', dataset: 'apps', index: String(i) }));
    await t.call('data.import', { paths: [f('dash2.jsonl')], name: 'dash2', wait: true });
    const apps = Array.from({ length: 3 }, (_, i) => ({
      question: `APPS problem ${i}`,
      solutions: '[]',
      input_output: '{}',
      difficulty: 'interview',
    }));
    await writeFile(f('apps_train.jsonl'), jsonl(apps));
    const late = await t.call('data.import', { paths: [f('apps_train.jsonl')], name: 'codeparrot-apps', wait: true });
    expect(late.result?.joinedQuestions).toBe(2);
    const q2 = await t.call('sql.query', { sql: 'SELECT question FROM ds_dash2 ORDER BY row_id' });
    expect(q2.rows.flat()).toEqual(['APPS problem 0', 'APPS problem 1']);
    expect(
      (await t.call('traces.window', { dataset: 'dash2', start: 0, limit: 10 })).rows.map((r) => r.question),
    ).toEqual(q2.rows.flat());
  });

  it('refuses a duplicate name unless replace is set, and drops datasets', async () => {
    await writeOcr2(f('dup.jsonl'), 3);
    await t.call('data.import', { paths: [f('dup.jsonl')], name: 'dup', wait: true });
    await expect(t.call('data.import', { paths: [f('dup.jsonl')], name: 'dup', wait: true })).rejects.toThrow(
      /already exists/,
    );
    const again = await t.call('data.import', { paths: [f('dup.jsonl')], name: 'dup', replace: true, wait: true });
    expect(again.result?.rows).toBe(3);
    expect((await t.call('data.drop', { name: 'dup' })).dropped).toBe(true);
    const left = await t.call('sql.query', {
      sql: "SELECT count(*) FROM information_schema.tables WHERE table_name = 'ds_dup'",
    });
    expect(left.rows[0]).toEqual([0]);
  });
});
