import { create } from 'zustand';
import {
  type CurateHistory,
  type Facet,
  type FilterClause,
  type Mark,
  type Partition,
  type TraceFilter,
  type TraceSort,
  curateScreenDefaults as screenDefaults,
  parseCurateScreenState as parseScreenState,
  type CuratePanel,
  type CurateScreenState,
} from '../../../shared/api';
import { api } from '../../api/client';
import { reportError, useNotices } from '../notices/store';
import { markFacets } from './brush-timing';

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
  open(dataset: string): Promise<void>;
  setFilter(filter: TraceFilter): void;
  setClause(clause: FilterClause | null, column?: string): void;
  removeClause(index: number): void;
  setSearch(search: string): void;
  setSort(sort: TraceSort): void;
  set(patch: Partial<ScreenState> & { openIndex?: number | null }): void;
  /** Back to the default view (no filter, first panel), saved: what "Reset this panel" on Curate does. */
  resetView(): void;
  refreshFacets(): Promise<void>;
  refreshPartitions(): Promise<void>;
  mark(rowIds: number[], mark: Mark | null): Promise<void>;
  undo(): Promise<void>;
  redo(): Promise<void>;
  changed(): void;
}

const uiKey = (dataset: string) => `curate:${dataset}`;

let saveTimer: ReturnType<typeof setTimeout> | null = null;
let facetSeq = 0;

export const useCurate = create<CurateState>((set, get) => {
  const persist = () => {
    const s = get();
    if (!s.dataset || !s.restored) return;
    const value: ScreenState = {
      filter: s.filter,
      sort: s.sort,
      markPartition: s.markPartition,
      openRow: s.openRow,
      compareRow: s.compareRow,
      panel: s.panel,
      showThink: s.showThink,
    };
    if (saveTimer) clearTimeout(saveTimer);
    const dataset = s.dataset;
    saveTimer = setTimeout(() => {
      api().call('curate.ui.set', { key: uiKey(dataset), value }).catch((e: unknown) => reportError(e, 'Could not save the screen state'));
    }, 300);
  };
  const step = async (direction: 'undo' | 'redo') => {
    try {
      set({ history: await api().call(direction === 'undo' ? 'curate.undo' : 'curate.redo', {}) });
      get().changed();
    } catch (error) {
      reportError(error, `Could not ${direction}`);
    }
  };
  const filterChanged = (filter: TraceFilter) => {
    set((s) => ({ filter, version: s.version + 1 }));
    persist();
    void get().refreshFacets();
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
    async open(dataset) {
      if (get().dataset === dataset && get().restored) return;
      set({ dataset, restored: false });
      try {
        const { state, dropped } = parseScreenState((await api().call('curate.ui.get', { key: uiKey(dataset) })).value);
        set((s) => ({ ...state, restored: true, version: s.version + 1 }));
        if (dropped.length > 0) {
          useNotices.getState().push({ kind: 'info', title: `The saved Curate view of ${dataset} was partly unreadable; reset: ${dropped.join(', ')}` });
          persist();
        }
      } catch (error) {
        set({ restored: true });
        reportError(error, 'Could not restore the Curate screen');
      }
      await Promise.all([get().refreshFacets(), get().refreshPartitions()]);
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
    async refreshFacets() {
      const { dataset, filter } = get();
      if (!dataset) return;
      const seq = ++facetSeq;
      try {
        const r = await api().call('traces.facets', { dataset, filter });
        if (seq !== facetSeq) return;
        const searchIndex = r.searchIndex ?? 'ready';
        markFacets(r.facets);
        set({ facets: r.facets, total: r.total, of: r.of, facetsMs: r.elapsedMs, searchIndex });
        // while the index is built, look again now and then so "indexing" goes away when it is ready
        if (searchIndex === 'building') setTimeout(() => seq === facetSeq && void get().refreshFacets(), 3000);
      } catch (error) {
        if (seq === facetSeq) reportError(error, 'Could not count the traces');
      }
    },
    async refreshPartitions() {
      const { dataset } = get();
      if (!dataset) return;
      try {
        const [p, h] = await Promise.all([api().call('curate.partitions.list', { dataset }), api().call('curate.history', {})]);
        set({ partitions: p.partitions, history: h });
      } catch (error) {
        reportError(error, 'Could not list partitions');
      }
    },
    async mark(rowIds, mark) {
      const partition = get().markPartition;
      if (!partition) {
        reportError(new Error('Choose the partition to mark rows in (Partitions panel → “mark here”)'), 'No partition to mark in');
        return;
      }
      try {
        await api().call('curate.marks.set', { partition, rowIds, mark });
        get().changed();
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
  };
});
