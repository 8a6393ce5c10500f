import { z } from 'zod';
import { taskSchema } from './tasks';
import { jobSchema } from './cluster';

/**
 * Something a researcher wants to hear about while looking elsewhere: a condition of a study finished, a job
 * ended. The renderer shows it as a notice (and, in browser mode, a browser notification when allowed); the
 * Electron host also shows it as a desktop notification.
 */
export const backendNoticeSchema = z.object({
  kind: z.enum(['info', 'success', 'error']),
  title: z.string().min(1),
  body: z.string(),
  /** What it is about: a study (its name) or a job (its id). */
  source: z.enum(['study', 'job']),
  subject: z.string(),
});
export type BackendNotice = z.infer<typeof backendNoticeSchema>;

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
  /** A notification for the user (see backendNoticeSchema). */
  'notice.posted': backendNoticeSchema,
  /**
   * `workspace`: another workspace was opened; everything shown belongs to the old one. `indexes`: a dataset's
   * word index, built in the background after its import, is ready (search stops scanning).
   */
  'workspace.changed': z.object({
    what: z.enum([
      'datasets',
      'runs',
      'partitions',
      'subsets',
      'jobs',
      'clusters',
      'settings',
      'studies',
      'indexes',
      'workspace',
    ]),
  }),
};
export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;
export const eventNames = Object.keys(events) as EventName[];
