import { create } from 'zustand';
import type { AblationGroup, ResponseOf, Series, StudyPlan, StudyStatus, StudySummary } from '../../../shared/api';
import type { StudyInput } from '../../../shared/domain/study';
import { api } from '../../api/client';
import { reportError, useNotices } from '../notices/store';

export type CellDetail = ResponseOf<'study.cell'>;

export interface Draft {
  study: StudyInput;
  plan: StudyPlan | null;
  /** Why the design cannot be planned (the first error, with its field). */
  error: string | null;
  planning: boolean;
}

interface StudyState {
  studies: StudySummary[];
  clusters: string[];
  selected: string | null;
  status: StudyStatus | null;
  /** The study's own series on the scaling fit and its ablation bars. */
  series: Series[];
  ablations: AblationGroup[];
  loaded: boolean;
  busy: string | null;
  draft: Draft | null;
  /** The study file's text, when it is being edited. */
  editing: string | null;
  cell: string | null;
  detail: CellDetail | null;
  log: { job: string; text: string } | null;
  load(): Promise<void>;
  select(name: string | null): Promise<void>;
  refresh(): Promise<void>;
  newFromPaper(): Promise<void>;
  editDraft(change: (s: StudyInput) => StudyInput): void;
  planDraft(): Promise<void>;
  closeDraft(): void;
  launch(): Promise<boolean>;
  run(): Promise<void>;
  fetch(): Promise<void>;
  cancel(): Promise<void>;
  edit(open: boolean): Promise<void>;
  setText(text: string): void;
  saveText(): Promise<boolean>;
  selectCell(id: string | null): Promise<void>;
  loadLog(job: string): Promise<void>;
  /** Follow the backend: studies, runs and jobs changing refetch the open study. Returns the stop function. */
  listen(): () => void;
}

const info = (title: string, detail?: string) =>
  useNotices.getState().push({ kind: 'info', title, ...(detail ? { detail } : {}) });

let planTimer: ReturnType<typeof setTimeout> | null = null;

export const useStudy = create<StudyState>((set, get) => ({
  studies: [],
  clusters: [],
  selected: null,
  status: null,
  series: [],
  ablations: [],
  loaded: false,
  busy: null,
  draft: null,
  editing: null,
  cell: null,
  detail: null,
  log: null,
  async load() {
    try {
      const [{ studies }, { clusters }] = await Promise.all([
        api().call('study.list', {}),
        api().call('cluster.list', {}),
      ]);
      const selected =
        get().selected && studies.some((s) => s.name === get().selected)
          ? get().selected
          : (studies.find((s) => !s.error)?.name ?? null);
      set({ studies, clusters: clusters.map((c) => c.name), loaded: true });
      if (selected !== get().selected || !get().status) await get().select(selected);
    } catch (error) {
      reportError(error, 'Could not list the studies');
    }
  },
  async select(name) {
    set({
      selected: name,
      status: null,
      series: [],
      ablations: [],
      cell: null,
      detail: null,
      log: null,
      editing: null,
    });
    if (name) await get().refresh();
  },
  async refresh() {
    const name = get().selected;
    if (!name) return;
    try {
      const [status, { series }, { groups }] = await Promise.all([
        api().call('study.status', { name }),
        api().call('analysis.series', { study: name, minSizes: 1, errors: 'binomial' }),
        api().call('analysis.ablations', { study: name }),
      ]);
      if (get().selected !== name) return;
      set({ status, series, ablations: groups });
      const cell = get().cell;
      if (cell) set({ detail: await api().call('study.cell', { name, cell }) });
    } catch (error) {
      reportError(error, `Could not read study ${name}`);
    }
  },
  async newFromPaper() {
    try {
      const { study } = await api().call('study.draft', {});
      const cluster = get().clusters.find((c) => c !== 'local') ?? get().clusters[0] ?? null;
      set({ draft: { study: { ...study, cluster }, plan: null, error: null, planning: false } });
      await get().planDraft();
    } catch (error) {
      reportError(error, 'Could not start a study from the paper');
    }
  },
  editDraft(change) {
    const d = get().draft;
    if (!d) return;
    set({ draft: { ...d, study: change(d.study) } });
    if (planTimer) clearTimeout(planTimer);
    planTimer = setTimeout(() => void get().planDraft(), 300);
  },
  async planDraft() {
    const d = get().draft;
    if (!d) return;
    set({ draft: { ...d, planning: true } });
    try {
      const plan = await api().call('study.plan', { study: d.study });
      if (get().draft?.study === d.study) set({ draft: { ...d, plan, error: null, planning: false } });
    } catch (error) {
      if (get().draft?.study === d.study)
        set({
          draft: { ...d, plan: null, error: error instanceof Error ? error.message : String(error), planning: false },
        });
    }
  },
  closeDraft() {
    set({ draft: null });
  },
  async launch() {
    const d = get().draft;
    if (!d) return false;
    set({ busy: 'launch' });
    try {
      const saved = await api().call('study.save', { study: d.study, replace: false });
      set({ draft: null });
      await get().load();
      await get().select(saved.name);
      const r = await api().call('study.run', { name: saved.name });
      info(
        `Study ${saved.name}: submitting ${r.cells.length} cell(s)`,
        saved.partitionsCreated.length ? `partitions made: ${saved.partitionsCreated.join(', ')}` : undefined,
      );
      return true;
    } catch (error) {
      reportError(error, 'Could not launch the study');
      return false;
    } finally {
      set({ busy: null });
    }
  },
  async run() {
    const name = get().selected;
    if (!name) return;
    set({ busy: 'run' });
    try {
      const r = await api().call('study.run', { name });
      info(
        r.cells.length ? `Study ${name}: submitting ${r.cells.length} cell(s)` : `Study ${name}: nothing to submit`,
        r.skipped.map((s) => `${s.cell}: ${s.reason}`).join('\n') || undefined,
      );
    } catch (error) {
      reportError(error, `Could not run study ${name}`);
    } finally {
      set({ busy: null });
    }
  },
  async fetch() {
    const name = get().selected;
    if (!name) return;
    set({ busy: 'fetch' });
    try {
      const r = await api().call('study.fetch', { name });
      info(
        `Study ${name}: ${r.fetched.length} run(s) imported, ${r.running.length} still running`,
        r.errors.map((e) => `${e.cell}: ${e.message}`).join('\n') || undefined,
      );
      await get().refresh();
    } catch (error) {
      reportError(error, `Could not fetch study ${name}`);
    } finally {
      set({ busy: null });
    }
  },
  async cancel() {
    const name = get().selected;
    if (!name) return;
    set({ busy: 'cancel' });
    try {
      const r = await api().call('study.cancel', { name });
      info(`Study ${name}: ${r.cancelled.length} cell(s) cancelled`);
      await get().refresh();
    } catch (error) {
      reportError(error, `Could not cancel study ${name}`);
    } finally {
      set({ busy: null });
    }
  },
  async edit(open) {
    const name = get().selected;
    if (!open || !name) return set({ editing: null });
    try {
      set({ editing: (await api().call('study.get', { name })).text });
    } catch (error) {
      reportError(error, `Could not open ${name}.yaml`);
    }
  },
  setText(text) {
    set({ editing: text });
  },
  async saveText() {
    const text = get().editing;
    if (text === null) return false;
    try {
      const saved = await api().call('study.save', { text, replace: true });
      set({ editing: null });
      await get().load();
      await get().select(saved.name);
      return true;
    } catch (error) {
      reportError(error, 'The study file was not saved');
      return false;
    }
  },
  async selectCell(id) {
    const name = get().selected;
    set({ cell: id, detail: null, log: null });
    if (!id || !name) return;
    try {
      set({ detail: await api().call('study.cell', { name, cell: id }) });
    } catch (error) {
      reportError(error, `Could not read cell ${id}`);
    }
  },
  async loadLog(job) {
    try {
      const r = await api().call('cluster.logs', { job, bytes: 16_384 });
      set({ log: { job, text: r.text || '(empty log)' } });
    } catch (error) {
      reportError(error, `Could not read the log of job ${job}`);
    }
  },
  listen() {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const later = () => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => void get().refresh(), 250);
    };
    const stops = [
      api().on('workspace.changed', ({ what }) => {
        if (what === 'studies') void get().load();
        if (what === 'studies' || what === 'runs' || what === 'jobs') later();
      }),
      api().on('cluster.job', later),
    ];
    return () => {
      if (timer) clearTimeout(timer);
      stops.forEach((s) => s());
    };
  },
}));
