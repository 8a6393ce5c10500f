import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBackend, type TestBackend } from '../helpers/workspace';
import { jsonl, ocr2Row } from '../helpers/trace-files';
import { refusal } from '../helpers/refusal';

type Obj = Record<string, unknown>;
interface Example {
  input: string;
  output: string;
}

/** Source problems in each Hugging Face layout (BAAI/TACO, codeparrot/apps, deepmind/code_contests, open-r1/codeforces). */
const taco = (split: string, i: number): Obj => ({
  question: `TACO ${split} ${i}: given n, print n + ${i}.`,
  solutions: '["print(1)"]',
  starter_code: '',
  input_output: '{"inputs": [], "outputs": []}',
  difficulty: ['EASY', 'MEDIUM_HARD', 'hard'][i % 3],
  raw_tags: "['Math']",
  name: `taco-${split}-${i}`,
  source: 'codeforces',
  tags: "['Math']",
  skill_types: '[]',
  url: 'https://codeforces.com',
  'Expected Auxiliary Space': null,
  time_limit: '1 seconds',
  date: '2020',
  picture_num: '0',
  memory_limit: '256 megabytes',
  'Expected Time Complexity': null,
});
const apps = (split: string, i: number): Obj => ({
  problem_id: (split === 'train' ? 0 : 4000) + i,
  question: `APPS ${split} ${i}: read a string and reverse it ${i} times.`,
  solutions: '["print(input()[::-1])"]',
  input_output: '{"inputs": ["ab\\n"], "outputs": ["ba\\n"]}',
  difficulty: 'interview',
  url: 'https://atcoder.jp',
  starter_code: '',
});
const tests = (n: number) => ({
  input: Array.from({ length: n }, (_, k) => `${k}\n`),
  output: Array.from({ length: n }, (_, k) => `${k * 2}\n`),
});
const codeContests = (split: string, i: number): Obj => ({
  name: `${i}_cc_${split}`,
  description: `CodeContests ${split} ${i}\n\nYou are given an array of ${i + 2} integers.`,
  public_tests: tests(1),
  private_tests: tests(2),
  generated_tests: tests(3),
  source: 2,
  difficulty: 7 + i,
  solutions: { language: [3], solution: ['print(0)'] },
  incorrect_solutions: { language: [], solution: [] },
  cf_contest_id: 1000 + i,
  cf_index: 'A',
  cf_points: 500,
  cf_rating: 800 + 100 * i,
  cf_tags: ['greedy'],
  is_description_translated: false,
  untranslated_description: '',
  time_limit: { seconds: 2, nanos: 0 },
  memory_limit_bytes: 256000000,
  input_file: '',
  output_file: '',
});
const codeforces = (split: string, i: number): Obj => ({
  id: `${1900 + i}/${split === 'train' ? 'A' : 'B'}`,
  aliases: null,
  contest_id: String(1900 + i),
  contest_name: `Round ${i}`,
  contest_type: 'CF',
  contest_start: 1700000000 + i,
  contest_start_year: 2023,
  index: split === 'train' ? 'A' : 'B',
  time_limit: 1,
  memory_limit: 256,
  title: `Problem ${i}`,
  description: `Codeforces ${split} ${i}: Alice has $$$${i}$$$ apples.`,
  input_format: i === 2 ? '' : `The first line contains $$$t$$$ (${i}).`,
  output_format: `Print the answer for ${i}.`,
  interaction_format: null,
  note: i % 2 === 0 ? null : `In the first test, ${i} apples.`,
  examples:
    i === 3 ? [] : Array.from({ length: 1 + (i % 2) }, (_, k) => ({ input: `${k + i}\n`, output: `${(k + i) * 2}\n` })),
  editorial: null,
  rating: 800 + 100 * i,
  tags: ['math'],
  testset_size: 3,
  official_tests: [],
  official_tests_complete: true,
  input_mode: 'stdio',
  generated_checker: null,
  executable: true,
  generated_tests: 0,
});

/** OCR2's card recipe for open-r1/codeforces, written out independently of Valley's SQL. */
const recipeCodeforces = (b: Obj): string => {
  let q = String(b['description']);
  if (b['input_format']) q += `\n\nInput\n\n${String(b['input_format'])}`;
  if (b['output_format']) q += `\n\nOutput\n\n${String(b['output_format'])}`;
  const examples = b['examples'] as Example[];
  if (examples.length) {
    q += '\n\nExamples';
    for (const e of examples) q += `\n\nInput\n\n${e.input}\n\nOutput\n\n${e.output}`;
  }
  if (b['note']) q += `\n\nNote\n\n${String(b['note'])}`;
  return q;
};

const layout = {
  taco: {
    make: taco,
    splits: { train: 6, test: 3 },
    text: (b: Obj) => String(b['question']),
    ocr2: 'taco',
    folder: 'BAAI-TACO/ALL',
  },
  apps: {
    make: apps,
    splits: { train: 5, test: 4 },
    text: (b: Obj) => String(b['question']),
    ocr2: 'apps',
    folder: 'codeparrot-apps/data',
  },
  code_contests: {
    make: codeContests,
    splits: { train: 4, valid: 2 },
    text: (b: Obj) => String(b['description']),
    ocr2: 'code_contests',
    folder: 'deepmind-code_contests/data',
  },
  codeforces: {
    make: codeforces,
    splits: { train: 5, test: 2 },
    text: recipeCodeforces,
    ocr2: 'open-r1/codeforces',
    folder: 'open-r1-codeforces/data',
  },
} as const;
type SourceName = keyof typeof layout;

/** The OCR2 rows: (source, split, index) each, question '-'. */
const pointers: [SourceName, string, number][] = [
  ['taco', 'train', 0],
  ['taco', 'train', 5],
  ['taco', 'test', 2],
  ['taco', 'train', 3],
  ['apps', 'test', 3],
  ['apps', 'train', 1],
  ['apps', 'test', 0],
  ['code_contests', 'train', 1],
  ['code_contests', 'train', 3],
  ['code_contests', 'valid', 0],
  ['codeforces', 'train', 0],
  ['codeforces', 'train', 1],
  ['codeforces', 'train', 2],
  ['codeforces', 'train', 3],
  ['codeforces', 'test', 1],
];

describe('the OpenCodeReasoning-2 question join, for all four sources in their Hugging Face layouts', () => {
  let t: TestBackend;
  const f = (name: string) => join(t.dir, name);
  const sql = async (q: string) => (await t.call('sql.query', { sql: q, limit: 10_000 })).rows;
  const importSource = async (name: SourceName) => {
    const l = layout[name];
    const dir = f(l.folder);
    await mkdir(dir, { recursive: true });
    for (const [split, n] of Object.entries(l.splits)) {
      const rows = Array.from({ length: n }, (_, i) => l.make(split, i));
      const tmp = f(`${name}-${split}.jsonl`);
      await writeFile(tmp, jsonl(rows));
      // Parquet shards as the Hub stores them: <split>-00000-of-00001.parquet
      await t.backend.services.workspace.engine.run(
        `COPY (SELECT * FROM read_json('${tmp}')) TO '${join(dir, `${split}-00000-of-00001.parquet`)}' (FORMAT PARQUET)`,
      );
    }
    return t.call('data.import', { paths: [dir], name: `src-${name}`, wait: true });
  };
  const expected = pointers.map(([name, split, i]) => layout[name].text(layout[name].make(split, i)));

  beforeAll(async () => {
    t = await startTestBackend();
    await writeFile(
      f('ocr2.jsonl'),
      jsonl(
        pointers.map(([name, split, i], k) =>
          ocr2Row(k, { question: '-', dataset: layout[name].ocr2, split, index: String(i) }),
        ),
      ),
    );
    await t.call('data.import', { paths: [f('ocr2.jsonl')], name: 'ocr2', wait: true });
  });
  afterAll(async () => t.close());

  it('without the sources, subsets refuse naming the count, and the Data screen says which source is missing', async () => {
    const e = await refusal(
      t.call('curate.subsets.save', { name: 'all', spec: { dataset: 'ocr2', sizes: [pointers.length], seed: 1 } }),
    );
    expect(e.message).toContain(
      `${pointers.length} rows are not fit for training (${pointers.length} with the prompt '-'`,
    );
    const s = await t.call('data.questionSources', {});
    expect(s.sources.map((x) => [x.key, x.rows, x.filled, x.missing, x.source, x.hf, x.preset])).toEqual([
      ['apps', 3, 0, 3, null, 'codeparrot/apps', 'apps'],
      ['code_contests', 3, 0, 3, null, 'deepmind/code_contests', 'code_contests'],
      ['open-r1/codeforces', 5, 0, 5, null, 'open-r1/codeforces', 'codeforces'],
      ['taco', 4, 0, 4, null, 'BAAI/TACO', 'taco'],
    ]);
  });

  it('detects each layout, joins by (dataset, split, index) and composes codeforces questions as the card recipe does', async () => {
    for (const name of ['taco', 'apps', 'code_contests'] as const) {
      const r = await importSource(name);
      expect([r.result?.dataset.preset, r.result?.dataset.kind]).toEqual([name, 'source']);
    }
    const partial = await t.call('data.questionSources', { dataset: 'ocr2' });
    expect(partial.sources.map((x) => [x.key, x.filled, x.missing, x.source])).toEqual([
      ['apps', 3, 0, 'src-apps'],
      ['code_contests', 3, 0, 'src-code_contests'],
      ['open-r1/codeforces', 0, 5, null],
      ['taco', 4, 0, 'src-taco'],
    ]);
    const cf = await importSource('codeforces');
    expect(cf.result?.dataset.preset).toBe('codeforces');
    expect(cf.result?.joinedQuestions).toBe(5);
    const questions = (await sql('SELECT question FROM ds_ocr2 ORDER BY row_id')).map((r) => r[0]);
    expect(questions).toEqual(expected);
    const done = await t.call('data.questionSources', { dataset: 'ocr2' });
    expect(done.sources.every((x) => x.missing === 0 && x.filled === x.rows && x.source !== null)).toBe(true);
  });

  it('exports every prompt equal to its source text', async () => {
    await t.call('curate.subsets.save', { name: 'all', spec: { dataset: 'ocr2', sizes: [pointers.length], seed: 1 } });
    const r = await t.call('curate.export', { subset: 'all', formats: ['torchtune'], wait: true });
    const lines = (await readFile(join(r.dir, `train-${pointers.length}.jsonl`), 'utf8')).trimEnd().split('\n');
    const prompts = lines.map((l) => (JSON.parse(l) as { messages: { content: string }[] }).messages[0]?.content);
    expect([...prompts].sort()).toEqual([...expected].sort());
  });

  it('a re-import while a source is gone leaves its rows "-", and the export of the saved subset is refused naming the count', async () => {
    await t.call('data.drop', { name: 'src-codeforces' });
    await t.call('data.import', { paths: [f('ocr2.jsonl')], name: 'ocr2', replace: true, wait: true });
    const e = await refusal(
      t.call('curate.export', { subset: 'all', formats: ['torchtune'], overwrite: true, wait: true }),
    );
    expect(e.message).toMatch(/^Export of subset "all": 5 rows are not fit for training \(5 with the prompt '-'/);
    const s = await t.call('data.questionSources', { dataset: 'ocr2' });
    expect(s.sources.find((x) => x.key === 'open-r1/codeforces')).toMatchObject({
      missing: 5,
      filled: 0,
      source: null,
    });
  });
});
