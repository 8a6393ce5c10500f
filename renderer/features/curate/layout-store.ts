import { create } from 'zustand';

/** Narrowest the Curate side panel may be dragged to, and the least width it leaves the trace table (px). */
export const SIDE_MIN_PX = 380;
export const TABLE_MIN_PX = 400;
const KEY = 'valley.curate.side';

const savedWidth = (): number | null => {
  const v = Number(localStorage.getItem(KEY));
  return Number.isInteger(v) && v >= SIDE_MIN_PX ? v : null;
};

interface CurateLayoutState {
  /** The side panel's width the user dragged, px (kept in this browser); null: the default split. */
  sideWidth: number | null;
  setSideWidth(px: number | null): void;
}

export const useCurateLayout = create<CurateLayoutState>((set) => ({
  sideWidth: savedWidth(),
  setSideWidth(px) {
    const width = px === null ? null : Math.max(SIDE_MIN_PX, Math.round(px));
    if (width === null) localStorage.removeItem(KEY);
    else localStorage.setItem(KEY, String(width));
    set({ sideWidth: width });
  },
}));
