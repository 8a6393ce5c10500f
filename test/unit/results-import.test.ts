import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { startTestBackend, tempDir, type TestBackend } from '../helpers/workspace';
import { writeOcr2 } from '../helpers/trace-files';
import { bpeTokenizerJson } from '../helpers/tokenizer';

let t: TestBackend;
let files: { dir: string; cleanup: () => Promise<void> };
beforeAll(async () => {
  t = await startTestBackend();
  files = await tempDir('valley-results-');
});
afterAll(async () => {
  await t.close();
  await files.cleanup();
});
const f = (name: string) => join(files.dir, name);

const lcbDir = resolve(__dirname, '../../../shared/data/livecodebench');
const lcbFile = existsSync(lcbDir) ? readdirSync(lcbDir).find((n) => n.endsWith('_eval_all.json')) : undefined;

describe('LiveCodeBench results', () => {
  it.skipIf(!lcbFile)('reproduces LiveCodeBench pass@1 on the real O1-mini eval_all.json (../shared)', async () => {
    const { result } = await t.call('results.import', {
      paths: [join(lcbDir, lcbFile as string)],
      labels: { student: 'o1-mini', size: '0', partition: 'all', seed: '1' },
    });
    const run = result?.runs[0];
    expect(run?.problems).toBe(880);
    expect(run?.metrics['pass@1']).toBeCloseTo(0.684091, 6);
    expect(run?.metrics['pass@1/easy']).toBeCloseTo(0.949821, 6);
    expect(run?.metrics['pass@1/medium']).toBeCloseTo(0.734139, 6);
    expect(run?.metrics['pass@1/hard']).toBeCloseTo(0.348148, 6);
    expect(run).toMatchObject({ student: 'o1-mini', size: 0, partition: 'all', seed: 1 });
    // no think tags: complete = a final code block anywhere; 879 of its 880 outputs end in one
    expect(run?.metrics['completion_rate']).toBeCloseTo(879 / 880, 12);
    expect(run?.metrics['think_rate']).toBe(0);
  });

  const qwenFile = join(lcbDir, 'Qwen2.5-Ins-7B', 'Scenario.codegeneration_1_0.2_eval_all.json');
  it.skipIf(!existsSync(qwenFile))(
    "names a run in LiveCodeBench's own layout (<model>/Scenario.…) after its model folder",
    async () => {
      const { result } = await t.call('results.import', { paths: [qwenFile] });
      const run = result?.runs[0];
      expect(run?.student).toBe('Qwen2.5-Ins-7B');
      expect(run?.name).toBe('Qwen2.5-Ins-7B codegeneration_1_0.2');
      expect(run?.problems).toBe(1055);
      expect(run?.metrics['pass@1']).toBeCloseTo(0.238863, 6);
      expect(run?.metrics['pass@1/easy']).toBeCloseTo(0.549689, 6);
      expect(run?.metrics['pass@1/medium']).toBeCloseTo(0.180157, 6);
      expect(run?.metrics['pass@1/hard']).toBeCloseTo(0.017143, 6);
    },
  );
  if (!existsSync(qwenFile)) console.warn(`SKIPPED: ${qwenFile} is absent (../shared)`);

  it('defines completion for reasoning and non-reasoning outputs alike', async () => {
    const code = '```python\nprint(1)\n```';
    await writeFile(
      f('kinds_eval_all.json'),
      JSON.stringify([
        {
          question_id: 'plain',
          difficulty: 'easy',
          output_list: [`Here:\n${code}`, 'no code at all'],
          graded_list: [true, false],
        },
        {
          question_id: 'think',
          difficulty: 'easy',
          output_list: [`<think>x</think>\n${code}`, `<think>${code}</think>\nno code after`],
          graded_list: [true, false],
        },
        {
          question_id: 'distill',
          difficulty: 'hard',
          output_list: [`x</think>\n${code}`, `<think>${code}`],
          graded_list: [true, false],
        },
      ]),
    );
    const { result } = await t.call('results.import', { paths: [f('kinds_eval_all.json')] });
    expect(result?.runs[0]?.metrics['completion_rate']).toBeCloseTo(3 / 6, 12);
    expect(result?.runs[0]?.metrics['think_rate']).toBeCloseTo(4 / 6, 12);
  });

  it('merges the _eval.json and _eval_all.json of one run; without generations completion is unknown, not 0', async () => {
    const dir = f('Model-X');
    await mkdir(dir, { recursive: true });
    const evalAll = join(dir, 'Scenario.codegeneration_1_0.2_eval_all.json');
    const evalOnly = join(dir, 'Scenario.codegeneration_1_0.2_eval.json');
    await writeFile(
      evalAll,
      JSON.stringify([
        { question_id: 'q0', difficulty: 'easy', output_list: ['```\nx\n```'], graded_list: [true] },
        { question_id: 'q1', difficulty: 'hard', output_list: ['none'], graded_list: [false] },
      ]),
    );
    await writeFile(evalOnly, JSON.stringify([{ 'pass@1': 50 }, { '0': [[true]], '1': [[false]] }, [{}, {}]]));
    const alone = await t.call('results.import', { paths: [evalOnly] });
    expect(alone.result?.runs[0]?.metrics['pass@1']).toBeCloseTo(0.5, 12);
    expect(alone.result?.runs[0]?.metrics['completion_rate']).toBeUndefined();
    expect(alone.result?.runs[0]?.metrics['think_rate']).toBeUndefined();
    const both = await t.call('results.import', { paths: [evalAll, evalOnly] });
    expect(new Set(both.result?.files.flatMap((x) => x.runs)).size).toBe(1);
    const runs = (await t.call('runs.list', {})).runs.filter((r) => r.student === 'Model-X');
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ name: 'Model-X codegeneration_1_0.2', source: evalAll, problems: 2 });
    expect(runs[0]?.metrics['completion_rate']).toBe(0.5);
    // the _eval.json alone again does not replace what the _eval_all.json said
    await t.call('results.import', { paths: [evalOnly] });
    expect((await t.call('runs.list', {})).runs.find((r) => r.student === 'Model-X')?.source).toBe(evalAll);
  });
  if (!lcbFile) console.warn(`SKIPPED: the real LiveCodeBench file is not at ${lcbDir} (../shared absent)`);

  it('computes pass@1, completion and think-tag rates from graded_list and output_list', async () => {
    const done = '<think>ok</think>\n```python\nprint(1)\n```';
    const cut = '<think>still thinking';
    await writeFile(
      f('student_eval_all.json'),
      JSON.stringify([
        {
          question_id: 'a',
          difficulty: 'easy',
          output_list: [done, done, cut, 'no code'],
          graded_list: [true, true, false, false],
          'pass@1': 0.5,
        },
        { question_id: 'b', difficulty: 'hard', output_list: [done, cut], graded_list: [true, false], pass1: 0.5 },
        { question_id: 'c', difficulty: 'hard', output_list: [cut, cut], graded_list: [false, false] },
      ]),
    );
    const { result } = await t.call('results.import', {
      paths: [f('student_eval_all.json')],
      labels: { size: '1000' },
    });
    const m = result?.runs[0]?.metrics ?? {};
    expect(m['pass@1']).toBeCloseTo((0.5 + 0.5 + 0) / 3, 12);
    expect(m['pass@1/easy']).toBeCloseTo(0.5, 12);
    expect(m['pass@1/hard']).toBeCloseTo(0.25, 12);
    expect(m['completion_rate']).toBeCloseTo(3 / 8, 12);
    expect(m['think_rate']).toBeCloseTo(7 / 8, 12);
    // importing the same file again replaces its run instead of adding one
    await t.call('results.import', { paths: [f('student_eval_all.json')], labels: { size: '1000' } });
    expect((await t.call('runs.list', {})).runs.filter((r) => r.source === f('student_eval_all.json'))).toHaveLength(1);
  });

  it('reads *_eval.json [metrics, results, metadata]', async () => {
    await writeFile(
      f('x_eval.json'),
      JSON.stringify([
        { 'pass@1': 50 },
        {
          '0': [
            [true, true],
            [true, -1],
          ],
          '1': [[false], [-2]],
        },
        [{}, {}],
      ]),
    );
    const { result } = await t.call('results.import', { paths: [f('x_eval.json')] });
    expect(result?.files[0]?.format).toBe('lcb-eval');
    expect(result?.runs[0]?.metrics['pass@1']).toBeCloseTo(0.25, 12);
  });
});

describe('training logs and runs CSV', () => {
  it('stores a torchtune DiskLogger log as a training curve, in text and JSON Lines form', async () => {
    await writeFile(
      f('log_1.txt'),
      'Step 1 | loss:1.5 lr:2e-05 tokens_per_second_per_gpu:1200.5\nStep 2 | loss:1.25 lr:2e-05 tokens_per_second_per_gpu:1210\nnoise\nStep 3 | loss:0.9 lr:1e-05\n',
    );
    const { result } = await t.call('results.import', {
      paths: [f('log_1.txt')],
      labels: { student: 'qwen-7b', size: '10000' },
    });
    const run = result?.runs[0];
    expect(run?.metrics['train_loss']).toBe(0.9);
    const { points } = await t.call('runs.curve', { id: run?.id ?? '', metric: 'loss' });
    expect(points.map((p) => [p.step, p.value])).toEqual([
      [1, 1.5],
      [2, 1.25],
      [3, 0.9],
    ]);
    await writeFile(f('log.jsonl'), '{"step": 1, "loss": 2.0, "lr": 0.1}\n{"step": 2, "name": "loss", "value": 1.0}\n');
    const j = await t.call('results.import', { paths: [f('log.jsonl')], runId: run?.id });
    expect(j.result?.runs[0]?.id).toBe(run?.id);
    const after = await t.call('runs.curve', { id: run?.id ?? '' });
    expect(after.points.filter((p) => p.metric === 'loss').map((p) => p.value)).toEqual([2, 1]);
  });

  it('reads a runs CSV with extra columns as labels, and names a bad line', async () => {
    await writeFile(
      f('runs.csv'),
      'model,size,partition,seed,metric,value,lr\nqwen,1000,correct,1,pass@1,0.31,1e-5\nqwen,1000,correct,1,completion_rate,0.9,1e-5\nqwen,10000,correct,1,pass@1,0.42,1e-5\n',
    );
    const { result } = await t.call('results.import', { paths: [f('runs.csv')] });
    expect(result?.runs).toHaveLength(2);
    const small = result?.runs.find((r) => r.size === 1000);
    expect(small).toMatchObject({ student: 'qwen', partition: 'correct', seed: 1, labels: { lr: '1e-5' } });
    expect(small?.metrics).toMatchObject({ 'pass@1': 0.31, completion_rate: 0.9 });
    await writeFile(f('bad.csv'), 'model,size,partition,seed,metric,value\nqwen,1000,all,1,pass@1,high\n');
    await expect(t.call('results.import', { paths: [f('bad.csv')] })).rejects.toThrow(
      /bad\.csv, line 2: value "high" is not a number/,
    );
  });

  it('edits run labels, including the ones with their own columns', async () => {
    const run = (await t.call('runs.list', {})).runs.find((r) => r.source === f('runs.csv'));
    const { run: edited } = await t.call('runs.update', {
      id: run?.id ?? '',
      name: 'renamed',
      labels: { size: '30000', note: 'rerun', lr: null },
    });
    expect(edited).toMatchObject({ name: 'renamed', size: 30000, labels: { note: 'rerun', size: '30000' } });
    expect(edited.labels['lr']).toBeUndefined();
    await expect(t.call('runs.update', { id: run?.id ?? '', labels: { seed: 'x' } })).rejects.toThrow(/whole number/);
    expect((await t.call('runs.delete', { id: run?.id ?? '' })).deleted).toBe(true);
  });
});

describe('tokenizer', () => {
  it('counts tokens with a local tokenizer.json instead of estimating', async () => {
    const dir = f('tok');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'tokenizer.json'), bpeTokenizerJson());
    await writeFile(
      f('tok.jsonl'),
      '{"question": "q", "response": "abc ab a"}\n{"question": "q", "response": "abcabc"}\n',
    );
    const { result } = await t.call('data.import', {
      paths: [f('tok.jsonl')],
      name: 'tok',
      tokenizer: join(dir, 'tokenizer.json'),
      wait: true,
    });
    expect(result?.dataset.tokensEstimated).toBe(false);
    const q = await t.call('sql.query', { sql: 'SELECT tokens FROM ds_tok ORDER BY row_id' });
    expect(q.rows.flat()).toEqual([3, 2]);
    await writeOcr2(f('est.jsonl'), 2);
    const est = await t.call('data.import', { paths: [f('est.jsonl')], name: 'est', wait: true });
    expect(est.result?.dataset.tokensEstimated).toBe(true);
  });
});
