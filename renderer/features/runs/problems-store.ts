import { create } from 'zustand';
import type { ProblemDetail, ResponseOf } from '../../../shared/api';
import { api } from '../../api/client';
import { reportError } from '../notices/store';
import { useShell } from '../shell/store';

export type RunProblems = ResponseOf<'runs.problems'>;
export type Comparison = ResponseOf<'analysis.compareRuns'>;

/** What the Runs screen shows: the runs table (with the comparison), one run's problems, or one problem across runs. */
export type RunsView =
  { kind: 'table' } | { kind: 'run'; runId: string } | { kind: 'problem'; questionId: string; runIds: string[] };

export type Outcome = 'all' | 'passed' | 'failed' | 'partial';
export type PairFilter = 'all' | 'onlyA' | 'onlyB' | 'both' | 'neither';

interface ProblemsState {
  view: RunsView;
  /** Where Back goes: the views opened before this one. */
  history: RunsView[];
  runProblems: RunProblems | null;
  problem: ProblemDetail | null;
  comparison: Comparison | null;
  /** Filters of a run's problem list. */
  difficulty: string;
  outcome: Outcome;
  query: string;
  /** Filter of the comparison's problem list. */
  pair: PairFilter;
  /** In the problem view: whether every generation's whole output is unfolded. */
  showOutputs: boolean;
  /** The problem list the problem view steps through (j/k), as last shown. */
  sequence: string[];
  set(
    patch: Partial<Pick<ProblemsState, 'difficulty' | 'outcome' | 'query' | 'pair' | 'showOutputs' | 'sequence'>>,
  ): void;
  openRun(runId: string): Promise<void>;
  openProblem(questionId: string, runIds: string[]): Promise<void>;
  /** The next / previous problem of `sequence` in the problem view. */
  step(delta: number): Promise<void>;
  back(): void;
  compare(a: string | null, b: string | null): Promise<void>;
  /** Fetch again whatever is shown (the workspace changed). */
  refresh(): Promise<void>;
}

const loadView = async (view: RunsView): Promise<Partial<ProblemsState>> => {
  if (view.kind === 'run') return { runProblems: await api().call('runs.problems', { id: view.runId }) };
  if (view.kind === 'problem')
    return { problem: await api().call('runs.problem', { questionId: view.questionId, runIds: view.runIds }) };
  return {};
};

export const useProblems = create<ProblemsState>((set, get) => ({
  view: { kind: 'table' },
  history: [],
  runProblems: null,
  problem: null,
  comparison: null,
  difficulty: '',
  outcome: 'all',
  query: '',
  pair: 'onlyA',
  showOutputs: false,
  sequence: [],
  set: (patch) => set(patch),
  async openRun(runId) {
    const view: RunsView = { kind: 'run', runId };
    try {
      const loaded = await loadView(view);
      const same = get().runProblems?.run.id === runId;
      set((s) => ({
        ...loaded,
        view,
        history: [...s.history, s.view],
        ...(same ? {} : { difficulty: '', outcome: 'all' as Outcome, query: '' }),
      }));
      useShell.getState().go('runs');
    } catch (error) {
      reportError(error, 'Could not open the run');
    }
  },
  async openProblem(questionId, runIds) {
    const view: RunsView = { kind: 'problem', questionId, runIds };
    try {
      const loaded = await loadView(view);
      set((s) => ({ ...loaded, view, history: s.view.kind === 'problem' ? s.history : [...s.history, s.view] }));
      useShell.getState().go('runs');
    } catch (error) {
      reportError(error, `Could not open problem ${questionId}`);
    }
  },
  async step(delta) {
    const { view, sequence } = get();
    if (view.kind !== 'problem') return;
    const next = sequence[sequence.indexOf(view.questionId) + delta];
    if (next !== undefined) await get().openProblem(next, view.runIds);
  },
  back() {
    const history = [...get().history];
    const view = history.pop() ?? { kind: 'table' };
    set({ view, history });
    void get().refresh();
  },
  async compare(a, b) {
    if (!a || !b) {
      set({ comparison: null });
      return;
    }
    try {
      set({ comparison: await api().call('analysis.compareRuns', { a, b }) });
    } catch (error) {
      reportError(error, 'Could not compare the runs');
    }
  },
  async refresh() {
    const { view, comparison } = get();
    try {
      set(await loadView(view));
      if (comparison) await get().compare(comparison.a.id, comparison.b.id);
    } catch (error) {
      // what was shown is gone (a run deleted): back to the table
      set({ view: { kind: 'table' }, history: [] });
      reportError(error, 'The runs changed');
    }
  },
}));
