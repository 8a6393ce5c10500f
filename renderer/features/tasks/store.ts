import { create } from 'zustand';
import type { Task } from '../../../shared/api';
import { api } from '../../api/client';
import { reportError } from '../notices/store';

interface TasksState {
  tasks: Task[];
  load(): Promise<void>;
  cancel(id: string): Promise<void>;
  /** Start listening to task events (once, at app start). */
  listen(): () => void;
}

const upsert = (tasks: Task[], t: Task): Task[] => {
  const rest = tasks.filter((x) => x.id !== t.id);
  return [t, ...rest].sort((a, b) => b.startedAt - a.startedAt).slice(0, 30);
};

export const useTasks = create<TasksState>((set) => ({
  tasks: [],
  async load() {
    try {
      set({ tasks: (await api().call('tasks.list', {})).tasks });
    } catch (error) {
      reportError(error, 'Could not list background tasks');
    }
  },
  async cancel(id) {
    try {
      await api().call('tasks.cancel', { id });
    } catch (error) {
      reportError(error, 'Could not cancel the task');
    }
  },
  listen() {
    return api().on('task.updated', (task) => {
      set((s) => ({ tasks: upsert(s.tasks, task) }));
      if (task.state === 'failed' && task.error) reportError(new Error(task.error.message), `${task.title} failed`);
    });
  },
}));
