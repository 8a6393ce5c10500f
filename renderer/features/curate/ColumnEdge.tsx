import { COLUMN_MAX_PX, COLUMN_MIN_PX } from '../../../shared/api';
import { DragEdge } from '../../components/DragEdge';
import { traceColumns, type TraceColumn } from './columns';

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
}) => (
  <DragEdge
    value={() => width}
    min={COLUMN_MIN_PX}
    max={COLUMN_MAX_PX}
    grows="right"
    label={`Resize column ${column.label}`}
    title={`Drag to resize ${column.label}; double-click to fit (←/→, Enter fits, Home resets)`}
    className="tt-resize"
    testId={`resize-${column.key}`}
    preview={preview}
    commit={commit}
    reset={() => commit(traceColumns.find((c) => c.key === column.key)?.width ?? width)}
    fit={fit}
  />
);
