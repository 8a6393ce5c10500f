import { create } from 'zustand';
import type { DatasetInfo } from '../../../shared/api';
import { api } from '../../api/client';
import { reportError } from '../notices/store';

interface DataState {
  datasets: DatasetInfo[];
  loaded: boolean;
  load(): Promise<void>;
}

export const useData = create<DataState>((set) => ({
  datasets: [],
  loaded: false,
  async load() {
    try {
      set({ datasets: (await api().call('data.datasets', {})).datasets, loaded: true });
    } catch (error) {
      reportError(error, 'Could not list datasets');
    }
  },
}));
