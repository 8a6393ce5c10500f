import { useEffect, useRef } from 'react';
import { useEscape } from '../../components/useEscape';
import { useCurate } from './store';
import { toggleColumn, traceColumns } from './columns';

/**
 * "Columns…" beside the trace table: show or hide each column, and forget the widths set by hand. The choice is
 * saved with the Curate view of the dataset.
 */
export const ColumnChooser = () => {
  const open = useCurate((s) => s.columnsOpen);
  const hidden = useCurate((s) => s.hiddenColumns);
  const widths = useCurate((s) => s.columnWidths);
  const box = useRef<HTMLDivElement>(null);
  const close = () => useCurate.setState({ columnsOpen: false });
  useEscape(close, open);
  useEffect(() => {
    if (!open) return;
    box.current?.querySelector<HTMLInputElement>('input')?.focus();
    const away = (e: PointerEvent) => {
      if (box.current && e.target instanceof Node && !box.current.parentElement?.contains(e.target)) close();
    };
    window.addEventListener('pointerdown', away);
    return () => window.removeEventListener('pointerdown', away);
  }, [open]);
  const set = useCurate.getState().set;
  const shown = traceColumns.length - hidden.length;
  return (
    <span className="col-chooser">
      <button
        onClick={() => useCurate.setState({ columnsOpen: !open })}
        aria-expanded={open}
        data-testid="columns-button"
        title="Choose the table's columns"
      >
        Columns…
      </button>
      {open && (
        <div className="col-chooser-box" role="dialog" aria-label="Table columns" ref={box} data-testid="columns-box">
          <div className="col-chooser-list">
            {traceColumns.map((c) => {
              const on = !hidden.includes(c.key);
              return (
                <label key={c.key} title={c.title}>
                  <input
                    type="checkbox"
                    checked={on}
                    disabled={on && shown <= 1}
                    onChange={() => set({ hiddenColumns: toggleColumn(hidden, c.key) })}
                    data-testid={`column-${c.key}`}
                  />
                  {c.label} <small className="muted">{c.title}</small>
                  {widths[c.key] !== undefined && <small className="muted"> · {widths[c.key]} px</small>}
                </label>
              );
            })}
          </div>
          <div className="row">
            <button disabled={hidden.length === 0} onClick={() => set({ hiddenColumns: [] })}>
              Show all
            </button>
            <button
              disabled={Object.keys(widths).length === 0}
              onClick={() => set({ columnWidths: {} })}
              data-testid="columns-reset-widths"
            >
              Default widths
            </button>
            <button onClick={close}>Close</button>
          </div>
          <small className="muted">Drag a header&apos;s right edge to resize; double-click it to fit.</small>
        </div>
      )}
    </span>
  );
};
