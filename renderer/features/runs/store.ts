import { create } from 'zustand';
import type { Run } from '../../../shared/api';
import { api } from '../../api/client';
import { reportError } from '../notices/store';

interface RunsState {
  runs: Run[];
  loaded: boolean;
  load(): Promise<void>;
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
}));
