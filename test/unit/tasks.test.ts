import { describe, expect, it } from 'vitest';
import { createEventBus } from '../../electron/services/events';
import { createTaskManager } from '../../electron/services/tasks/task-manager';
import type { Task } from '../../shared/api';

describe('background tasks', () => {
  it('reports progress and completion as events', async () => {
    const bus = createEventBus();
    const seen: Task[] = [];
    bus.subscribe((name, payload) => {
      if (name === 'task.updated') seen.push(payload as Task);
    });
    const tasks = createTaskManager(bus);
    const { done } = tasks.start('demo', 'Counting', async (ctx) => {
      ctx.progress(0.5, 'half way');
      return 42;
    });
    expect(await done).toBe(42);
    expect(seen[0]?.state).toBe('running');
    expect(seen.at(-1)).toMatchObject({ state: 'done', progress: 1 });
    expect(tasks.list()[0]?.state).toBe('done');
  });

  it('cancels cooperatively and marks the task cancelled', async () => {
    const tasks = createTaskManager(createEventBus());
    let steps = 0;
    const { task, done } = tasks.start('loop', 'Looping', async (ctx) => {
      for (;;) {
        ctx.checkCancelled();
        steps++;
        await new Promise((r) => setTimeout(r, 5));
      }
    });
    await new Promise((r) => setTimeout(r, 30));
    expect(tasks.cancel(task.id)).toBe(true);
    await expect(done).rejects.toMatchObject({ code: 'cancelled' });
    expect(tasks.list()[0]?.state).toBe('cancelled');
    expect(steps).toBeGreaterThan(0);
    expect(tasks.cancel(task.id)).toBe(false);
  });

  it('records a failure as an error value', async () => {
    const tasks = createTaskManager(createEventBus());
    const { done } = tasks.start('x', 'Failing', async () => {
      throw new Error('disk full');
    });
    await expect(done).rejects.toThrow('disk full');
    expect(tasks.list()[0]).toMatchObject({ state: 'failed', error: { code: 'internal', message: 'disk full' } });
  });
});
