import { z } from 'zod';
import { method } from './define';
import { empty } from './common';

export { traceRoles, type TraceRole } from '../domain/roles';

export const datasetInfoSchema = z.object({
  name: z.string(),
  /** traces: teacher traces Valley can curate; benchmark: problems (e.g. LiveCodeBench) for contamination checks; source: joined back into traces. */
  kind: z.enum(['traces', 'benchmark', 'source']),
  /** The DuckDB relation holding the normalized rows. */
  relation: z.string(),
  storage: z.enum(['table', 'view']),
  preset: z.string(),
  roles: z.record(z.string(), z.string().nullable()),
  sources: z.array(z.string()),
  rows: z.number().int(),
  createdAt: z.string(),
  isDemo: z.boolean(),
  tokensEstimated: z.boolean(),
});
export type DatasetInfo = z.infer<typeof datasetInfoSchema>;

export const dataMethods = {
  'data.datasets': method('Datasets in the workspace', empty, z.object({ datasets: z.array(datasetInfoSchema) })),
};
