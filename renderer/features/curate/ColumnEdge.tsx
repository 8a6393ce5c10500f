import { useRef } from 'react';
import { COLUMN_MAX_PX, COLUMN_MIN_PX } from '../../../shared/api';
import { traceColumns, type TraceColumn } from './columns';

/** Arrow keys move an edge by this much (Shift: the larger step), px. */
const STEP = 10;
const BIG_STEP = 50;

/**
 * The right edge of a column header: drag it to resize the column, double-click it to fit the column to its
 * contents. Focusable (Tab) as a separator: ←/→ narrow/widen (Shift for bigger steps), Enter fits, Home restores
 * the default width. While dragging only `preview` is called; the width is committed once, on release.
 */
export const ColumnEdge = ({
  column,
  width,
  preview,
  commit,
  fit,
}: {
  column: TraceColumn;
  width: number;
  preview: (px: number | null) => void;
  commit: (px: number) => void;
  fit: () => void;
}) => {
  const drag = useRef<{ x: number; width: number; last: number } | null>(null);
  return (
    <span
      className="tt-resize"
      role="separator"
      aria-orientation="vertical"
      aria-label={`Resize column ${column.label}`}
      aria-valuenow={width}
      aria-valuemin={COLUMN_MIN_PX}
      aria-valuemax={COLUMN_MAX_PX}
      title={`Drag to resize ${column.label}; double-click to fit (←/→, Enter fits, Home resets)`}
      tabIndex={0}
      data-testid={`resize-${column.key}`}
      onClick={(e) => e.stopPropagation()}
      onPointerDown={(e) => {
        if (e.button !== 0) return;
        e.preventDefault();
        e.stopPropagation();
        e.currentTarget.setPointerCapture(e.pointerId);
        drag.current = { x: e.clientX, width, last: width };
      }}
      onPointerMove={(e) => {
        const d = drag.current;
        if (!d) return;
        d.last = Math.min(COLUMN_MAX_PX, Math.max(COLUMN_MIN_PX, d.width + e.clientX - d.x));
        preview(d.last);
      }}
      onPointerUp={(e) => {
        const d = drag.current;
        drag.current = null;
        if (e.currentTarget.hasPointerCapture(e.pointerId)) e.currentTarget.releasePointerCapture(e.pointerId);
        preview(null);
        if (d && d.last !== d.width) commit(d.last);
      }}
      onPointerCancel={() => {
        drag.current = null;
        preview(null);
      }}
      onDoubleClick={(e) => {
        e.stopPropagation();
        fit();
      }}
      onKeyDown={(e) => {
        const step = e.shiftKey ? BIG_STEP : STEP;
        if (e.key === 'ArrowLeft') commit(width - step);
        else if (e.key === 'ArrowRight') commit(width + step);
        else if (e.key === 'Enter') fit();
        else if (e.key === 'Home') commit(traceColumns.find((c) => c.key === column.key)?.width ?? width);
        else return;
        e.preventDefault();
        e.stopPropagation();
      }}
    />
  );
};
