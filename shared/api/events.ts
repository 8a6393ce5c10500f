import { z } from 'zod';
import { taskSchema } from './tasks';
import { jobSchema } from './cluster';

/** Events the backend pushes to every connected client. */
export const events = {
  'task.updated': taskSchema,
  /** A cluster job changed state (submitted, started, finished, cancelled, fetched). */
  'cluster.job': jobSchema,
  /**
   * The data engine's process crashed (a native crash in DuckDB, e.g. on a pathological input file) and was
   * started again on the same workspace: what was running failed, everything committed is kept.
   */
  'engine.restarted': z.object({
    cause: z.string(),
    running: z.array(z.string()),
    file: z.string().nullable(),
  }),
  /** `workspace`: another workspace was opened; everything shown belongs to the old one. */
  'workspace.changed': z.object({
    what: z.enum(['datasets', 'runs', 'partitions', 'subsets', 'jobs', 'clusters', 'settings', 'studies', 'workspace']),
  }),
};
export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;
export const eventNames = Object.keys(events) as EventName[];
