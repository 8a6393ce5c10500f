import type { Data } from 'plotly.js';

/**
 * How a chart goes from what it shows to new props: nothing to do, new bar heights and colours only (drawn in
 * place by Plotly.animate without a relayout: ~3× faster than Plotly.react's full recalc and redraw), or a full
 * Plotly.react. `frame` is everything else the chart is drawn with (final layout, config), as text.
 */
export type PlotUpdate =
  | { readonly kind: 'none' }
  | { readonly kind: 'bars'; readonly y: number[][]; readonly colors: unknown[]; readonly yMax: number }
  | { readonly kind: 'full' };

export interface Drawn {
  readonly data: readonly Data[];
  readonly frame: string;
}

type Loose = Record<string, unknown>;

/** A trace without its bar heights and colours, as text. */
const rest = (t: Data): string => {
  const { y: _y, marker, ...others } = t as unknown as Loose;
  const { color: _c, ...m } = (marker ?? {}) as Loose;
  return JSON.stringify([others, m]);
};

const counts = (y: unknown): number[] | null =>
  Array.isArray(y) && y.every((v): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0) ? y : null;

export const planUpdate = (prev: Drawn | null, next: readonly Data[], frame: string): PlotUpdate => {
  if (!prev || prev.frame !== frame || prev.data.length !== next.length) return { kind: 'full' };
  if (JSON.stringify(prev.data) === JSON.stringify(next)) return { kind: 'none' };
  const y: number[][] = [];
  const colors: unknown[] = [];
  for (const [i, t] of next.entries()) {
    const before = prev.data[i] as Data;
    const ys = counts((t as unknown as Loose)['y']);
    if (t.type !== 'bar' || before.type !== 'bar' || !ys || rest(t) !== rest(before)) return { kind: 'full' };
    y.push(ys);
    colors.push(((t as unknown as Loose)['marker'] as Loose | undefined)?.['color']);
  }
  return { kind: 'bars', y, colors, yMax: Math.max(0, ...y.flat()) };
};
