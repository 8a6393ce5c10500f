import { create } from 'zustand';
import type { DatasetInfo, QuestionSource } from '../../../shared/api';
import { api } from '../../api/client';
import { reportError } from '../notices/store';

interface DataState {
  datasets: DatasetInfo[];
  /** OCR2 question join: per trace dataset and source, rows filled and still '-'. */
  questionSources: QuestionSource[];
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
  questionSources: [],
  loaded: false,
  dialog: null,
  async load() {
    try {
      const [{ datasets }, { sources }] = await Promise.all([api().call('data.datasets', {}), api().call('data.questionSources', {})]);
      set({ datasets, questionSources: sources, loaded: true });
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
