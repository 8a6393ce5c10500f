import type { RefObject } from 'react';
import { DragEdge } from '../../components/DragEdge';
import { SIDE_MIN_PX, TABLE_MIN_PX, useCurateLayout } from './layout-store';

/** The side panel's grid track for a chosen width: never under its least width, always leaving the table its own. */
export const sideCss = (px: number): string => `clamp(${SIDE_MIN_PX}px, ${px}px, 100% - ${TABLE_MIN_PX + 8}px)`;

/**
 * The edge between the trace table and the side panel: drag it (or ←/→) to widen or narrow the panel; the width is
 * kept in this browser. Double-click or Home: back to the default split.
 */
export const SideEdge = ({
  main,
  preview,
}: {
  main: RefObject<HTMLDivElement | null>;
  preview: (px: number | null) => void;
}) => {
  const setSideWidth = useCurateLayout((s) => s.setSideWidth);
  const panel = () => main.current?.querySelector<HTMLElement>('.curate-side')?.getBoundingClientRect().width ?? 0;
  const widest = () => Math.max(SIDE_MIN_PX, (main.current?.getBoundingClientRect().width ?? 0) - TABLE_MIN_PX - 8);
  return (
    <DragEdge
      value={panel}
      min={SIDE_MIN_PX}
      max={4000}
      grows="left"
      label="Resize the side panel"
      title="Drag to resize the side panel; double-click for the default split (←/→, Home resets)"
      className="side-resize"
      testId="side-resize"
      preview={(px) => preview(px === null ? null : Math.min(px, widest()))}
      commit={(px) => setSideWidth(Math.min(px, widest()))}
      reset={() => setSideWidth(null)}
    />
  );
};
