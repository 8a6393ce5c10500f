/**
 * A virtual list's scroll range when its rows would be taller than a browser can lay out. Chromium caps an
 * element's height at 33,554,428 px (LayoutUnit's range), which at 26 px a row is 1,290,554 rows; past a cap
 * well under that the body keeps the cap's height and scrolling maps proportionally onto row positions, so the
 * first row shows at the top of the range and the last row at the bottom. Under the cap the mapping is exact
 * (one pixel of scroll is one pixel of rows), so small tables scroll as before.
 */
export const SCROLL_CAP_PX = 15_000_000;

export interface ScrollScale {
  /** Height of the scrolled body, in px. */
  readonly bodyHeight: number;
  /** Whether the scroll range is compressed (rows × row height over the cap). */
  readonly scaled: boolean;
  /** Rows per px of scroll. */
  readonly rowsPerPx: number;
  /** Fractional row shown at the top of the viewport (below any sticky header) at this scroll position. */
  rowAt(scrollTop: number): number;
  /**
   * The scroll position that shows `row` at the top, clamped to the scroll range. On a compressed range it is whole
   * px rounded down (browsers keep whole px; rounding up would slide the row up to ~2 px under the sticky header).
   */
  scrollFor(row: number): number;
  /** Where row `i` is placed inside the body at this scroll position, in px. */
  rowTop(i: number, scrollTop: number): number;
}

/**
 * @param rows         number of rows
 * @param rowHeight    px per row
 * @param viewportRows rows that fit in the viewport (its height below the header / row height; fractional)
 * @param cap          largest body height used, in px
 */
export const scrollScale = (
  rows: number,
  rowHeight: number,
  viewportRows: number,
  cap = SCROLL_CAP_PX,
): ScrollScale => {
  const n = Math.max(0, Math.floor(rows));
  const full = Math.max(n, 1) * rowHeight;
  const scaled = full > cap;
  const bodyHeight = scaled ? cap : full;
  const k = Math.max(0, viewportRows);
  // scroll range (px) and the rows it has to cover: the top row goes from 0 to n - k
  const range = bodyHeight - k * rowHeight;
  const rowsToCover = n - k;
  const rowsPerPx = scaled && range > 0 && rowsToCover > 0 ? rowsToCover / range : 1 / rowHeight;
  const maxTop = Math.max(0, range);
  const rowAt = (scrollTop: number) => Math.max(0, Math.min(scrollTop, maxTop)) * rowsPerPx;
  return {
    bodyHeight,
    scaled,
    rowsPerPx,
    rowAt,
    scrollFor: (row) => {
      const px = Math.max(0, Math.min(row / rowsPerPx, maxTop));
      return scaled ? Math.floor(px) : px;
    },
    rowTop: (i, scrollTop) =>
      scaled ? Math.max(0, Math.min(scrollTop, maxTop)) + (i - rowAt(scrollTop)) * rowHeight : i * rowHeight,
  };
};

/**
 * A "go to row" entry (1-based, as shown; thousands separators, spaces and underscores allowed) as a 0-based row
 * index, or an error naming what is wrong.
 */
export const parseRowNumber = (text: string, rows: number): { row: number } | { error: string } => {
  const clean = text.trim().replace(/[,_\s']/g, '');
  if (clean === '') return { error: 'Type a row number' };
  if (!/^\d+$/.test(clean)) return { error: `“${text.trim()}” is not a row number` };
  const n = Number(clean);
  if (rows === 0) return { error: 'The table has no rows' };
  if (n < 1 || n > rows)
    return { error: `Row ${n.toLocaleString('en-US')} is outside 1–${rows.toLocaleString('en-US')}` };
  return { row: n - 1 };
};
