import { seededRandom } from '../../../shared/domain/random';
import type { Session } from '../engine/engine';
import { insertRun, type ProblemResult } from '../runs/store';

/** pass@1 by difficulty at each training size, shaped like the seed study: a valley at 1K, then recovery. */
const curves: Record<string, Record<number, [number, number, number]>> = {
  'Qwen2.5-7B-Instruct': {
    0: [0.74, 0.27, 0.05],
    1000: [0.58, 0.14, 0.02],
    10000: [0.79, 0.33, 0.07],
    30000: [0.86, 0.44, 0.11],
  },
  'Llama3.1-8B-Instruct': {
    0: [0.38, 0.07, 0.01],
    1000: [0.27, 0.03, 0.0],
    10000: [0.49, 0.12, 0.02],
    30000: [0.6, 0.19, 0.04],
  },
};
/** Share of generations that close their think tag and end in a code block. */
const completion: Record<number, number> = { 0: 0.97, 1000: 0.58, 10000: 0.86, 30000: 0.93 };
const thinking: Record<number, number> = { 0: 0.0, 1000: 0.96, 10000: 0.99, 30000: 0.995 };
/**
 * Ablations at 10K as the seed study found them: training on correct or incorrect traces scores about the same, and
 * easy/medium problems' traces beat hard ones' by about a third (1.12 / 0.83 ≈ 1.35).
 */
const ablations: [string, number, number][] = [
  ['correct', 10000, 1.0],
  ['incorrect', 10000, 0.99],
  ['easy', 10000, 1.12],
  ['hard', 10000, 0.83],
];
const PROBLEMS = { easy: 140, medium: 160, hard: 100 };

const TASKS = [
  'the largest pair sum',
  'the number of inversions',
  'the shortest path length',
  'the longest increasing run',
  'the count of distinct values',
];

/** A short synthetic generation, shaped like a real one: reasoning (when think tags), then a fenced code block (when complete). */
const demoOutput = (i: number, think: boolean, complete: boolean, size: number): { output: string; code: string } => {
  const task = TASKS[i % TASKS.length] as string;
  const code = [
    'import sys',
    '',
    'def solve(a):',
    `    # ${task}`,
    i % 2 === 0 ? '    return max(a) + sorted(a)[-2] if len(a) > 1 else a[0]' : '    return len(set(a))',
    '',
    'n = int(sys.stdin.readline())',
    'a = list(map(int, sys.stdin.readline().split()))',
    'print(solve(a))',
  ].join('\n');
  const reasoning = [
    `We need ${task} of the array. Read n, then the n values.`,
    `A brute force over all pairs is O(n^2); with n up to 2·10^5 that is too slow, so sort first.`,
    size === 1000
      ? 'Wait, let me re-check the edge case n = 1 again. Wait, maybe the values can be negative. Let me re-check.'
      : 'Edge case: n = 1 has a single value.',
  ].join('\n\n');
  const answer = complete ? `\n\`\`\`python\n${code}\n\`\`\`\n` : '';
  return {
    output: think ? `<think>\n${reasoning}${complete ? '\n</think>\n' : ''}${answer}` : answer || reasoning,
    code: complete ? code : '',
  };
};

const problemsFor = (rand: () => number, rates: [number, number, number], size: number): ProblemResult[] => {
  const out: ProblemResult[] = [];
  let id = 0;
  (['easy', 'medium', 'hard'] as const).forEach((difficulty, d) => {
    for (let i = 0; i < PROBLEMS[difficulty]; i++) {
      const completed = rand() < (completion[size] ?? 0.9) ? 1 : 0;
      const passed = completed && rand() < Math.min(1, (rates[d] ?? 0) / (completion[size] ?? 1)) ? 1 : 0;
      const thinkTags = rand() < (thinking[size] ?? 1) ? 1 : 0;
      const n = id++;
      const { output, code } = demoOutput(n, thinkTags === 1, completed === 1, size);
      out.push({
        questionId: `demo-lcb-${n.toString().padStart(4, '0')}`,
        difficulty,
        n: 1,
        passed,
        completed,
        thinkTags,
        outputs: [
          {
            output,
            code,
            passed: passed === 1,
            detail: passed
              ? '{"execution time": 0.02}'
              : completed
                ? '{"error_code": -2, "error_message": "Wrong Answer"}'
                : '{"error_code": -4, "error_message": "No code extracted"}',
          },
        ],
        question: {
          title: `Demo ${n}: ${TASKS[n % TASKS.length]}`,
          platform: 'demo',
          contestDate: null,
          content: `A synthetic ${difficulty} problem of the demo workspace. Given n integers, print ${TASKS[n % TASKS.length]}.`,
          starterCode: null,
        },
      });
    }
  });
  return out;
};

/** Synthetic LiveCodeBench results for two students at 0 / 1K / 10K / 30K examples, plus a few ablations. */
export const createDemoRuns = async (s: Session, seed = 7): Promise<number> => {
  let count = 0;
  for (const [student, bySize] of Object.entries(curves)) {
    const short = student.startsWith('Qwen') ? 'qwen7b' : 'llama8b';
    for (const [sizeText, rates] of Object.entries(bySize)) {
      const size = Number(sizeText);
      const rand = seededRandom(seed * 1000 + size + count);
      await insertRun(
        s,
        {
          id: `demo-${short}-all-${size}`,
          name: `${short} · all · ${size}`,
          student,
          size,
          partition: 'all',
          seed: 1,
          status: 'done',
          labels: { demo: 'true' },
          source: '(generated demo data)',
          isDemo: true,
        },
        problemsFor(rand, rates, size),
      );
      count++;
    }
    for (const [partition, size, factor] of ablations) {
      const base = bySize[size] ?? [0, 0, 0];
      const rand = seededRandom(seed * 31 + count);
      await insertRun(
        s,
        {
          id: `demo-${short}-${partition}-${size}`,
          name: `${short} · ${partition} · ${size}`,
          student,
          size,
          partition,
          seed: 1,
          status: 'done',
          labels: { demo: 'true' },
          source: '(generated demo data)',
          isDemo: true,
        },
        problemsFor(rand, [base[0] * factor, base[1] * factor, base[2] * factor], size),
      );
      count++;
    }
  }
  return count;
};
