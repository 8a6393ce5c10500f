import type { Series, SeriesFit } from '../../../../shared/api';
import { formatSize } from '../../../../shared/analysis/format';
import { drawAxes, linearScale, logScale, niceDomain, type Rect, type Scale } from './axes';
import { textWidth, type MarkerShape, type Shape, type Stroke } from './scene';
import { ink, seriesColor, seriesMarker, type Preset } from './style';

export interface PanelOptions {
  readonly rect: Rect;
  readonly series: readonly Series[];
  readonly fits: readonly SeriesFit[];
  readonly xDomain: readonly [number, number];
  readonly yLabel: string;
  readonly percent: boolean;
  readonly fit: boolean;
  readonly valley: boolean;
  readonly preset: Preset;
  readonly title?: string;
  /** The x-axis title; facets leave it out and the figure draws one under all of them. */
  readonly xLabel: string;
  /** Colour index per series key, so facets keep one colour per series. */
  readonly colorOf: (key: string) => number;
}

/** The x range every point (and the fit band) needs, padded by a fifth of a decade each side. */
export const sizeDomain = (series: readonly Series[]): [number, number] => {
  const sizes = series.flatMap((s) => s.points.map((p) => p.size)).filter((n) => n > 0);
  if (sizes.length === 0) return [100, 100000];
  const lo = Math.min(...sizes);
  const hi = Math.max(...sizes);
  return [lo / 10 ** 0.2, hi * 10 ** 0.2];
};

const valueDomain = (o: PanelOptions): [number, number] => {
  const vs: number[] = [];
  for (const s of o.series) {
    for (const p of s.points) vs.push(p.value, p.error?.lo ?? p.value, p.error?.hi ?? p.value);
    if (s.baseline) vs.push(s.baseline.value);
  }
  if (o.fit) for (const f of o.fits) for (const b of f.band) vs.push(b.lo ?? b.value, b.hi ?? b.value);
  if (vs.length === 0) return [0, 1];
  let lo = Math.min(...vs);
  let hi = Math.max(...vs);
  const pad = (hi - lo || Math.abs(hi) || 1) * 0.06;
  lo -= pad;
  hi += pad;
  if (o.percent) {
    lo = Math.max(0, lo);
    hi = Math.min(1, hi);
  }
  return niceDomain(lo, hi, 5);
};

const errorBar = (x: number, lo: number, hi: number, color: string, width: number): Shape[] => {
  const cap = 1.6;
  const stroke: Stroke = { color, width: width * 0.7 };
  return [
    {
      kind: 'line',
      points: [
        [x, lo],
        [x, hi],
      ],
      stroke,
    },
    {
      kind: 'line',
      points: [
        [x - cap, lo],
        [x + cap, lo],
      ],
      stroke,
    },
    {
      kind: 'line',
      points: [
        [x - cap, hi],
        [x + cap, hi],
      ],
      stroke,
    },
  ];
};

const clipY = (y: Scale, v: number): number => Math.min(Math.max(v, y.domain[0]), y.domain[1]);

/** One panel: axes, baselines, fit bands and lines, error bars, series, valley annotations. */
export const drawSeriesPanel = (o: PanelOptions): Shape[] => {
  const { rect, preset } = o;
  const x = logScale(o.xDomain, [rect.x, rect.x + rect.w]);
  const y = linearScale(valueDomain(o), [rect.y + rect.h, rect.y]);
  const out: Shape[] = drawAxes({
    rect,
    x,
    y,
    xLabel: o.xLabel,
    yLabel: o.yLabel,
    percent: o.percent,
    preset,
    title: o.title,
  });
  const fitsByKey = new Map(o.fits.map((f) => [f.key, f]));
  const body: Shape[] = [];
  const notes: Shape[] = [];
  for (const s of o.series) {
    const ci = o.colorOf(s.key);
    const color = seriesColor(ci);
    const marker: MarkerShape = seriesMarker(ci);
    if (s.baseline) {
      const by = y(clipY(y, s.baseline.value));
      out.push({
        kind: 'line',
        points: [
          [rect.x, by],
          [rect.x + rect.w, by],
        ],
        stroke: { color, width: preset.line * 0.8, dash: [1, 1.6] },
      });
    }
    const f = fitsByKey.get(s.key);
    if (o.fit && f?.fit) {
      const band = f.band.filter((b) => b.lo !== null && b.hi !== null);
      if (band.length > 1) {
        body.push({
          kind: 'area',
          fill: color,
          opacity: 0.14,
          points: [
            ...band.map((b): [number, number] => [x(b.size), y(clipY(y, b.hi as number))]),
            ...[...band].reverse().map((b): [number, number] => [x(b.size), y(clipY(y, b.lo as number))]),
          ],
        });
      }
      body.push({
        kind: 'line',
        stroke: { color, width: preset.line, dash: [3.2, 1.8] },
        points: f.band.map((b): [number, number] => [x(b.size), y(clipY(y, b.value))]),
      });
    }
    for (const p of s.points) {
      if (p.error)
        body.push(...errorBar(x(p.size), y(clipY(y, p.error.lo)), y(clipY(y, p.error.hi)), color, preset.line));
    }
    body.push({
      kind: 'line',
      stroke: { color, width: preset.line * 0.6 },
      points: s.points.map((p): [number, number] => [x(p.size), y(p.value)]),
    });
    for (const p of s.points) {
      body.push({
        kind: 'marker',
        x: x(p.size),
        y: y(p.value),
        size: preset.marker,
        shape: marker,
        fill: color,
        stroke: { color: '#ffffff', width: 0.4 },
      });
    }
    const v = f?.valley;
    if (o.valley && v && v.dips && v.dropPercent !== null) {
      const vx = x(v.valleySize);
      const vy = y(v.valleyValue);
      const label = `−${Math.abs(v.dropPercent).toFixed(0)}%`;
      notes.push({
        kind: 'text',
        x: vx,
        y: vy + preset.tick * 1.15 + 2,
        text: label,
        size: preset.tick,
        color,
        anchor: 'middle',
        rotate: 0,
      });
      if (v.recoverySize !== null && v.baseline !== null) {
        const rx = x(v.recoverySize);
        const ry = y(v.baseline);
        notes.push({
          kind: 'marker',
          x: rx,
          y: ry,
          size: preset.marker * 0.9,
          shape: 'diamond',
          fill: '#ffffff',
          stroke: { color, width: preset.line * 0.8 },
        });
        notes.push({
          kind: 'text',
          x: rx + 2.5,
          y: ry - preset.tick * 0.8,
          text: formatSize(v.recoverySize),
          size: preset.tick * 0.9,
          color,
          anchor: 'start',
          rotate: 0,
        });
      }
    }
  }
  return [...out, ...body, ...notes];
};

export interface LegendItem {
  readonly label: string;
  readonly color: string;
  readonly marker: MarkerShape | null;
  readonly stroke: Stroke | null;
  readonly band?: boolean;
}

/** Legend entries laid out left to right, wrapping; returns the shapes and the height used. */
export const drawLegend = (
  items: readonly LegendItem[],
  x0: number,
  y0: number,
  width: number,
  preset: Preset,
): { shapes: Shape[]; height: number } => {
  const shapes: Shape[] = [];
  const rowH = preset.legend * 1.5;
  const sample = 12;
  let x = x0;
  let row = 0;
  for (const it of items) {
    const w = sample + 3 + textWidth(it.label, preset.legend) + 9;
    if (x + w - 9 > x0 + width && x > x0) {
      x = x0;
      row++;
    }
    const cy = y0 + row * rowH + rowH / 2;
    if (it.band) {
      shapes.push({
        kind: 'area',
        points: [
          [x, cy - 3],
          [x + sample, cy - 3],
          [x + sample, cy + 3],
          [x, cy + 3],
        ],
        fill: it.color,
        opacity: 0.14,
      });
    }
    if (it.stroke)
      shapes.push({
        kind: 'line',
        points: [
          [x, cy],
          [x + sample, cy],
        ],
        stroke: it.stroke,
      });
    if (it.marker)
      shapes.push({
        kind: 'marker',
        x: x + sample / 2,
        y: cy,
        size: preset.marker,
        shape: it.marker,
        fill: it.color,
        stroke: null,
      });
    shapes.push({
      kind: 'text',
      x: x + sample + 3,
      y: cy,
      text: it.label,
      size: preset.legend,
      color: ink.text,
      anchor: 'start',
      rotate: 0,
    });
    x += w;
  }
  return { shapes, height: items.length === 0 ? 0 : (row + 1) * rowH };
};
