import { describe, expect, it } from 'vitest';
import { COLUMN_MAX_PX, COLUMN_MIN_PX } from '../../shared/api';
import {
  FIT_PAD_PX,
  clampWidth,
  fitWidth,
  shownColumns,
  toggleColumn,
  traceColumns,
  withWidth,
} from '../../renderer/features/curate/columns';

describe('trace table columns', () => {
  it('shows every column at its default width until the user chooses', () => {
    const shown = shownColumns([], {});
    expect(shown.map((c) => c.key)).toEqual(traceColumns.map((c) => c.key));
    expect(shown.map((c) => c.width)).toEqual(traceColumns.map((c) => c.width));
    expect(shown.map((c) => c.key)).toEqual(expect.arrayContaining(['response_chars', 'tokens', 'question']));
  });

  it('leaves hidden columns out, keeps table order, and uses the widths set by hand', () => {
    const shown = shownColumns(['source', 'difficulty'], { question: 800 });
    expect(shown.map((c) => c.key)).toEqual([
      'id',
      'correct',
      'pass_rate',
      'think_close',
      'response_chars',
      'tokens',
      'question',
    ]);
    expect(shown.find((c) => c.key === 'question')?.width).toBe(800);
    expect(shown.find((c) => c.key === 'id')?.width).toBe(120);
  });

  it('toggles a column, but never hides the last one shown', () => {
    expect(toggleColumn([], 'tokens')).toEqual(['tokens']);
    expect(toggleColumn(['tokens', 'source'], 'tokens')).toEqual(['source']);
    const allButId = traceColumns.map((c) => c.key).filter((k) => k !== 'id');
    expect(toggleColumn(allButId, 'id')).toEqual(allButId);
  });

  it('clamps widths to the range the saved view accepts and forgets a width equal to the default', () => {
    expect(clampWidth(3)).toBe(COLUMN_MIN_PX);
    expect(clampWidth(1e9)).toBe(COLUMN_MAX_PX);
    expect(clampWidth(Number.NaN)).toBe(COLUMN_MIN_PX);
    expect(clampWidth(101.6)).toBe(102);
    expect(withWidth({}, 'question', 700)).toEqual({ question: 700 });
    expect(withWidth({ question: 700, id: 90 }, 'question', 520)).toEqual({ id: 90 });
    expect(withWidth({}, 'tokens', -50)).toEqual({ tokens: COLUMN_MIN_PX });
  });

  it('fits a column to its widest text (each measured once, long values cut) plus padding', () => {
    const measured: string[] = [];
    const w = fitWidth(['tokens', '1,234', '12,345,678'], (t) => {
      measured.push(t);
      return t.length * 7;
    });
    expect(w).toBe(10 * 7 + FIT_PAD_PX);
    expect(measured).toEqual(['tokens', '1,234', '12,345,678']);
    expect(fitWidth(['x'.repeat(100_000)], (t) => t.length)).toBe(400 + FIT_PAD_PX);
    expect(fitWidth([], () => 0)).toBe(COLUMN_MIN_PX);
  });
});
