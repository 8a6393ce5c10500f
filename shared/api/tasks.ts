import { z } from 'zod';
import { method } from './define';
import { apiErrorSchema } from './errors';
import { empty } from './common';

export const taskStates = ['running', 'done', 'failed', 'cancelled'] as const;

/** A long-running piece of backend work (import, export, upload) with progress and cancel. */
export const taskSchema = z.object({
  id: z.string(),
  kind: z.string(),
  title: z.string(),
  state: z.enum(taskStates),
  /** 0..1, or null while the total is unknown. */
  progress: z.number().min(0).max(1).nullable(),
  detail: z.string(),
  startedAt: z.number(),
  finishedAt: z.number().nullable(),
  error: apiErrorSchema.nullable(),
});
export type Task = z.infer<typeof taskSchema>;

export const taskMethods = {
  'tasks.list': method('Background tasks, newest first', empty, z.object({ tasks: z.array(taskSchema) })),
  'tasks.cancel': method(
    'Ask a running task to stop; it leaves the workspace as it was before the task',
    z.object({ id: z.string().min(1) }),
    z.object({ cancelled: z.boolean() }),
  ),
};
