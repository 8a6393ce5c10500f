import { z } from 'zod';
import { method } from './define';
import { empty } from './common';

export const runSchema = z.object({
  id: z.string(),
  name: z.string(),
  student: z.string(),
  /** Number of training examples; 0 is the untrained baseline; null when unknown. */
  size: z.number().int().nullable(),
  partition: z.string(),
  seed: z.number().int().nullable(),
  status: z.string(),
  labels: z.record(z.string(), z.string()),
  /** Metric name → value, e.g. pass@1, pass@1/easy, completion_rate, think_rate. */
  metrics: z.record(z.string(), z.number()),
  problems: z.number().int(),
  source: z.string(),
  isDemo: z.boolean(),
  createdAt: z.string(),
});
export type Run = z.infer<typeof runSchema>;

/** One benchmark problem in one run: how its generations fared. */
export const runProblemSchema = z.object({
  questionId: z.string(),
  title: z.string().nullable(),
  platform: z.string().nullable(),
  difficulty: z.string().nullable(),
  n: z.number().int(),
  passed: z.number().int(),
  /** passed / n, LiveCodeBench's per-problem pass@1. */
  pass1: z.number(),
  completed: z.number().int().nullable(),
  thinkTags: z.number().int().nullable(),
});
export type RunProblem = z.infer<typeof runProblemSchema>;

export const problemOutputSchema = z.object({
  index: z.number().int(),
  output: z.string(),
  /** The code LiveCodeBench extracted and ran; null when the results file does not hold it. */
  code: z.string().nullable(),
  passed: z.boolean().nullable(),
  /** LiveCodeBench's grading detail for this generation (error, expected and actual output), as it wrote it. */
  detail: z.string().nullable(),
});
export type ProblemOutput = z.infer<typeof problemOutputSchema>;

export const problemDetailSchema = z.object({
  questionId: z.string(),
  title: z.string().nullable(),
  platform: z.string().nullable(),
  difficulty: z.string().nullable(),
  contestDate: z.string().nullable(),
  content: z.string().nullable(),
  starterCode: z.string().nullable(),
  /** Every run that answered the problem (the asked-for ones, in that order), with its generations. */
  runs: z.array(
    z.object({
      run: runSchema,
      n: z.number().int(),
      passed: z.number().int(),
      pass1: z.number(),
      outputs: z.array(problemOutputSchema),
    }),
  ),
});
export type ProblemDetail = z.infer<typeof problemDetailSchema>;

export const runsMethods = {
  'runs.list': method('Runs with their metrics', empty, z.object({ runs: z.array(runSchema) })),
  'runs.problems': method(
    "A run's benchmark problems: difficulty, pass@1, completion; whether the generations' text is stored",
    z.object({ id: z.string().min(1) }),
    z.object({ run: runSchema, problems: z.array(runProblemSchema), withOutputs: z.number().int() }),
  ),
  'runs.problem': method(
    "One problem across runs: its question and every run's generations with extracted code and graded result",
    z.object({
      questionId: z.string().min(1),
      /** These runs first, in this order; empty = every run that answered the problem. */
      runIds: z.array(z.string()).default([]),
      /** Only the given runs (else the given ones first, then the rest). */
      only: z.boolean().default(false),
    }),
    problemDetailSchema,
  ),
};
