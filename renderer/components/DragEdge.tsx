import { useRef } from 'react';

/** Arrow keys move an edge by this much (Shift: the larger step), px. */
const STEP = 10;
const BIG_STEP = 50;

/**
 * A draggable edge that sizes something (a table column, a side panel): a focusable vertical separator. Drag it, or
 * ←/→ (Shift for bigger steps); Home restores the default, Enter and double-click call `fit` (or restore the default
 * when there is none). `grows` says which way widens: 'right' for an edge on the right of what it sizes, 'left' for
 * one on its left. While dragging only `preview` is called; the size is committed once, on release.
 */
export const DragEdge = ({
  value,
  min,
  max,
  grows,
  label,
  title,
  className,
  testId,
  preview,
  commit,
  reset,
  fit,
}: {
  /** The size now, px. */
  value: () => number;
  min: number;
  max: number;
  grows: 'left' | 'right';
  label: string;
  title: string;
  className: string;
  testId: string;
  preview: (px: number | null) => void;
  commit: (px: number) => void;
  reset: () => void;
  fit?: () => void;
}) => {
  const drag = useRef<{ x: number; size: number; last: number } | null>(null);
  const sign = grows === 'right' ? 1 : -1;
  const clamp = (px: number) => Math.round(Math.min(max, Math.max(min, px)));
  return (
    <span
      className={className}
      role="separator"
      aria-orientation="vertical"
      aria-label={label}
      aria-valuenow={Math.round(value())}
      aria-valuemin={min}
      aria-valuemax={max}
      title={title}
      tabIndex={0}
      data-testid={testId}
      onClick={(e) => e.stopPropagation()}
      onPointerDown={(e) => {
        if (e.button !== 0) return;
        e.preventDefault();
        e.stopPropagation();
        e.currentTarget.setPointerCapture(e.pointerId);
        const size = value();
        drag.current = { x: e.clientX, size, last: size };
      }}
      onPointerMove={(e) => {
        const d = drag.current;
        if (!d) return;
        d.last = clamp(d.size + sign * (e.clientX - d.x));
        preview(d.last);
      }}
      onPointerUp={(e) => {
        const d = drag.current;
        drag.current = null;
        if (e.currentTarget.hasPointerCapture(e.pointerId)) e.currentTarget.releasePointerCapture(e.pointerId);
        preview(null);
        if (d && d.last !== d.size) commit(d.last);
      }}
      onPointerCancel={() => {
        drag.current = null;
        preview(null);
      }}
      onDoubleClick={(e) => {
        e.stopPropagation();
        (fit ?? reset)();
      }}
      onKeyDown={(e) => {
        const step = (e.shiftKey ? BIG_STEP : STEP) * sign;
        if (e.key === 'ArrowLeft') commit(clamp(value() - step));
        else if (e.key === 'ArrowRight') commit(clamp(value() + step));
        else if (e.key === 'Enter') (fit ?? reset)();
        else if (e.key === 'Home') reset();
        else return;
        e.preventDefault();
        e.stopPropagation();
      }}
    />
  );
};
