import { useCallback, useEffect, useRef, useState } from 'react';
import type { FilterColumn, TraceRow } from '../../../shared/api';
import { parseRowNumber, scrollScale } from '../../../shared/domain/scroll-scale';
import { reportError } from '../notices/store';
import { useCurate } from './store';
import { ColumnFilter } from './ColumnFilter';

const ROW_H = 26;
const PAGE = 200;

interface Col {
  key: FilterColumn;
  label: string;
  width: number;
  num?: boolean;
  sortable?: boolean;
  cell: (r: TraceRow) => string;
}
const fmt = (n: number | null) => (n === null ? '' : n.toLocaleString());
export const columns: Col[] = [
  { key: 'id', label: 'id', width: 120, sortable: true, cell: (r) => r.id ?? '' },
  { key: 'difficulty', label: 'difficulty', width: 110, sortable: true, cell: (r) => r.difficulty ?? '' },
  {
    key: 'correct',
    label: 'judged',
    width: 70,
    sortable: true,
    cell: (r) => (r.correct === null ? '' : r.correct ? '✓' : '✗'),
  },
  {
    key: 'pass_rate',
    label: 'pass',
    width: 60,
    num: true,
    sortable: true,
    cell: (r) => (r.passRate === null ? '' : r.passRate.toFixed(2)),
  },
  { key: 'source', label: 'source', width: 120, sortable: true, cell: (r) => r.source ?? '' },
  {
    key: 'think_close',
    label: 'complete',
    width: 80,
    sortable: true,
    cell: (r) => (r.thinkClose === false ? 'no </think>' : r.thinkClose ? 'yes' : ''),
  },
  { key: 'response_chars', label: 'chars', width: 80, num: true, sortable: true, cell: (r) => fmt(r.responseChars) },
  { key: 'tokens', label: 'tokens', width: 70, num: true, sortable: true, cell: (r) => fmt(r.tokens) },
  { key: 'question', label: 'question', width: 520, cell: (r) => r.question.replace(/\s+/g, ' ') },
];

/**
 * A virtual table over any number of rows: only the visible rows exist, pages arrive on demand by position.
 * Past ~577K rows (15M px) the scroll range is compressed (shared/domain/scroll-scale.ts), so every row of a
 * 1.4M-row dataset is reachable by scrolling and by "go to row".
 */
export const TraceTable = ({
  selected,
  setSelected,
}: {
  selected: Set<number>;
  setSelected: (s: Set<number>) => void;
}) => {
  const { dataset, filter, sort, markPartition, version, openRow } = useCurate();
  const ref = useRef<HTMLDivElement>(null);
  const pages = useRef(new Map<number, TraceRow[]>());
  const inflight = useRef(new Set<number>());
  const [total, setTotal] = useState(0);
  const head = useRef<HTMLDivElement>(null);
  const [view, setView] = useState({ top: 0, height: 600, head: 0 });
  /** The row "go to row" went to, highlighted until the next one. */
  const [target, setTarget] = useState<number | null>(null);
  const [gotoText, setGotoText] = useState('');
  const [gotoError, setGotoError] = useState<string | null>(null);
  const [, bump] = useState(0);
  const generation = useRef(0);

  const fetchPage = useCallback(
    async (page: number) => {
      if (!dataset || pages.current.has(page) || inflight.current.has(page)) return;
      const gen = generation.current;
      inflight.current.add(page);
      try {
        const r = await useCurate.getState().window(page * PAGE, PAGE);
        if (gen !== generation.current) return;
        pages.current.set(page, r.rows);
        setTotal(r.total);
        bump((x) => x + 1);
      } catch (error) {
        if (gen === generation.current) reportError(error, 'Could not read traces');
      } finally {
        inflight.current.delete(page);
      }
    },
    [dataset, filter, sort, markPartition],
  );

  useEffect(() => {
    generation.current++;
    pages.current = new Map();
    inflight.current = new Set();
    bump((x) => x + 1);
    // a new filter refetches from where the table is
    void fetchPage(Math.floor(topRow / PAGE));
  }, [fetchPage, version]);

  const viewportRows = Math.max(1, (view.height - view.head) / ROW_H);
  const scale = scrollScale(total, ROW_H, viewportRows);
  const topRow = scale.rowAt(view.top);
  const first = Math.max(0, Math.floor(topRow) - 5);
  const count = Math.ceil(viewportRows) + 10;
  const last = total ? Math.min(total, first + count) : first + count;
  useEffect(() => {
    for (let p = Math.floor(first / PAGE); p <= Math.floor(Math.max(first, last - 1) / PAGE); p++) void fetchPage(p);
  }, [first, last, fetchPage, version]);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const ro = new ResizeObserver(() => measure(el));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  const measure = (el: HTMLDivElement) =>
    setView({ top: el.scrollTop, height: el.clientHeight, head: head.current?.offsetHeight ?? 0 });

  /** Scroll so that row i (0-based) is at the top of the viewport. */
  const scrollToRow = useCallback(
    (i: number) => {
      const el = ref.current;
      if (!el) return;
      el.scrollTop = scale.scrollFor(i);
      measure(el);
    },
    [scale],
  );
  const goto = () => {
    const r = parseRowNumber(gotoText, total);
    if ('error' in r) {
      setGotoError(r.error);
      return;
    }
    setGotoError(null);
    setTarget(r.row);
    scrollToRow(r.row);
  };
  // previous/next in the trace viewer keep the open row in view (only when the open row moves)
  const openIndex = useCurate((s) => s.openIndex);
  useEffect(() => {
    if (openIndex === null) return;
    const top = scale.rowAt(ref.current?.scrollTop ?? 0);
    if (openIndex < Math.ceil(top)) scrollToRow(openIndex);
    else if (openIndex > top + viewportRows - 1) scrollToRow(openIndex - Math.floor(viewportRows) + 1);
  }, [openIndex]);

  const rowAt = (i: number): TraceRow | undefined => pages.current.get(Math.floor(i / PAGE))?.[i % PAGE];
  const open = (r: TraceRow, i: number) => useCurate.getState().set({ openRow: r.rowId, openIndex: i, panel: 'trace' });
  const toggle = (id: number) => {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setSelected(next);
  };
  const width = columns.reduce((a, c) => a + c.width, 0) + 88;
  const rows: React.ReactNode[] = [];
  for (let i = first; i < last; i++) {
    const r = rowAt(i);
    rows.push(
      <div
        key={i}
        className={`tt-row${r && r.rowId === openRow ? ' open' : ''}${i === target ? ' target' : ''}${r?.mark ? ` mark-${r.mark}` : ''}`}
        style={{ top: scale.rowTop(i, view.top), height: ROW_H, width }}
        data-testid="trace-row"
        data-row-id={r?.rowId}
        data-index={i}
        onClick={() => r && open(r, i)}
      >
        <span className="tt-cell tt-check" style={{ width: 30 }} onClick={(e) => e.stopPropagation()}>
          {r && (
            <input
              type="checkbox"
              aria-label={`select ${r.id ?? r.rowId}`}
              checked={selected.has(r.rowId)}
              onChange={() => toggle(r.rowId)}
            />
          )}
        </span>
        <span className="tt-cell tt-mark" style={{ width: 58 }}>
          {r?.mark === 'include' ? (
            <span className="badge ok">+ in</span>
          ) : r?.mark === 'exclude' ? (
            <span className="badge danger">− out</span>
          ) : (
            ''
          )}
        </span>
        {r ? (
          columns.map((c) => (
            <span key={c.key} className={`tt-cell${c.num ? ' num' : ''}`} style={{ width: c.width }}>
              {c.cell(r)}
            </span>
          ))
        ) : (
          <span className="tt-cell muted">…</span>
        )}
      </div>,
    );
  }
  const header = (
    <div className="tt-head" style={{ width }} ref={head}>
      <span className="tt-cell" style={{ width: 88 }}>
        {total.toLocaleString()}
      </span>
      {columns.map((c) => (
        <span key={c.key} className={`tt-cell${c.num ? ' num' : ''}`} style={{ width: c.width }}>
          <button
            className="link"
            disabled={!c.sortable}
            data-testid={`sort-${c.key}`}
            onClick={() =>
              useCurate.getState().setSort({ column: c.key, desc: sort.column === c.key ? !sort.desc : false })
            }
          >
            {c.label}
            {sort.column === c.key ? (sort.desc ? ' ▼' : ' ▲') : ''}
          </button>
          <ColumnFilter column={c.key} />
        </span>
      ))}
    </div>
  );
  const shownFirst = total ? Math.min(total, Math.floor(topRow) + 1) : 0;
  const shownLast = Math.min(total, Math.floor(topRow + viewportRows));
  return (
    <>
      <div className="tt" ref={ref} data-testid="traces-table" onScroll={(e) => measure(e.currentTarget)}>
        {header}
        <div className="tt-body" style={{ height: scale.bodyHeight, width }}>
          {rows}
        </div>
      </div>
      <form
        className="tt-status"
        onSubmit={(e) => {
          e.preventDefault();
          goto();
        }}
      >
        <span className="muted" data-testid="rows-shown">
          rows {shownFirst.toLocaleString()}–{shownLast.toLocaleString()} of {total.toLocaleString()}
        </span>
        <label>
          go to row{' '}
          <input
            value={gotoText}
            onChange={(e) => setGotoText(e.target.value)}
            inputMode="numeric"
            placeholder={total ? total.toLocaleString() : ''}
            aria-label="go to row"
            data-testid="goto-row"
            className={gotoError ? 'invalid' : ''}
            title={gotoError ?? 'Row number, 1-based (Enter)'}
          />
        </label>
        {gotoError && (
          <span className="error-text" data-testid="goto-error">
            {gotoError}
          </span>
        )}
      </form>
    </>
  );
};
