import { describe, expect, it } from 'vitest';
import type { Data } from 'plotly.js';
import { planUpdate } from '../../renderer/components/plot-update';

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
  it('updates bar heights and colours in place, with the y range from the new counts', () => {
    const plan = planUpdate({ data: bars([10, 20]), frame }, bars([3, 7], ['red', 'blue']), frame);
    expect(plan).toEqual({ kind: 'bars', y: [[3, 7]], colors: [['red', 'blue']], yMax: 7 });
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
