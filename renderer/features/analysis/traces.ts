import type { Annotations, Data, Shape } from 'plotly.js';
import type { Series, SeriesFit } from '../../../shared/api';
import { formatSize } from '../../../shared/analysis/format';

/** The theme's series colours (Okabe–Ito in both themes). */
export const themeColor = (i: number): string =>
  getComputedStyle(document.documentElement)
    .getPropertyValue(`--series-${(i % 6) + 1}`)
    .trim() || '#0072b2';

/** Append an alpha channel to a #rrggbb colour. */
const alpha = (hex: string, a: number): string => {
  const m = /^#?([0-9a-f]{6})$/i.exec(hex.trim());
  if (!m) return hex;
  const n = parseInt(m[1] as string, 16);
  return `rgba(${(n >> 16) & 255},${(n >> 8) & 255},${n & 255},${a})`;
};

export interface ScalingFigure {
  data: Data[];
  shapes: Partial<Shape>[];
  annotations: Partial<Annotations>[];
}

/**
 * Plotly traces for a scaling plot: per series its points with error bars (customdata = run ids, for provenance),
 * the fit line and its band over the fitted range, the baseline as a dotted line, and the valley annotated.
 */
export const scalingTraces = (
  series: readonly Series[],
  fits: readonly SeriesFit[],
  opts: { colorIndex: (key: string) => number; fit: boolean; valley: boolean },
): ScalingFigure => {
  const data: Data[] = [];
  const shapes: Partial<Shape>[] = [];
  const annotations: Partial<Annotations>[] = [];
  for (const s of series) {
    const color = themeColor(opts.colorIndex(s.key));
    const f = fits.find((x) => x.key === s.key);
    if (opts.fit && f?.fit) {
      const band = f.band.filter((b) => b.lo !== null && b.hi !== null);
      if (band.length > 1) {
        data.push({
          type: 'scatter',
          mode: 'lines',
          name: `${s.label} 95% band`,
          legendgroup: s.key,
          showlegend: false,
          hoverinfo: 'skip',
          x: [...band.map((b) => b.size), ...[...band].reverse().map((b) => b.size)],
          y: [...band.map((b) => b.hi as number), ...[...band].reverse().map((b) => b.lo as number)],
          fill: 'toself',
          fillcolor: alpha(color, 0.15),
          line: { width: 0, color },
        });
      }
      data.push({
        type: 'scatter',
        mode: 'lines',
        name: `${s.label} fit`,
        legendgroup: s.key,
        showlegend: false,
        x: f.band.map((b) => b.size),
        y: f.band.map((b) => b.value),
        line: { color, dash: 'dash', width: 1.5 },
        // Not hoverable: the line ends on measured points and would take their clicks (provenance) away.
        hoverinfo: 'skip',
      });
    }
    data.push({
      type: 'scatter',
      mode: 'lines+markers',
      name: s.label,
      legendgroup: s.key,
      x: s.points.map((p) => p.size),
      y: s.points.map((p) => p.value),
      customdata: s.points.map((p) => p.runIds.join(',')),
      error_y: {
        type: 'data',
        symmetric: false,
        visible: s.points.some((p) => p.error),
        array: s.points.map((p) => (p.error ? p.error.hi - p.value : 0)),
        arrayminus: s.points.map((p) => (p.error ? p.value - p.error.lo : 0)),
        color,
        thickness: 1.2,
        width: 3,
      },
      line: { color, width: 1.5 },
      marker: { color, size: 8 },
      hovertemplate: `%{x:,} examples: %{y:.1%}<br>runs: %{customdata}<extra>${s.label}</extra>`,
    });
    if (s.baseline) {
      shapes.push({
        type: 'line',
        xref: 'paper',
        x0: 0,
        x1: 1,
        yref: 'y',
        y0: s.baseline.value,
        y1: s.baseline.value,
        line: { color, width: 1.2, dash: 'dot' },
      });
    }
    const v = f?.valley;
    if (opts.valley && v?.dips && v.dropPercent !== null) {
      annotations.push({
        x: Math.log10(v.valleySize),
        y: v.valleyValue,
        xref: 'x',
        yref: 'y',
        text: `valley −${v.dropPercent.toFixed(0)}%`,
        showarrow: true,
        arrowhead: 0,
        ax: 0,
        ay: 28,
        font: { color, size: 11 },
      });
      if (v.recoverySize !== null && v.baseline !== null) {
        data.push({
          type: 'scatter',
          mode: 'markers',
          name: `${s.label} recovers`,
          legendgroup: s.key,
          showlegend: false,
          x: [v.recoverySize],
          y: [v.baseline],
          marker: { symbol: 'diamond-open', size: 10, color, line: { width: 2, color } },
          hovertemplate: `back to baseline at %{x:,.0f} examples<extra>${s.label}</extra>`,
        });
      }
    }
  }
  return { data, shapes, annotations };
};

/** Log-axis ticks at 1, 3 × each decade covering the sizes, labelled 1K, 3K, 10K … */
export const sizeTicks = (sizes: readonly number[]): { tickvals: number[]; ticktext: string[] } => {
  const pos = sizes.filter((n) => n > 0);
  if (pos.length === 0) return { tickvals: [], ticktext: [] };
  const lo = Math.floor(Math.log10(Math.min(...pos)));
  const hi = Math.ceil(Math.log10(Math.max(...pos)));
  const tickvals: number[] = [];
  for (let e = lo; e <= hi; e++) tickvals.push(10 ** e, 3 * 10 ** e);
  return { tickvals, ticktext: tickvals.map(formatSize) };
};
