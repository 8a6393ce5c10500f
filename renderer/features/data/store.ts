import { create } from 'zustand';
import type { DatasetInfo, QuestionSource, Run } from '../../../shared/api';
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
  /** Import LiveCodeBench results as runs (waits for the import); throws what went wrong. */
  importResults(paths: string[], labels: Record<string, string>): Promise<Run[]>;
}

export const useData = create<DataState>((set) => ({
  datasets: [],
  questionSources: [],
  loaded: false,
  dialog: null,
  async load() {
    try {
      const [{ datasets }, { sources }] = await Promise.all([
        api().call('data.datasets', {}),
        api().call('data.questionSources', {}),
      ]);
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
      // the list refetches on workspace.changed
      await api().call('data.drop', { name });
    } catch (error) {
      reportError(error, `Could not remove ${name}`);
    }
  },
  async importResults(paths, labels) {
    const { result } = await api().call('results.import', { paths, labels, wait: true });
    return result?.runs ?? [];
  },
}));
