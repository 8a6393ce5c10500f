import { z } from 'zod';
import { method } from './define';
import { userName } from './common';
import { runSchema } from './runs';
import { taskSchema } from './tasks';

export const resultFormats = ['lcb-eval-all', 'lcb-eval', 'torchtune-log', 'runs-csv'] as const;
export type ResultFormat = (typeof resultFormats)[number];

export const resultsImportResultSchema = z.object({
  files: z.array(z.object({ path: z.string(), format: z.enum(resultFormats), runs: z.array(z.string()) })),
  runs: z.array(runSchema),
});
export type ResultsImportResult = z.infer<typeof resultsImportResultSchema>;

export const curvePointSchema = z.object({ step: z.number(), metric: z.string(), value: z.number() });

export const resultsMethods = {
  'results.import': method(
    'Import evaluation results and training logs as runs: LiveCodeBench *_eval_all.json / *_eval.json, torchtune logs, a runs CSV',
    z.object({
      paths: z.array(z.string().min(1)).min(1, 'give at least one file'),
      /** Labels for every run created (student, size, partition, seed, or anything else). */
      labels: z.record(z.string(), z.string()).default({}),
      /** Attach training logs to this run instead of creating one per log. */
      runId: z.string().optional(),
      wait: z.boolean().default(true),
    }),
    z.object({ task: taskSchema, result: resultsImportResultSchema.nullable() }),
  ),
  'runs.update': method(
    "Edit a run's name and labels (student, size, partition, seed are labels with their own columns)",
    z.object({
      id: z.string().min(1),
      name: userName.optional(),
      /** Labels to set; a null value removes the label. */
      labels: z.record(z.string(), z.string().nullable()).default({}),
    }),
    z.object({ run: runSchema }),
  ),
  'runs.curve': method(
    "A run's training curve (from a torchtune log): step, metric, value",
    z.object({ id: z.string().min(1), metric: z.string().optional() }),
    z.object({ points: z.array(curvePointSchema) }),
  ),
  'runs.delete': method(
    'Remove a run and its metrics',
    z.object({ id: z.string().min(1) }),
    z.object({ deleted: z.boolean() }),
  ),
};
