import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { startTestBackend, tempDir, type TestBackend } from '../helpers/workspace';

const lcbDir = resolve(__dirname, '../../../shared/data/livecodebench');
const qwenFile = join(lcbDir, 'Qwen2.5-Ins-7B', 'Scenario.codegeneration_1_0.2_eval_all.json');
const o1File = join(lcbDir, 'O1-Mini-2024-09-12_N1_Scenario.codegeneration_1_0.2_eval_all.json');
const real = existsSync(qwenFile) && existsSync(o1File);
if (!real) console.warn(`SKIPPED real LiveCodeBench files: ${lcbDir} is absent (../shared)`);

interface LcbProblem {
  question_id: string;
  question_title: string;
  difficulty: string;
  code_list: string[];
  output_list: string[];
  graded_list: boolean[];
}

let t: TestBackend;
let files: { dir: string; cleanup: () => Promise<void> };
beforeAll(async () => {
  t = await startTestBackend();
  files = await tempDir('valley-problems-');
});
afterAll(async () => {
  await t.close();
  await files.cleanup();
});

describe('from a score to a problem', () => {
  it('keeps every generation with its extracted code and graded result, and the problem across runs', async () => {
    const file = join(files.dir, 'm_eval_all.json');
    const problems = [
      {
        question_id: 'p1',
        question_title: 'Sum',
        question_content: 'Add two numbers.',
        platform: 'atcoder',
        difficulty: 'EASY',
        output_list: ['<think>a\n\nb</think>\n```python\nprint(3)\n```', 'no code'],
        code_list: ['print(3)', ''],
        graded_list: [true, false],
        metadata: ['{"execution time": 0.01}', '{"error_code": -2, "error_message": "Wrong Answer"}'],
      },
      { question_id: 'p2', difficulty: 'hard', output_list: ['x'], graded_list: [false] },
    ];
    await writeFile(file, JSON.stringify(problems));
    const { result } = await t.call('results.import', { paths: [file], labels: { student: 's', size: '1000' } });
    const id = result?.runs[0]?.id as string;
    const list = await t.call('runs.problems', { id });
    expect(list.withOutputs).toBe(2);
    expect(list.problems).toEqual([
      {
        questionId: 'p1',
        title: 'Sum',
        platform: 'atcoder',
        difficulty: 'easy',
        n: 2,
        passed: 1,
        pass1: 0.5,
        completed: 1,
        thinkTags: 1,
      },
      {
        questionId: 'p2',
        title: null,
        platform: null,
        difficulty: 'hard',
        n: 1,
        passed: 0,
        pass1: 0,
        completed: 0,
        thinkTags: 0,
      },
    ]);
    const p = await t.call('runs.problem', { questionId: 'p1' });
    expect(p).toMatchObject({ title: 'Sum', content: 'Add two numbers.', difficulty: 'easy', platform: 'atcoder' });
    expect(p.runs.map((r) => r.run.id)).toEqual([id]);
    expect(p.runs[0]?.outputs).toEqual([
      {
        index: 0,
        output: problems[0]?.output_list[0],
        code: 'print(3)',
        passed: true,
        detail: '{"execution time": 0.01}',
      },
      {
        index: 1,
        output: 'no code',
        code: '',
        passed: false,
        detail: '{"error_code": -2, "error_message": "Wrong Answer"}',
      },
    ]);
    // re-importing the same file replaces the run's generations (no duplicates)
    await t.call('results.import', { paths: [file], labels: { student: 's', size: '1000' } });
    expect((await t.call('runs.problem', { questionId: 'p1' })).runs[0]?.outputs).toHaveLength(2);
    await expect(t.call('runs.problems', { id: 'nope' })).rejects.toMatchObject({
      code: 'not_found',
      details: { field: 'id' },
    });
    await expect(t.call('runs.problem', { questionId: 'nope' })).rejects.toMatchObject({ code: 'not_found' });
    await t.call('runs.delete', { id });
    await expect(t.call('runs.problem', { questionId: 'p1' })).rejects.toMatchObject({ code: 'not_found' });
  });

  it.skipIf(!real)(
    'reads the real Qwen2.5 and O1-mini eval_all.json down to each output, and compares them problem by problem',
    async () => {
      const { result } = await t.call('results.import', { paths: [qwenFile, o1File] });
      const qwen = result?.runs.find((r) => r.student === 'Qwen2.5-Ins-7B');
      const o1 = result?.runs.find((r) => r.source === o1File);
      const list = await t.call('runs.problems', { id: qwen?.id as string });
      expect(list.problems).toHaveLength(1055);
      expect(list.withOutputs).toBe(1055);
      const mean = list.problems.reduce((s, p) => s + p.pass1, 0) / list.problems.length;
      expect(mean).toBeCloseTo(qwen?.metrics['pass@1'] as number, 12);
      const raw = JSON.parse(await readFile(qwenFile, 'utf8')) as LcbProblem[];
      const sample = raw[17] as LcbProblem;
      const p = await t.call('runs.problem', {
        questionId: sample.question_id,
        runIds: [qwen?.id as string, o1?.id as string],
      });
      expect(p.title).toBe(sample.question_title);
      expect(p.runs.map((r) => r.run.id)).toEqual([qwen?.id, o1?.id]);
      expect(p.runs[0]?.outputs[0]?.code).toBe(sample.code_list[0]);
      expect(p.runs[0]?.outputs[0]?.output).toBe(sample.output_list[0]);
      expect(p.runs[0]?.outputs[0]?.passed).toBe(sample.graded_list[0]);
      const c = await t.call('analysis.compareRuns', { a: o1?.id as string, b: qwen?.id as string });
      // the pairs agree with the summary counts, and "solved by a, failed by b" is exactly onlyA
      expect(c.problems.length).toBe(c.both + c.neither + c.onlyA.length + c.onlyB.length);
      expect(c.problems.filter((x) => x.solvedA && !x.solvedB).map((x) => x.questionId)).toEqual(
        c.onlyA.map((x) => x.questionId),
      );
      expect(c.problems.find((x) => x.questionId === sample.question_id)?.title).toBe(sample.question_title);
    },
  );
});
