import { randomUUID } from 'node:crypto';
import { ValleyError, toErrorValue, type Task } from '../../../shared/api';
import type { EventBus } from '../events';

export interface TaskContext {
  readonly signal: AbortSignal;
  /** Report progress: a fraction 0..1 (or null if unknown) and a line for the status bar. */
  progress(fraction: number | null, detail?: string): void;
  /** Throws a `cancelled` error if the user asked to stop. Call it between steps. */
  checkCancelled(): void;
}

export interface TaskManager {
  start<T>(kind: string, title: string, work: (ctx: TaskContext) => Promise<T>): { task: Task; done: Promise<T> };
  list(): Task[];
  cancel(id: string): boolean;
}

const PUSH_INTERVAL_MS = 100;

export const createTaskManager = (bus: EventBus, keep = 50): TaskManager => {
  const tasks = new Map<string, { task: Task; controller: AbortController; lastPush: number }>();
  const push = (entry: { task: Task; lastPush: number }, force: boolean) => {
    const now = Date.now();
    if (!force && now - entry.lastPush < PUSH_INTERVAL_MS) return;
    entry.lastPush = now;
    bus.emit('task.updated', { ...entry.task });
  };
  const prune = () => {
    const finished = [...tasks.values()].filter((t) => t.task.state !== 'running');
    for (const t of finished.slice(0, Math.max(0, finished.length - keep))) tasks.delete(t.task.id);
  };
  return {
    start(kind, title, work) {
      const controller = new AbortController();
      const task: Task = {
        id: randomUUID(),
        kind,
        title,
        state: 'running',
        progress: null,
        detail: '',
        startedAt: Date.now(),
        finishedAt: null,
        error: null,
      };
      const entry = { task, controller, lastPush: 0 };
      tasks.set(task.id, entry);
      push(entry, true);
      const ctx: TaskContext = {
        signal: controller.signal,
        progress(fraction, detail) {
          task.progress = fraction === null ? null : Math.max(0, Math.min(1, fraction));
          if (detail !== undefined) task.detail = detail;
          push(entry, false);
        },
        checkCancelled() {
          if (controller.signal.aborted) throw new ValleyError('cancelled', `${title}: cancelled`);
        },
      };
      const done = (async () => {
        try {
          const value = await work(ctx);
          task.state = 'done';
          task.progress = 1;
          return value;
        } catch (error) {
          const cancelled = controller.signal.aborted;
          task.state = cancelled ? 'cancelled' : 'failed';
          task.error = cancelled ? { code: 'cancelled', message: `${title}: cancelled` } : toErrorValue(error);
          throw cancelled ? new ValleyError('cancelled', `${title}: cancelled`) : error;
        } finally {
          task.finishedAt = Date.now();
          push(entry, true);
          prune();
        }
      })();
      done.catch(() => undefined);
      return { task: { ...task }, done };
    },
    list: () => [...tasks.values()].map((t) => ({ ...t.task })).sort((a, b) => b.startedAt - a.startedAt),
    cancel(id) {
      const entry = tasks.get(id);
      if (!entry || entry.task.state !== 'running') return false;
      entry.controller.abort();
      return true;
    },
  };
};

/**
 * Start `work` as a task. Without `wait` the caller gets the running task to follow by id (result null); with it,
 * the finished task and the result (the CLI's way).
 */
export const startTask = async <T>(
  tasks: TaskManager,
  kind: string,
  title: string,
  work: (ctx: TaskContext) => Promise<T>,
  wait: boolean,
): Promise<{ task: Task; result: T | null }> => {
  const { task, done } = tasks.start(kind, title, work);
  if (!wait) return { task, result: null };
  const result = await done;
  return { task: tasks.list().find((t) => t.id === task.id) ?? task, result };
};
