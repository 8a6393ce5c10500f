import { describe, expect, it } from 'vitest';
import type { Data } from 'plotly.js';
import { planUpdate, yTopFor, yTopOf } from '../../renderer/components/plot-update';

const bars = (y: number[], colors = y.map(() => 'blue'), x = y.map((_, i) => i)): Data[] => [
  { type: 'bar', x, y, marker: { color: colors }, hovertemplate: '%{x}: %{y}<extra></extra>' },
];

describe('planUpdate: which histogram updates can skip a full redraw', () => {
  const frame = JSON.stringify({ height: 170 });
  it('draws in full the first time and whenever layout or config change', () => {
    expect(planUpdate(null, bars([1, 2]), frame).kind).toBe('full');
    expect(planUpdate({ data: bars([1, 2]), frame }, bars([3, 4]), JSON.stringify({ height: 200 })).kind).toBe('full');
  });
  it('does nothing when nothing shown changed', () => {
    expect(planUpdate({ data: bars([1, 2]), frame }, bars([1, 2]), frame)).toEqual({ kind: 'none' });
  });
  it('updates bar heights and colours in place, moving the y axis only when its round top changes', () => {
    const plan = planUpdate({ data: bars([10, 20]), frame }, bars([3, 7], ['red', 'blue']), frame);
    expect(plan).toEqual({ kind: 'bars', y: [[3, 7]], colors: [['red', 'blue']], yTop: 10, moveAxis: true });
    // 20 and 23 both fit under 25 (with 5% room): the axis stays where it is
    const same = planUpdate({ data: bars([10, 20]), frame }, bars([23, 1]), frame);
    expect(same).toEqual({ kind: 'bars', y: [[23, 1]], colors: [['blue', 'blue']], yTop: 25, moveAxis: false });
  });
  it('redraws in full when bins move, traces are not bars, or counts are not counts', () => {
    expect(planUpdate({ data: bars([1, 2]), frame }, bars([1, 2, 3]), frame).kind).toBe('full');
    expect(
      planUpdate({ data: bars([1, 2], undefined, [0, 1]), frame }, bars([1, 2], undefined, [5, 6]), frame).kind,
    ).toBe('full');
    const line: Data[] = [{ type: 'scatter', x: [0, 1], y: [1, 2] }];
    expect(planUpdate({ data: line, frame }, [{ type: 'scatter', x: [0, 1], y: [2, 3] }], frame).kind).toBe('full');
    expect(planUpdate({ data: bars([1, 2]), frame }, bars([1, -2]), frame).kind).toBe('full');
  });
});

describe('yTopFor: a count axis ends on a round number above the tallest bar', () => {
  it('takes the least of 1, 2, 2.5 and 5 × 10^k with 5% room', () => {
    expect([0, 1, 2, 9, 10, 19, 20, 24, 95, 96, 2380, 12_000, 476_190, 476_191].map(yTopFor)).toEqual([
      1, 2, 2.5, 10, 20, 20, 25, 50, 100, 200, 2500, 20_000, 500_000, 1_000_000,
    ]);
  });
  it('leaves the tallest bar 47-95% of the height', () => {
    for (let m = 1; m < 5_000_000; m = Math.ceil(m * 1.13)) {
      const top = yTopFor(m);
      expect(m * 1.05).toBeLessThanOrEqual(top);
      expect(m / top).toBeGreaterThan(0.47);
    }
  });
  it('is the top of every bar trace of a chart, or null for other charts', () => {
    expect(yTopOf([...bars([3, 40]), ...bars([90])])).toBe(100);
    expect(yTopOf([{ type: 'scatter', x: [0], y: [1] }])).toBeNull();
  });
});
