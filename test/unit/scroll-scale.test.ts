import { describe, expect, it } from 'vitest';
import { parseRowNumber, SCROLL_CAP_PX, scrollScale } from '../../shared/domain/scroll-scale';

/** Chromium's largest element height (LayoutUnit max), which the body must stay under. */
const CHROMIUM_MAX_PX = 33_554_428;

describe('scrollScale: every row reachable in a body a browser can lay out', () => {
  it('is exact under the cap: one px of scroll is one px of rows', () => {
    const s = scrollScale(3000, 26, 20.5);
    expect(s.scaled).toBe(false);
    expect(s.bodyHeight).toBe(3000 * 26);
    expect(s.rowAt(26 * 100)).toBe(100);
    expect(s.scrollFor(100)).toBe(2600);
    expect(s.rowTop(100, 12345)).toBe(2600);
    // the last scroll position shows the last row at the bottom
    const maxTop = s.bodyHeight - 20.5 * 26;
    expect(s.rowAt(maxTop) + 20.5).toBeCloseTo(3000);
    expect(s.scrollFor(2999)).toBeCloseTo(maxTop);
  });

  it('compresses 1.4M rows into the cap and still reaches the first and the last row', () => {
    const rows = 1_400_000;
    const k = 24.3;
    const s = scrollScale(rows, 26, k);
    expect(rows * 26).toBeGreaterThan(CHROMIUM_MAX_PX);
    expect(s.scaled).toBe(true);
    expect(s.bodyHeight).toBe(SCROLL_CAP_PX);
    expect(s.bodyHeight).toBeLessThan(CHROMIUM_MAX_PX);
    const maxTop = s.bodyHeight - k * 26;
    expect(s.rowAt(0)).toBe(0);
    expect(s.rowAt(maxTop)).toBeCloseTo(rows - k, 6);
    // past the range (overscroll, a stale position) clamps to the last page
    expect(s.rowAt(maxTop + 5000)).toBeCloseTo(rows - k, 6);
    // the last row sits at the bottom of the body, inside it
    expect(s.rowTop(rows - 1, maxTop) + 26).toBeCloseTo(s.bodyHeight, 3);
    // the first row at the top at 0
    expect(s.rowTop(0, 0)).toBe(0);
  });

  it('round-trips any row through its scroll position to within a tenth of a row (whole px as browsers keep)', () => {
    const rows = 1_400_000;
    const s = scrollScale(rows, 26, 24);
    for (const row of [0, 1, 999, 777_777, 1_290_554, 1_399_975]) {
      const top = Math.round(s.scrollFor(row));
      expect(Math.abs(s.rowAt(top) - row)).toBeLessThan(0.1);
      // the row is placed at the top of the viewport (within a few px)
      expect(Math.abs(s.rowTop(row, top) - top)).toBeLessThan(3);
    }
    // a whole px, rounded down: the row is never under the header, at most a few px below the top
    for (const k of [15.85, 16.3, 24, 31.07]) {
      const t = scrollScale(rows, 26, k);
      for (const row of [1_290_599, 777_777, 12_345]) {
        const top = t.scrollFor(row);
        expect(Number.isInteger(top)).toBe(true);
        expect(t.rowTop(row, top) - top).toBeGreaterThanOrEqual(0);
        expect(t.rowTop(row, top) - top).toBeLessThan(3);
      }
    }
    // rows in the last viewport clamp to the end of the range
    expect(s.scrollFor(rows - 1)).toBeCloseTo(s.bodyHeight - 24 * 26);
  });

  it('keeps neighbouring rows a row height apart in a compressed body', () => {
    const s = scrollScale(5_000_000, 26, 30);
    const top = s.scrollFor(2_500_000);
    expect(s.rowTop(2_500_001, top) - s.rowTop(2_500_000, top)).toBeCloseTo(26);
  });

  it('handles an empty table and a table shorter than the viewport', () => {
    const empty = scrollScale(0, 26, 20);
    expect(empty.bodyHeight).toBe(26);
    expect(empty.rowAt(100)).toBe(0);
    const short = scrollScale(5, 26, 20);
    expect(short.rowAt(50)).toBe(0);
    expect(short.scrollFor(4)).toBe(0);
  });
});

describe('parseRowNumber: the "go to row" field', () => {
  it('reads 1-based numbers with separators as 0-based rows', () => {
    expect(parseRowNumber('1', 10)).toEqual({ row: 0 });
    expect(parseRowNumber(' 1,400,000 ', 1_400_000)).toEqual({ row: 1_399_999 });
    expect(parseRowNumber('1_000', 5000)).toEqual({ row: 999 });
  });
  it('names what is wrong', () => {
    expect(parseRowNumber('', 10)).toEqual({ error: 'Type a row number' });
    expect(parseRowNumber('12a', 10)).toEqual({ error: '“12a” is not a row number' });
    expect(parseRowNumber('0', 10)).toEqual({ error: 'Row 0 is outside 1–10' });
    expect(parseRowNumber('11', 10)).toEqual({ error: 'Row 11 is outside 1–10' });
    expect(parseRowNumber('1', 0)).toEqual({ error: 'The table has no rows' });
  });
});
