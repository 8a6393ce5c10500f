import { create } from 'zustand';
import type { DatasetInfo } from '../../../shared/api';
import { api } from '../../api/client';
import { reportError } from '../notices/store';

interface DataState {
  datasets: DatasetInfo[];
  loaded: boolean;
  /** Which dialog is open. */
  dialog: 'import' | 'results' | null;
  load(): Promise<void>;
  open(dialog: 'import' | 'results' | null): void;
  drop(name: string): Promise<void>;
  /** Reload when the backend says datasets changed (an import finished elsewhere, the CLI). */
  listen(): () => void;
}

export const useData = create<DataState>((set, get) => ({
  datasets: [],
  loaded: false,
  dialog: null,
  async load() {
    try {
      set({ datasets: (await api().call('data.datasets', {})).datasets, loaded: true });
    } catch (error) {
      reportError(error, 'Could not list datasets');
    }
  },
  open(dialog) {
    set({ dialog });
  },
  async drop(name) {
    try {
      await api().call('data.drop', { name });
      await get().load();
    } catch (error) {
      reportError(error, `Could not remove ${name}`);
    }
  },
  listen() {
    return api().on('workspace.changed', ({ what }) => {
      if (what === 'datasets') void get().load();
    });
  },
}));
