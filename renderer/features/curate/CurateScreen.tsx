import { useEffect, useRef, useState, type CSSProperties } from 'react';
import { emptyFilter } from '../../../shared/api';
import { useData } from '../data/store';
import { useCurate, type Panel } from './store';
import { FilterChips, Histograms } from './Histograms';
import { TraceTable } from './TraceTable';
import { TraceViewer } from './TraceViewer';
import { PartitionsPanel } from './PartitionsPanel';
import { SubsetPanel } from './SubsetPanel';
import { ContaminationPanel } from './ContaminationPanel';
import { SqlBox } from './SqlBox';
import { ColumnChooser } from './ColumnChooser';
import { ErrorBoundary } from '../../components/ErrorBoundary';
import { useReader } from './reader-store';
import { SideEdge, sideCss } from './SideEdge';
import { useCurateLayout } from './layout-store';
import './curate.css';
import './reader.css';

const panels: { id: Panel; label: string }[] = [
  { id: 'trace', label: 'Trace' },
  { id: 'partitions', label: 'Partitions' },
  { id: 'subsets', label: 'Subsets & export' },
  { id: 'contamination', label: 'Contamination' },
  { id: 'sql', label: 'SQL' },
];

const typing = (t: EventTarget | null): boolean =>
  t instanceof HTMLElement &&
  (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable);

/** Undo/redo keys while the Curate screen is open (not while typing in a field). */
const useUndoKeys = () =>
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || typing(e.target)) return;
      const k = e.key.toLowerCase();
      if (k === 'z' && !e.shiftKey) {
        e.preventDefault();
        void useCurate.getState().undo();
      } else if ((k === 'z' && e.shiftKey) || k === 'y') {
        e.preventDefault();
        void useCurate.getState().redo();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

/** Explore a trace dataset, carve it into partitions and nested subsets, and export them reproducibly. */
export const CurateScreen = () => {
  const { datasets, load } = useData();
  const traceSets = datasets.filter((d) => d.kind === 'traces');
  const { dataset, total, of, facetsMs, history, panel, markPartition, filter, searchIndex } = useCurate();
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [search, setSearch] = useState(filter.search);
  const wide = useReader((s) => s.wide);
  const main = useRef<HTMLDivElement>(null);
  const [sideDrag, setSideDrag] = useState<number | null>(null);
  const sideWidth = useCurateLayout((s) => s.sideWidth);
  const side = sideDrag ?? sideWidth;
  // a width the user chose, kept between the panel's least width and what leaves the table its own
  const sideStyle = side === null ? undefined : ({ '--side': sideCss(side) } as CSSProperties);
  useUndoKeys();
  useEffect(() => void load(), [load]);
  useEffect(() => {
    const first = traceSets[0];
    if (!dataset && first) void useCurate.getState().open(first.name);
  }, [dataset, traceSets]);
  useEffect(() => setSearch(filter.search), [filter.search]);
  const info = traceSets.find((d) => d.name === dataset);
  if (!info) {
    return (
      <section>
        <div className="screen-head">
          <h1>Curate</h1>
        </div>
        <div className="empty-state">No trace dataset yet — import one in Data.</div>
      </section>
    );
  }
  const mark = async (m: 'include' | 'exclude' | null) => {
    await useCurate.getState().mark([...selected], m);
    setSelected(new Set());
  };
  const c = useCurate.getState();
  return (
    <section className="curate">
      <div className="screen-head">
        <h1>Curate</h1>
        <select value={info.name} onChange={(e) => void c.open(e.target.value)} aria-label="dataset">
          {traceSets.map((d) => (
            <option key={d.name}>{d.name}</option>
          ))}
        </select>
        <input
          className="search"
          type="search"
          placeholder="Search questions and traces…"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          onKeyDown={(e) => e.key === 'Enter' && c.setSearch(search.trim())}
          onBlur={() => search.trim() !== filter.search && c.setSearch(search.trim())}
          data-testid="trace-search"
        />
        {searchIndex === 'building' && (
          <small
            className="muted"
            data-testid="search-indexing"
            title="Searches scan every trace until the text index is built"
          >
            indexing text…
          </small>
        )}
        <span className="muted" data-testid="match-count">
          {total.toLocaleString()} of {of.toLocaleString()} traces <small>({facetsMs} ms)</small>
        </span>
        <div className="actions">
          <button
            disabled={!history.canUndo}
            onClick={() => void c.undo()}
            title={`Undo ${history.undoLabel ?? ''} (Ctrl+Z)`}
            data-testid="undo"
          >
            ↶ undo
          </button>
          <button
            disabled={!history.canRedo}
            onClick={() => void c.redo()}
            title={`Redo ${history.redoLabel ?? ''} (Ctrl+Shift+Z)`}
            data-testid="redo"
          >
            ↷ redo
          </button>
        </div>
      </div>
      <ErrorBoundary name="Filters and histograms" onReset={() => c.setFilter(emptyFilter())}>
        <FilterChips />
        {!wide && <Histograms />}
      </ErrorBoundary>
      {wide && (
        <div className="curate-reader" data-testid="trace-reader">
          <ErrorBoundary
            name="Trace reader"
            resetKeys={[dataset]}
            onReset={() => c.set({ openRow: null, compareRow: null, openIndex: null })}
          >
            <TraceViewer />
          </ErrorBoundary>
        </div>
      )}
      <div className="curate-main" hidden={wide} ref={main} style={sideStyle}>
        <div className="curate-table">
          <div className="row toolbar">
            <span>{selected.size} selected</span>
            <button disabled={!selected.size} onClick={() => void mark('include')} data-testid="mark-include">
              include
            </button>
            <button disabled={!selected.size} onClick={() => void mark('exclude')} data-testid="mark-exclude">
              exclude
            </button>
            <button disabled={!selected.size} onClick={() => void mark(null)}>
              clear mark
            </button>
            <span className="muted">
              {markPartition
                ? `marks go to “${markPartition}”`
                : 'choose a partition to mark in (Partitions → mark here)'}
            </span>
            <ColumnChooser />
          </div>
          <ErrorBoundary name="Trace table" onReset={() => c.setSort({ column: 'row_id', desc: false })}>
            <TraceTable selected={selected} setSelected={setSelected} />
          </ErrorBoundary>
        </div>
        <SideEdge main={main} preview={setSideDrag} />
        <div className="curate-side">
          <div className="tabs">
            {panels.map((p) => (
              <button
                key={p.id}
                className={panel === p.id ? 'active' : ''}
                onClick={() => c.set({ panel: p.id })}
                data-testid={`tab-${p.id}`}
              >
                {p.label}
              </button>
            ))}
          </div>
          <ErrorBoundary
            name={panels.find((p) => p.id === panel)?.label ?? panel}
            resetKeys={[panel, dataset]}
            onReset={() => panel === 'trace' && c.set({ openRow: null, compareRow: null, openIndex: null })}
          >
            {panel === 'trace' && !wide && <TraceViewer />}
            {panel === 'partitions' && <PartitionsPanel />}
            {panel === 'subsets' && <SubsetPanel />}
            {panel === 'contamination' && <ContaminationPanel />}
            {panel === 'sql' && <SqlBox relation={info.relation} />}
          </ErrorBoundary>
        </div>
      </div>
    </section>
  );
};
