import { formatSize } from '../../../../shared/analysis/format';
import { textWidth, type Shape } from './scene';
import { ink, type Preset } from './style';

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

export interface Scale {
  readonly domain: readonly [number, number];
  readonly log: boolean;
  (v: number): number;
}

export const linearScale = (domain: readonly [number, number], range: readonly [number, number]): Scale => {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const f = (v: number) => r0 + ((v - d0) / (d1 - d0 || 1)) * (r1 - r0);
  return Object.assign(f, { domain, log: false });
};

export const logScale = (domain: readonly [number, number], range: readonly [number, number]): Scale => {
  const lin = linearScale([Math.log10(domain[0]), Math.log10(domain[1])], range);
  const f = (v: number) => lin(Math.log10(v));
  return Object.assign(f, { domain, log: true });
};

/** About `count` round tick values (1, 2, 5 × 10^k steps) covering [lo, hi]. */
export const niceTicks = (lo: number, hi: number, count = 5): number[] => {
  const span = hi - lo;
  if (!(span > 0)) return [lo];
  const raw = span / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * mag >= raw) ?? 10) * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step)
    out.push(Number((Math.round(v / step) * step).toPrecision(12)) + 0); // no 0.6000000000000001, and -0 → 0
  return out;
};

/** Widen [lo, hi] to round numbers so the ticks sit on the ends. */
export const niceDomain = (lo: number, hi: number, count = 5): [number, number] => {
  if (!(hi > lo)) return [lo - 0.05, hi + 0.05];
  const ticks = niceTicks(lo, hi, count);
  const step = ticks.length > 1 ? (ticks[1] as number) - (ticks[0] as number) : hi - lo;
  const round = (v: number) => Number(v.toPrecision(12)) + 0;
  return [round(Math.floor(lo / step + 1e-9) * step), round(Math.ceil(hi / step - 1e-9) * step)];
};

/** Decade ticks inside a log domain (major), and 2…9 × decade (minor). */
export const logTicks = (lo: number, hi: number): { major: number[]; minor: number[] } => {
  const major: number[] = [];
  const minor: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
    const d = 10 ** e;
    if (d >= lo * 0.999 && d <= hi * 1.001) major.push(d);
    for (let m = 2; m <= 9; m++) if (m * d >= lo && m * d <= hi) minor.push(m * d);
  }
  return { major, minor };
};

/** 1000 → "1K", 30000 → "30K", 1500000 → "1.5M". */
export const formatTick = (v: number, percent: boolean): string => {
  const x = percent ? v * 100 : v;
  const r = Math.round(x * 1e6) / 1e6 + 0;
  return String(r).replace(/^-/, '\u2212');
};

/** Where the x-axis title sits below a panel whose bottom edge is `bottom`. */
export const xLabelY = (bottom: number, preset: Preset): number => bottom + 6 + preset.tick + preset.font * 0.6;

export interface AxesSpec {
  readonly rect: Rect;
  readonly x: Scale;
  readonly y: Scale;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly percent: boolean;
  readonly preset: Preset;
  readonly title?: string;
  /** Category axis instead of numeric x ticks. */
  readonly categories?: readonly { label: string; at: number }[];
}

/** Frame (left and bottom spines), grid, ticks and labels of one panel. */
export const drawAxes = (a: AxesSpec): Shape[] => {
  const { rect, x, y, preset } = a;
  const out: Shape[] = [];
  const bottom = rect.y + rect.h;
  const grid = { color: ink.grid, width: 0.5 };
  const axis = { color: ink.axis, width: 0.6 };
  const text = (tx: number, ty: number, s: string, anchor: 'start' | 'middle' | 'end', size = preset.tick): Shape => ({
    kind: 'text',
    x: tx,
    y: ty,
    text: s,
    size,
    color: ink.text,
    anchor,
    rotate: 0,
  });
  for (const v of niceTicks(y.domain[0], y.domain[1], rect.h > 120 ? 5 : 4)) {
    const py = y(v);
    out.push({
      kind: 'line',
      points: [
        [rect.x, py],
        [rect.x + rect.w, py],
      ],
      stroke: grid,
    });
    out.push({
      kind: 'line',
      points: [
        [rect.x - 2.5, py],
        [rect.x, py],
      ],
      stroke: axis,
    });
    out.push(text(rect.x - 4, py, formatTick(v, a.percent), 'end'));
  }
  if (a.categories) {
    for (const c of a.categories) out.push(text(c.at, bottom + 3 + preset.tick * 0.6, c.label, 'middle'));
  } else if (x.log) {
    const { major, minor } = logTicks(x.domain[0], x.domain[1]);
    for (const v of minor)
      out.push({
        kind: 'line',
        points: [
          [x(v), bottom],
          [x(v), bottom + 1.5],
        ],
        stroke: axis,
      });
    for (const v of major) {
      out.push({
        kind: 'line',
        points: [
          [x(v), rect.y],
          [x(v), bottom],
        ],
        stroke: grid,
      });
      out.push({
        kind: 'line',
        points: [
          [x(v), bottom],
          [x(v), bottom + 3],
        ],
        stroke: axis,
      });
      out.push(text(x(v), bottom + 4 + preset.tick * 0.55, formatSize(v), 'middle'));
    }
  }
  out.push({
    kind: 'line',
    points: [
      [rect.x, rect.y],
      [rect.x, bottom],
      [rect.x + rect.w, bottom],
    ],
    stroke: axis,
  });
  if (a.xLabel) {
    out.push({
      kind: 'text',
      x: rect.x + rect.w / 2,
      y: xLabelY(bottom, preset),
      text: a.xLabel,
      size: preset.font,
      color: ink.text,
      anchor: 'middle',
      rotate: 0,
    });
  }
  const widest = Math.max(
    ...niceTicks(y.domain[0], y.domain[1]).map((v) => textWidth(formatTick(v, a.percent), preset.tick)),
  );
  out.push({
    kind: 'text',
    x: rect.x - 7 - widest - preset.font * 0.6,
    y: rect.y + rect.h / 2,
    text: a.yLabel,
    size: preset.font,
    color: ink.text,
    anchor: 'middle',
    rotate: -90,
  });
  if (a.title) {
    out.push({
      kind: 'text',
      x: rect.x + rect.w / 2,
      y: rect.y - preset.font * 0.8,
      text: a.title,
      size: preset.font,
      color: ink.text,
      anchor: 'middle',
      rotate: 0,
      bold: true,
    });
  }
  return out;
};
