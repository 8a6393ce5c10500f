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

export const runsMethods = {
  'runs.list': method('Runs with their metrics', empty, z.object({ runs: z.array(runSchema) })),
};
