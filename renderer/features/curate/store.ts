import { create } from 'zustand';
import {
  type CurateHistory,
  type Facet,
  type FilterClause,
  type Manifest,
  type Mark,
  type Partition,
  type SqlResult,
  type Subset,
  type SubsetPlan,
  type TraceDetail,
  type TraceFilter,
  type TraceRow,
  type TraceSort,
  curateScreenDefaults as screenDefaults,
  parseCurateScreenState as parseScreenState,
  type CuratePanel,
  type CurateScreenState,
  type RequestOf,
  type ResponseOf,
} from '../../../shared/api';
import { api } from '../../api/client';
import { reportError, useNotices } from '../notices/store';
import { markFacets } from './brush-timing';
import { useTasks } from '../tasks/store';

export type Panel = CuratePanel;
type ScreenState = CurateScreenState;

interface CurateState extends ScreenState {
  dataset: string | null;
  /** Bumped whenever the rows behind the table may have changed (filter, sort, marks, undo). */
  version: number;
  total: number;
  of: number;
  facets: Facet[];
  facetsMs: number;
  /** The backend's text index: until 'ready', a search scans the texts (shown as "indexing"). */
  searchIndex: 'ready' | 'building' | 'none';
  partitions: Partition[];
  history: CurateHistory;
  restored: boolean;
  /** Table position of the open row, for previous/next. */
  openIndex: number | null;
  /** Difficulty/judgement/… mix of each listed partition (the first 20). */
  stats: Record<string, Facet[]>;
  subsets: Subset[];
  /** The export being followed, by its task id; the manifest once the task is done. */
  exporting: { subset: string; task: string; dir: string; manifest: Manifest | null } | null;
  /** The trace table's column chooser is open (not saved). */
  columnsOpen: boolean;
  /** A detached reader window: it reads the saved view but never writes it (the main window owns it). */
  detached: boolean;
  open(dataset: string): Promise<void>;
  setFilter(filter: TraceFilter): void;
  setClause(clause: FilterClause | null, column?: string): void;
  removeClause(index: number): void;
  setSearch(search: string): void;
  setSort(sort: TraceSort): void;
  set(patch: Partial<ScreenState> & { openIndex?: number | null }): void;
  /** Back to the default view (no filter, first panel), saved: what "Reset this panel" on Curate does. */
  resetView(): void;
  /** Count the facets of `filter` (by default the current one) and show them, unless a newer count started. */
  refreshFacets(filter?: TraceFilter): Promise<void>;
  refreshPartitions(): Promise<void>;
  mark(rowIds: number[], mark: Mark | null): Promise<void>;
  undo(): Promise<void>;
  redo(): Promise<void>;
  /** Refetch what the rows behind the screen decide (on workspace.changed 'partitions'). */
  changed(): void;
  savePartition(name: string, matchAll: boolean): Promise<void>;
  presetPartitions(req: Omit<RequestOf<'curate.partitions.presets'>, 'dataset'>): Promise<void>;
  deletePartition(name: string): Promise<void>;
  loadSubsets(): Promise<void>;
  /** What a recipe would hold; throws the reason it is refused. */
  planSubset(spec: RequestOf<'curate.subsets.plan'>): Promise<SubsetPlan>;
  saveSubset(name: string, spec: RequestOf<'curate.subsets.plan'>): Promise<Subset>;
  exportSubset(subset: string, formats: ('torchtune' | 'parquet')[]): Promise<void>;
  checkContamination(
    benchmark: string,
    n: number,
    threshold: number,
  ): Promise<ResponseOf<'curate.contamination.check'> | null>;
  excludeContaminated(benchmark: string, n: number, threshold: number, target: string): Promise<void>;
  /** Read-only SQL (file-reading functions only with `allowFiles`); throws the engine's message. */
  query(sql: string, allowFiles: boolean): Promise<SqlResult>;
  /** Add a SQL WHERE clause to the filter once the engine accepts it; throws its message otherwise. */
  filterWhere(where: string, allowFiles: boolean): Promise<void>;
  /** Rows `start`.. of the table as filtered, sorted and marked now. */
  window(start: number, limit: number): Promise<{ rows: TraceRow[]; total: number }>;
  trace(rowId: number): Promise<TraceDetail | null>;
  /** Open the trace `delta` rows from the open one. */
  step(delta: number): Promise<void>;
}

const uiKey = (dataset: string) => `curate:${dataset}`;

let saveTimer: ReturnType<typeof setTimeout> | null = null;
let facetSeq = 0;

export const useCurate = create<CurateState>((set, get) => {
  const persist = () => {
    const s = get();
    if (!s.dataset || !s.restored || s.detached) return;
    const value: ScreenState = {
      filter: s.filter,
      sort: s.sort,
      markPartition: s.markPartition,
      openRow: s.openRow,
      compareRow: s.compareRow,
      panel: s.panel,
      showThink: s.showThink,
      hiddenColumns: s.hiddenColumns,
      columnWidths: s.columnWidths,
    };
    if (saveTimer) clearTimeout(saveTimer);
    const dataset = s.dataset;
    saveTimer = setTimeout(() => {
      api()
        .call('curate.ui.set', { key: uiKey(dataset), value })
        .catch((e: unknown) => reportError(e, 'Could not save the screen state'));
    }, 300);
  };
  const step = async (direction: 'undo' | 'redo') => {
    try {
      // the rows and partitions follow from workspace.changed
      set({ history: await api().call(direction === 'undo' ? 'curate.undo' : 'curate.redo', {}) });
    } catch (error) {
      reportError(error, `Could not ${direction}`);
    }
  };
  const filterChanged = (filter: TraceFilter) => {
    // the counts are asked for first: the re-render the new filter causes (table, chips, charts) then runs while
    // the backend counts, not before the request leaves
    const counting = get().refreshFacets(filter);
    set((s) => ({ filter, version: s.version + 1 }));
    persist();
    void counting;
  };
  return {
    ...screenDefaults(),
    dataset: null,
    version: 0,
    total: 0,
    of: 0,
    facets: [],
    facetsMs: 0,
    searchIndex: 'ready',
    partitions: [],
    history: { canUndo: false, canRedo: false, undoLabel: null, redoLabel: null },
    restored: false,
    openIndex: null,
    stats: {},
    subsets: [],
    exporting: null,
    columnsOpen: false,
    detached: false,
    async open(dataset) {
      if (get().dataset === dataset && get().restored) return;
      set({ dataset, restored: false });
      try {
        const { state, dropped } = parseScreenState((await api().call('curate.ui.get', { key: uiKey(dataset) })).value);
        set((s) => ({ ...state, restored: true, version: s.version + 1 }));
        if (dropped.length > 0) {
          useNotices.getState().push({
            kind: 'info',
            title: `The saved Curate view of ${dataset} was partly unreadable; reset: ${dropped.join(', ')}`,
          });
          persist();
        }
      } catch (error) {
        set({ restored: true });
        reportError(error, 'Could not restore the Curate screen');
      }
      await Promise.all([get().refreshFacets(), get().refreshPartitions(), get().loadSubsets()]);
    },
    setFilter: filterChanged,
    setClause(clause, column) {
      const col = clause && clause.op !== 'sql' ? clause.column : column;
      const others = get().filter.clauses.filter((c) => c.op === 'sql' || c.column !== col);
      filterChanged({ ...get().filter, clauses: clause ? [...others, clause] : others });
    },
    removeClause(index) {
      filterChanged({ ...get().filter, clauses: get().filter.clauses.filter((_, i) => i !== index) });
    },
    setSearch(search) {
      filterChanged({ ...get().filter, search });
    },
    setSort(sort) {
      set((s) => ({ sort, version: s.version + 1 }));
      persist();
    },
    set(patch) {
      set(patch);
      persist();
    },
    resetView() {
      set((s) => ({ ...screenDefaults(), openIndex: null, version: s.version + 1 }));
      persist();
      void get().refreshFacets();
    },
    async refreshFacets(next) {
      const { dataset } = get();
      const filter = next ?? get().filter;
      if (!dataset) return;
      const seq = ++facetSeq;
      try {
        const r = await api().call('traces.facets', { dataset, filter });
        if (seq !== facetSeq) return;
        const searchIndex = r.searchIndex ?? 'ready';
        markFacets(r.facets);
        set({ facets: r.facets, total: r.total, of: r.of, facetsMs: r.elapsedMs, searchIndex });
      } catch (error) {
        if (seq === facetSeq) reportError(error, 'Could not count the traces');
      }
    },
    async refreshPartitions() {
      const { dataset } = get();
      if (!dataset) return;
      try {
        const [p, h] = await Promise.all([
          api().call('curate.partitions.list', { dataset }),
          api().call('curate.history', {}),
        ]);
        const names = p.partitions.slice(0, 20).map((x) => x.name);
        const stats = names.length ? (await api().call('curate.partitions.stats', { names })).stats : [];
        set({ partitions: p.partitions, history: h, stats: Object.fromEntries(stats.map((x) => [x.name, x.facets])) });
      } catch (error) {
        reportError(error, 'Could not list partitions');
      }
    },
    async mark(rowIds, mark) {
      const partition = get().markPartition;
      if (!partition) {
        reportError(
          new Error('Choose the partition to mark rows in (Partitions panel → “mark here”)'),
          'No partition to mark in',
        );
        return;
      }
      try {
        // the table, facets and partitions refetch once, on workspace.changed
        await api().call('curate.marks.set', { partition, rowIds, mark });
      } catch (error) {
        reportError(error, 'Could not mark the rows');
      }
    },
    undo: () => step('undo'),
    redo: () => step('redo'),
    changed() {
      set((s) => ({ version: s.version + 1 }));
      void get().refreshPartitions();
      void get().refreshFacets();
    },
    async savePartition(name, matchAll) {
      const { dataset, filter } = get();
      if (!dataset) return;
      try {
        const empty = { clauses: [], search: '', partition: null };
        await api().call('curate.partitions.save', { name, dataset, filter: matchAll ? filter : empty, matchAll });
        if (!matchAll) get().set({ markPartition: name });
      } catch (error) {
        reportError(error, 'Could not save the partition');
      }
    },
    async presetPartitions(req) {
      const { dataset } = get();
      if (!dataset) return;
      try {
        await api().call('curate.partitions.presets', { ...req, dataset });
      } catch (error) {
        reportError(error, 'Could not create presets');
      }
    },
    async deletePartition(name) {
      try {
        await api().call('curate.partitions.delete', { name });
      } catch (error) {
        reportError(error, 'Could not delete');
      }
    },
    async loadSubsets() {
      try {
        set({ subsets: (await api().call('curate.subsets.list', {})).subsets });
      } catch (error) {
        reportError(error, 'Could not list subsets');
      }
    },
    planSubset: (spec) => api().call('curate.subsets.plan', spec),
    saveSubset: (name, spec) => api().call('curate.subsets.save', { name, spec, replace: true }),
    async exportSubset(subset, formats) {
      try {
        const r = await api().call('curate.export', { subset, formats, overwrite: true, wait: false });
        set({ exporting: { subset, task: r.task.id, dir: r.dir, manifest: null } });
        // follow the task by its id; when it is done, read what it wrote
        const stop = useTasks.subscribe((s) => {
          const task = s.tasks.find((t) => t.id === r.task.id);
          if (!task || task.state === 'running') return;
          stop();
          if (task.state !== 'done') return;
          api()
            .call('curate.manifest', { dir: r.dir })
            .then(
              (manifest) => {
                if (get().exporting?.task === r.task.id)
                  set({ exporting: { subset, task: r.task.id, dir: r.dir, manifest } });
                useNotices.getState().push({ kind: 'success', title: `Exported ${subset} to ${r.dir}` });
              },
              (e: unknown) => reportError(e, 'Could not read the export manifest'),
            );
        });
      } catch (error) {
        set({ exporting: null });
        reportError(error, 'Could not export');
      }
    },
    async checkContamination(benchmark, n, threshold) {
      const { dataset } = get();
      if (!dataset) return null;
      try {
        return await api().call('curate.contamination.check', { dataset, benchmark, n, threshold });
      } catch (error) {
        reportError(error, 'Contamination check failed');
        return null;
      }
    },
    async excludeContaminated(benchmark, n, threshold, target) {
      const { dataset } = get();
      if (!dataset) return;
      try {
        const r = await api().call('curate.contamination.exclude', { dataset, benchmark, n, threshold, target });
        useNotices
          .getState()
          .push({ kind: 'success', title: `Excluded ${r.excluded} traces from ${target} (now ${r.size})` });
      } catch (error) {
        reportError(error, 'Could not exclude');
      }
    },
    query: (sql, allowFiles) => api().call('sql.query', { sql, limit: 500, allowFiles }),
    async filterWhere(where, allowFiles) {
      const { dataset, filter } = get();
      if (!dataset || !where.trim()) return;
      const next = {
        ...filter,
        clauses: [
          ...filter.clauses,
          { op: 'sql' as const, where: where.trim(), ...(allowFiles ? { allowFiles } : {}) },
        ],
      };
      await api().call('traces.count', { dataset, filter: next });
      filterChanged(next);
    },
    async window(start, limit) {
      const { dataset, filter, sort, markPartition } = get();
      if (!dataset) return { rows: [], total: 0 };
      return api().call('traces.window', { dataset, filter, sort, start, limit, marksOf: markPartition });
    },
    async trace(rowId) {
      const { dataset } = get();
      if (!dataset) return null;
      try {
        return await api().call('traces.get', { dataset, rowId });
      } catch (error) {
        reportError(error, 'Could not open the trace');
        return null;
      }
    },
    async step(delta) {
      const { dataset, filter, sort, openIndex } = get();
      if (!dataset || openIndex === null || openIndex + delta < 0) return;
      try {
        const row = (await api().call('traces.window', { dataset, filter, sort, start: openIndex + delta, limit: 1 }))
          .rows[0];
        if (row) get().set({ openRow: row.rowId, openIndex: openIndex + delta });
      } catch (error) {
        reportError(error, 'Could not open the next trace');
      }
    },
  };
});
