import { z } from 'zod';
import { taskSchema } from './tasks';
import { jobSchema } from './cluster';

/** Events the backend pushes to every connected client. */
export const events = {
  'task.updated': taskSchema,
  /** A cluster job changed state (submitted, started, finished, cancelled, fetched). */
  'cluster.job': jobSchema,
  'workspace.changed': z.object({ what: z.enum(['datasets', 'runs', 'partitions', 'subsets', 'jobs', 'clusters', 'settings', 'studies']) }),
};
export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;
export const eventNames = Object.keys(events) as EventName[];
