import { writeFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';

/** One OpenCodeReasoning-2-shaped row: every column a string, judgement right/wrong. */
export const ocr2Row = (i: number, over: Record<string, unknown> = {}): Record<string, unknown> => ({
  id: `id-${i}`,
  question_id: `q${i % 7}`,
  question: `Problem ${i % 7}: read n and print n squared.`,
  r1_generation: `<think>\nthinking about ${i}\n</think>\nHere it is:\n\`\`\`python\nprint(int(input())**2) # ${i}\n\`\`\`\n`,
  qwq_critique: 'fine',
  solution: 'print(int(input())**2)',
  judgement: i % 3 === 0 ? 'wrong' : 'right',
  pass_rate: i % 3 === 0 ? '0.5' : '1.0',
  source: i % 2 ? 'codeforces' : 'taco',
  license: 'cc-by-4.0',
  dataset: 'taco',
  split: 'train',
  difficulty: ['EASY', 'MEDIUM', 'HARD', 'UNKNOWN_DIFFICULTY'][i % 4],
  index: String(i),
  ...over,
});

export const jsonl = (rows: readonly Record<string, unknown>[]): string =>
  rows.map((r) => JSON.stringify(r)).join('\n') + '\n';

export const writeOcr2 = async (path: string, n: number, over: (i: number) => Record<string, unknown> = () => ({})) => {
  const text = jsonl(Array.from({ length: n }, (_, i) => ocr2Row(i, over(i))));
  await writeFile(path, path.endsWith('.gz') ? gzipSync(text) : text);
  return path;
};
