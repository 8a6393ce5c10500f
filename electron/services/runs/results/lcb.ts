import { z } from 'zod';
import { ValleyError } from '../../../../shared/api';
import { THINK_CLOSE, THINK_OPEN } from '../../../../shared/domain/trace';
import type { ProblemResult } from '../store';

/** Where in a JSON document a zod issue points, as a JSON path ($[3].graded_list). */
export const jsonPath = (path: readonly PropertyKey[]): string =>
  '$' + path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');

export const shapeError = (file: string, what: string, error: z.ZodError): ValleyError => {
  const issue = error.issues[0];
  const path = issue ? jsonPath(issue.path) : '$';
  return new ValleyError('bad_input', `${file}: not ${what}: at ${path}: ${issue?.message ?? 'unexpected shape'}`, {
    file,
    field: path,
    issues: error.issues.slice(0, 5).map((i) => ({ path: jsonPath(i.path), message: i.message })),
  });
};

const problemSchema = z
  .object({
    question_id: z.union([z.string(), z.number()]).transform(String),
    difficulty: z.string().nullish(),
    question_title: z.string().nullish(),
    question_content: z.string().nullish(),
    platform: z.string().nullish(),
    contest_date: z.string().nullish(),
    starter_code: z.string().nullish(),
    output_list: z.array(z.string()).optional(),
    code_list: z.array(z.string()).optional(),
    graded_list: z.array(z.boolean()).optional(),
    /** Per generation, LiveCodeBench's grading detail (a JSON string: error, expected, output, time). */
    metadata: z.array(z.unknown()).optional(),
    'pass@1': z.union([z.number(), z.string()]).optional(),
    pass1: z.union([z.number(), z.string()]).optional(),
  })
  .refine((p) => p.graded_list !== undefined || p['pass@1'] !== undefined || p.pass1 !== undefined, {
    message: 'a problem needs graded_list (or pass@1 / pass1)',
  });

export const evalAllSchema = z.array(problemSchema).min(1, 'the list of problems is empty');

/** A closed fenced code block: two lines containing ``` (LiveCodeBench's fence rule), even around no code. */
const hasCodeBlock = (text: string): boolean => (text.match(/^.*```.*$/gm)?.length ?? 0) >= 2;

/**
 * A complete generation, for reasoning and non-reasoning outputs alike: a fenced code block after the closing think
 * tag; or, when no think tag was opened or closed, anywhere. A think tag opened and never closed is incomplete (the
 * model ran out of tokens while thinking). Outputs whose opening tag was in the prompt (R1-distill style: only
 * `</think>`) count as closed. (Whether the block holds code is pass@1's business: LiveCodeBench extracts it.)
 */
export const completed = (output: string): boolean => {
  const close = output.lastIndexOf(THINK_CLOSE);
  if (close >= 0) return hasCodeBlock(output.slice(close + THINK_CLOSE.length));
  if (output.includes(THINK_OPEN)) return false;
  return hasCodeBlock(output);
};
export const hasThinkTag = (output: string): boolean => output.includes(THINK_OPEN) || output.includes(THINK_CLOSE);

/**
 * A LiveCodeBench `*_eval_all.json`: per problem, pass@1 = true count of graded_list / its length (as
 * LiveCodeBench computes it with one or many generations); completion and think tags from output_list.
 */
export const parseEvalAll = (file: string, data: unknown): ProblemResult[] => {
  const parsed = evalAllSchema.safeParse(data);
  if (!parsed.success) throw shapeError(file, 'a LiveCodeBench *_eval_all.json list of problems', parsed.error);
  return parsed.data.map((p) => {
    const outputs = p.output_list ?? [];
    let n: number;
    let passed: number;
    if (p.graded_list) {
      n = p.graded_list.length;
      passed = p.graded_list.filter((g) => g).length;
    } else {
      const rate = Number(p['pass@1'] ?? p.pass1);
      n = Math.max(1, outputs.length);
      passed = Math.round(rate * n);
    }
    // completion and think tags are shares of the generations the file holds; none: unknown, not 0
    const gens = outputs.slice(0, n);
    const detail = (i: number): string | null => {
      const m = p.metadata?.[i];
      return m === undefined || m === null ? null : typeof m === 'string' ? m : JSON.stringify(m);
    };
    return {
      questionId: p.question_id,
      difficulty: p.difficulty ? p.difficulty.toLowerCase() : null,
      n,
      passed,
      completed: gens.length > 0 ? gens.filter(completed).length : null,
      thinkTags: gens.length > 0 ? gens.filter(hasThinkTag).length : null,
      // each generation as LiveCodeBench graded it: its output, the code it extracted (code_list) and the verdict
      outputs: gens.map((output, i) => ({
        output,
        code: p.code_list?.[i] ?? null,
        passed: p.graded_list?.[i] ?? null,
        detail: detail(i),
      })),
      question:
        p.question_title || p.question_content
          ? {
              title: p.question_title ?? null,
              platform: p.platform ?? null,
              contestDate: p.contest_date ?? null,
              content: p.question_content ?? null,
              starterCode: p.starter_code ?? null,
            }
          : null,
    };
  });
};

const evalSchema = z.tuple(
  [
    z.object({ 'pass@1': z.number().optional() }).loose(),
    z.record(z.string(), z.array(z.array(z.union([z.boolean(), z.number()])))),
  ],
  z.unknown(),
);

/**
 * A LiveCodeBench `*_eval.json`: `[metrics, results, metadata]`, results mapping each problem's index to
 * its generations' test outcomes; a generation passes when every test passed (true or a positive code).
 */
export const parseEval = (file: string, data: unknown): ProblemResult[] => {
  const parsed = evalSchema.safeParse(data);
  if (!parsed.success) throw shapeError(file, 'a LiveCodeBench *_eval.json [metrics, results, metadata]', parsed.error);
  const results = parsed.data[1];
  return Object.entries(results).map(([index, gens]) => ({
    questionId: index,
    difficulty: null,
    n: gens.length,
    passed: gens.filter(
      (tests) => tests.length > 0 && tests.every((t) => t === true || (typeof t === 'number' && t > 0)),
    ).length,
    completed: null,
    thinkTags: null,
  }));
};
