import { create } from 'zustand';
import type { Run } from '../../../shared/api';
import { api } from '../../api/client';
import { reportError } from '../notices/store';

interface RunsState {
  runs: Run[];
  loaded: boolean;
  load(): Promise<void>;
  /** Set (string) or remove (null) labels; the saved run comes back, and the list refetches on workspace.changed. */
  updateLabels(id: string, labels: Record<string, string | null>): Promise<Run>;
}

export const useRuns = create<RunsState>((set) => ({
  runs: [],
  loaded: false,
  async load() {
    try {
      set({ runs: (await api().call('runs.list', {})).runs, loaded: true });
    } catch (error) {
      reportError(error, 'Could not list runs');
    }
  },
  async updateLabels(id, labels) {
    return (await api().call('runs.update', { id, labels })).run;
  },
}));
