import { seededRandom } from '../../../shared/domain/random';
import type { Session } from '../engine/engine';
import { insertRun, type ProblemResult } from '../runs/store';

/** pass@1 by difficulty at each training size, shaped like the seed study: a valley at 1K, then recovery. */
const curves: Record<string, Record<number, [number, number, number]>> = {
  'Qwen2.5-7B-Instruct': { 0: [0.74, 0.27, 0.05], 1000: [0.58, 0.14, 0.02], 10000: [0.79, 0.33, 0.07], 30000: [0.86, 0.44, 0.11] },
  'Llama3.1-8B-Instruct': { 0: [0.38, 0.07, 0.01], 1000: [0.27, 0.03, 0.0], 10000: [0.49, 0.12, 0.02], 30000: [0.6, 0.19, 0.04] },
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

const problemsFor = (rand: () => number, rates: [number, number, number], size: number): ProblemResult[] => {
  const out: ProblemResult[] = [];
  let id = 0;
  (['easy', 'medium', 'hard'] as const).forEach((difficulty, d) => {
    for (let i = 0; i < PROBLEMS[difficulty]; i++) {
      const completed = rand() < (completion[size] ?? 0.9) ? 1 : 0;
      const passed = completed && rand() < Math.min(1, (rates[d] ?? 0) / (completion[size] ?? 1)) ? 1 : 0;
      out.push({
        questionId: `demo-lcb-${(id++).toString().padStart(4, '0')}`,
        difficulty,
        n: 1,
        passed,
        completed,
        thinkTags: rand() < (thinking[size] ?? 1) ? 1 : 0,
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
          id: `demo-${short}-all-${size}`, name: `${short} · all · ${size}`, student, size, partition: 'all', seed: 1,
          status: 'done', labels: { demo: 'true' }, source: '(generated demo data)', isDemo: true,
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
          id: `demo-${short}-${partition}-${size}`, name: `${short} · ${partition} · ${size}`, student, size, partition,
          seed: 1, status: 'done', labels: { demo: 'true' }, source: '(generated demo data)', isDemo: true,
        },
        problemsFor(rand, [base[0] * factor, base[1] * factor, base[2] * factor], size),
      );
      count++;
    }
  }
  return count;
};
