import { useCallback, useEffect, useRef, useState } from 'react';
import type { FilterColumn, TraceRow } from '../../../shared/api';
import { parseRowNumber, scrollScale } from '../../../shared/domain/scroll-scale';
import { reportError } from '../notices/store';
import { useCurate } from './store';
import { ColumnFilter } from './ColumnFilter';
import { ColumnEdge } from './ColumnEdge';
import { LEAD_PX, fitWidth, shownColumns, withWidth } from './columns';

const ROW_H = 26;
const PAGE = 200;

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
  const { dataset, filter, sort, markPartition, version, openRow, hiddenColumns, columnWidths } = useCurate();
  /** The column whose edge is being dragged and its width so far (committed to the saved view on release). */
  const [dragging, setDragging] = useState<{ key: FilterColumn; width: number } | null>(null);
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
  /** The row "go to row" (or the open row) scrolled to, and the scroll position the browser settled on for it. */
  const anchor = useRef<{ top: number; row: number } | null>(null);

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
    // a new filter refetches from where the table is (no longer at the row once scrolled to)
    void fetchPage(Math.floor(topRow / PAGE));
    anchor.current = null;
  }, [fetchPage, version]);

  const viewportRows = Math.max(1, (view.height - view.head) / ROW_H);
  const scale = scrollScale(total, ROW_H, viewportRows);
  // a row scrolled to sits exactly at the top while the scroll stays where the browser put it
  const anchored = anchor.current?.top === view.top ? anchor.current.row : null;
  const topRow = anchored ?? scale.rowAt(view.top);
  const rowTop = (i: number) => (anchored === null ? scale.rowTop(i, view.top) : view.top + (i - anchored) * ROW_H);
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
      // on a compressed range one px is a tenth of a row, and the browser may round the position it was given:
      // the row still goes exactly to the top (when the position shows it there within half a row)
      anchor.current =
        scale.scaled && Math.abs(scale.rowAt(el.scrollTop) - i) < 0.5 ? { top: el.scrollTop, row: i } : null;
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
  const columns = shownColumns(
    hiddenColumns,
    dragging ? { ...columnWidths, [dragging.key]: dragging.width } : columnWidths,
  );
  const width = columns.reduce((a, c) => a + c.width, 0) + LEAD_PX;
  const setWidth = (key: FilterColumn, px: number) =>
    useCurate.getState().set({ columnWidths: withWidth(useCurate.getState().columnWidths, key, px) });
  /** Fit a column to its header and the widest value among the rows read so far. */
  const fit = (key: FilterColumn) => {
    const c = columns.find((x) => x.key === key);
    const probe = ref.current?.querySelector('.tt-row .tt-cell:not(.tt-check)');
    const ctx = document.createElement('canvas').getContext('2d');
    if (!c || !probe || !ctx) return;
    ctx.font = getComputedStyle(probe).font;
    const texts = [c.label];
    for (const page of pages.current.values()) for (const r of page) texts.push(c.cell(r));
    setWidth(
      key,
      fitWidth(texts, (t) => ctx.measureText(t).width),
    );
  };
  const rows: React.ReactNode[] = [];
  for (let i = first; i < last; i++) {
    const r = rowAt(i);
    rows.push(
      <div
        key={i}
        className={`tt-row${r && r.rowId === openRow ? ' open' : ''}${i === target ? ' target' : ''}${r?.mark ? ` mark-${r.mark}` : ''}`}
        style={{ top: rowTop(i), height: ROW_H, width }}
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
      <span className="tt-cell" style={{ width: LEAD_PX }}>
        {total.toLocaleString()}
      </span>
      {columns.map((c) => (
        <span
          key={c.key}
          className={`tt-cell${c.num ? ' num' : ''}`}
          style={{ width: c.width }}
          data-testid={`head-${c.key}`}
        >
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
          <ColumnEdge
            column={c}
            width={c.width}
            preview={(px) => setDragging(px === null ? null : { key: c.key, width: px })}
            commit={(px) => setWidth(c.key, px)}
            fit={() => fit(c.key)}
          />
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
