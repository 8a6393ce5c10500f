import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refusal } from '../helpers/refusal';
import { startTestBackend, type TestBackend } from '../helpers/workspace';
import { jsonl, ocr2Row } from '../helpers/trace-files';

const TACO_EXAMPLE = join(__dirname, '../../../shared/data/taco/taco_generation_example.json');
const MATH500 = join(__dirname, '../../../shared/data/traces/r1-math500');

describe('readers: JSON arrays, byte order marks, CRLF, ragged CSV, list-valued columns', () => {
  let t: TestBackend;
  const f = (name: string) => join(t.dir, name);
  beforeAll(async () => {
    t = await startTestBackend();
  });
  afterAll(async () => t.close());

  it('reads JSON Lines with a UTF-8 byte order mark and CRLF line ends', async () => {
    const rows = [ocr2Row(0), ocr2Row(1), ocr2Row(2)];
    await writeFile(
      f('bom.jsonl'),
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(jsonl(rows).replaceAll('\n', '\r\n'))]),
    );
    const r = await t.call('data.import', { paths: [f('bom.jsonl')], name: 'bom', wait: true });
    expect(r.result?.rows).toBe(3);
    const q = await t.call('sql.query', { sql: 'SELECT id, question, response FROM ds_bom ORDER BY row_id' });
    expect(q.rows).toEqual(rows.map((x) => [x['id'], x['question'], x['r1_generation']]));
    expect(r.result?.dataset.sources).toEqual([f('bom.jsonl')]);
    const p = await t.call('data.preview', { paths: [f('bom.jsonl')] });
    expect(p.preset).toBe('ocr2');
    expect(p.files.map((x) => x.path)).toEqual([f('bom.jsonl')]);
  });

  it('reads a .json file holding one JSON array, with or without a byte order mark', async () => {
    const rows = [ocr2Row(3), ocr2Row(4)];
    await writeFile(f('array.json'), JSON.stringify(rows, null, 2));
    await writeFile(
      f('array-bom.json'),
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(rows))]),
    );
    for (const [file, name] of [
      ['array.json', 'arr'],
      ['array-bom.json', 'arrbom'],
    ] as const) {
      const r = await t.call('data.import', { paths: [f(file)], name, wait: true });
      expect(r.result?.rows).toBe(2);
      const q = await t.call('sql.query', { sql: `SELECT id, response FROM ds_${name} ORDER BY row_id` });
      expect(q.rows).toEqual(rows.map((x) => [x['id'], x['r1_generation']]));
    }
  });

  it('names the file and line of a broken JSON array', async () => {
    await writeFile(f('broken.json'), '[\n  {"id": "a", "response": "x"},\n  {"id": "b", "response": "y",,}\n]\n');
    const e = await refusal(t.call('data.import', { paths: [f('broken.json')], name: 'broken', wait: true }));
    expect(e.message).toMatch(new RegExp(`^${f('broken.json')}, line 3: malformed JSON`));
    expect(e.details?.line).toBe(3);
  });

  it('names the line and the field counts of a ragged CSV', async () => {
    await writeFile(f('ragged.csv'), 'prompt,response\r\n"a, quoted",x\r\nb,y,extra\r\nc,z\r\n');
    const e = await refusal(t.call('data.import', { paths: [f('ragged.csv')], name: 'ragged', wait: true }));
    expect(e.message).toBe(`${f('ragged.csv')}, line 3: 3 fields, but the header has 2`);
    expect(e.details).toMatchObject({ file: f('ragged.csv'), line: 3 });
    const p = await refusal(t.call('data.preview', { paths: [f('ragged.csv')] }));
    expect(p.message).toContain('line 3: 3 fields');
  });

  it('reads a CSV with a byte order mark and CRLF line ends', async () => {
    await writeFile(
      f('bom.csv'),
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('prompt,response\r\n"q, 1",r1\r\nq2,r2\r\n')]),
    );
    const r = await t.call('data.import', { paths: [f('bom.csv')], name: 'bomcsv', wait: true });
    const q = await t.call('sql.query', { sql: 'SELECT question, response FROM ds_bomcsv ORDER BY row_id' });
    expect(r.result?.rows).toBe(2);
    expect(q.rows).toEqual([
      ['q, 1', 'r1'],
      ['q2', 'r2'],
    ]);
  });

  it("refuses TACO's list-valued output as the response unless the mapping unwraps it", async () => {
    if (!existsSync(TACO_EXAMPLE)) {
      console.warn(`skipped: ${TACO_EXAMPLE} is absent`);
      return;
    }
    const source = JSON.parse(readFileSync(TACO_EXAMPLE, 'utf8')) as {
      task_id: unknown;
      prompt: string;
      output: string[];
    }[];
    const p = await t.call('data.preview', { paths: [TACO_EXAMPLE] });
    expect(p.roles.response).toBe('output');
    expect(p.roles.question).toBe('prompt');
    const e = await refusal(t.call('data.import', { paths: [TACO_EXAMPLE], name: 'taco-gen', wait: true }));
    expect(e.message).toContain('column "output" (the response) holds lists');
    expect(e.message).toContain(TACO_EXAMPLE);
    const r = await t.call('data.import', {
      paths: [TACO_EXAMPLE],
      name: 'taco-gen',
      unwrap: { response: 'first' },
      wait: true,
    });
    expect(r.result?.rows).toBe(source.length);
    const q = await t.call('sql.query', {
      sql: 'SELECT question, response FROM ds_taco_gen ORDER BY row_id',
      limit: 5000,
    });
    expect(q.rows).toEqual(source.map((s) => [s.prompt, s.output[0]]));
    expect(q.rows.some((row) => String(row[1]).startsWith('['))).toBe(false);
  });

  it('imports the real DeepSeek-R1 MATH-500 traces with the right roles (full_response, is_correct, prompt)', async () => {
    if (!existsSync(MATH500)) {
      console.warn(`skipped: ${MATH500} is absent`);
      return;
    }
    for (const [file, name, open, close] of [
      ['math500_deepseek_r1.jsonl', 'r1', 20, 20],
      ['pilot_math500_qwen7b.jsonl', 'qwen7b', 0, 19],
    ] as const) {
      const path = join(MATH500, file);
      const p = await t.call('data.preview', { paths: [path] });
      expect(p.roles).toMatchObject({ question: 'prompt', response: 'full_response', correct: 'is_correct' });
      const r = await t.call('data.import', { paths: [path], name, wait: true });
      expect(r.result?.rows).toBe(20);
      const q = await t.call('sql.query', {
        sql: `SELECT count(*) FILTER (WHERE think_open), count(*) FILTER (WHERE think_close), count(correct), count(*) FILTER (WHERE question = '' OR response = '') FROM ds_${name}`,
      });
      expect(q.rows[0]).toEqual([open, close, 20, 0]);
    }
  });
});
