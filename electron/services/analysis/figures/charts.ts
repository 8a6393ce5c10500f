import { isShare } from '../../../../shared/analysis/format';
import type { AblationGroup, FigureRecipe, Series, SeriesFit } from '../../../../shared/api';
import { metricLabels, type KnownMetric } from '../../../../shared/domain/metrics';
import { drawAxes, linearScale, niceDomain, xLabelY, type Rect } from './axes';
import { drawLegend, drawSeriesPanel, sizeDomain, type LegendItem } from './panel';
import { textWidth, type Scene, type Shape } from './scene';
import { ink, presets, seriesColor, seriesMarker, type Preset } from './style';

const X_LABEL = 'Training examples';

export interface MetricPanel {
  readonly metric: string;
  readonly series: Series[];
  readonly fits: SeriesFit[];
}

export interface FigureData {
  readonly panels: MetricPanel[];
  readonly ablations: AblationGroup[];
}

export const metricLabel = (metric: string): string => metricLabels[metric as KnownMetric] ?? metric;
/** Metrics that are shares of problems or generations are drawn in percent. */

const figureHeights: Record<FigureRecipe['kind'], Record<'single' | 'double', number>> = {
  scaling: { single: 190, double: 230 },
  difficulty: { single: 150, double: 185 },
  completion: { single: 150, double: 185 },
  ablation: { single: 170, double: 200 },
};

const legendFor = (
  series: readonly Series[],
  colorOf: (k: string) => number,
  recipe: FigureRecipe,
  preset: Preset,
): LegendItem[] => {
  const items: LegendItem[] = series.map((s) => ({
    label: s.label,
    color: seriesColor(colorOf(s.key)),
    marker: seriesMarker(colorOf(s.key)),
    stroke: { color: seriesColor(colorOf(s.key)), width: preset.line * 0.6 },
  }));
  if (series.some((s) => s.baseline))
    items.push({
      label: 'untrained',
      color: ink.muted,
      marker: null,
      stroke: { color: ink.muted, width: preset.line * 0.8, dash: [1, 1.6] },
    });
  if (recipe.fit && recipe.kind === 'scaling') {
    items.push({
      label: 'log-linear fit, 95% CI',
      color: ink.muted,
      marker: null,
      stroke: { color: ink.muted, width: preset.line, dash: [3.2, 1.8] },
      band: true,
    });
  }
  return items;
};

const leftMargin = (preset: Preset): number => 10 + preset.font + textWidth('100', preset.tick);

/** Scaling, difficulty and completion figures: a row of log-x panels under one legend. */
const seriesFigure = (
  data: FigureData,
  recipe: FigureRecipe,
  preset: Preset,
  width: number,
  height: number,
): Shape[] => {
  const keys = [...new Set(data.panels.flatMap((p) => p.series.map((s) => s.key)))];
  const colorOf = (k: string) => Math.max(0, keys.indexOf(k));
  const allSeries = data.panels[0]?.series ?? [];
  const legend = drawLegend(legendFor(allSeries, colorOf, recipe, preset), 6, 4, width - 12, preset);
  const facets = data.panels.length;
  const titled = facets > 1 || recipe.title !== null;
  const top = 4 + legend.height + (titled ? preset.font * 1.6 : 4);
  const bottom = 8 + preset.tick + preset.font * 1.4;
  const xDomain = sizeDomain(data.panels.flatMap((p) => p.series));
  const shapes: Shape[] = [...legend.shapes];
  const gap = 6;
  const slot = (width - gap * (facets - 1)) / facets;
  data.panels.forEach((p, i) => {
    const left = leftMargin(preset);
    const rect: Rect = { x: i * (slot + gap) + left, y: top, w: slot - left - 6, h: height - top - bottom };
    const percent = isShare(p.metric);
    const label =
      recipe.kind === 'difficulty'
        ? i === 0
          ? 'pass@1 (%)'
          : ''
        : recipe.kind === 'completion'
          ? i === 0
            ? '% of generations'
            : ''
          : `${metricLabel(p.metric)}${percent ? ' (%)' : ''}`;
    const title =
      facets > 1
        ? recipe.kind === 'difficulty'
          ? p.metric.replace('pass@1/', '')
          : metricLabel(p.metric)
        : (recipe.title ?? undefined);
    shapes.push(
      ...drawSeriesPanel({
        rect,
        series: p.series,
        fits: p.fits,
        xDomain,
        yLabel: label,
        percent,
        xLabel: facets > 1 ? '' : X_LABEL,
        fit: recipe.fit && recipe.kind === 'scaling',
        valley: recipe.valley && recipe.kind === 'scaling',
        preset,
        colorOf,
        ...(title ? { title } : {}),
      }),
    );
  });
  if (facets > 1) {
    shapes.push({
      kind: 'text',
      x: width / 2,
      y: xLabelY(height - bottom, preset),
      text: X_LABEL,
      size: preset.font,
      color: ink.text,
      anchor: 'middle',
      rotate: 0,
    });
  }
  return shapes;
};

/** Ablation bars: relative improvement over the reference run, one bar per student within each partition. */
const ablationFigure = (
  data: FigureData,
  recipe: FigureRecipe,
  preset: Preset,
  width: number,
  height: number,
): Shape[] => {
  const students = [...new Set(data.ablations.map((g) => g.student))];
  const partitions = [...new Set(data.ablations.flatMap((g) => g.bars.map((b) => b.label)))];
  const legend = drawLegend(
    students.map((s, i) => ({
      label: s,
      color: seriesColor(i),
      marker: null,
      stroke: { color: seriesColor(i), width: 4 },
    })),
    6,
    4,
    width - 12,
    preset,
  );
  const metric = data.ablations[0]?.metric ?? recipe.ablation.metric;
  const reference = data.ablations[0]?.referenceLabel.split(' @ ')[0] ?? recipe.ablation.referencePartition;
  const top = 4 + legend.height + (recipe.title ? preset.font * 1.6 : 6);
  const bottom = 8 + preset.tick + preset.font * 1.4;
  const left = leftMargin(preset) + 4;
  const rect: Rect = { x: left, y: top, w: width - left - 8, h: height - top - bottom };
  const values = data.ablations.flatMap((g) => g.bars.map((b) => (b.relativePercent ?? 0) / 100));
  const [lo, hi] = niceDomain(Math.min(0, ...values) * 1.15, Math.max(0, ...values) * 1.15 || 0.01, 5);
  const y = linearScale([lo, hi], [rect.y + rect.h, rect.y]);
  const slotW = rect.w / Math.max(1, partitions.length);
  const x = linearScale([0, Math.max(1, partitions.length)], [rect.x, rect.x + rect.w]);
  const shapes: Shape[] = [
    ...legend.shapes,
    ...drawAxes({
      rect,
      x,
      y,
      preset,
      percent: true,
      xLabel: `Partition (vs. ${reference})`,
      yLabel: `Δ ${metricLabel(metric)} (%)`,
      categories: partitions.map((p, i) => ({ label: p, at: rect.x + slotW * (i + 0.5) })),
      ...(recipe.title ? { title: recipe.title } : {}),
    }),
  ];
  shapes.push({
    kind: 'line',
    points: [
      [rect.x, y(0)],
      [rect.x + rect.w, y(0)],
    ],
    stroke: { color: ink.axis, width: 0.6 },
  });
  const barW = (slotW * 0.72) / Math.max(1, students.length);
  partitions.forEach((p, pi) => {
    students.forEach((st, si) => {
      const bar = data.ablations.find((g) => g.student === st)?.bars.find((b) => b.label === p);
      if (!bar || bar.relativePercent === null) return;
      const v = bar.relativePercent / 100;
      const bx = rect.x + slotW * pi + slotW * 0.14 + barW * si;
      const y0 = y(0);
      const y1 = y(v);
      shapes.push({
        kind: 'rect',
        x: bx,
        y: Math.min(y0, y1),
        w: barW * 0.92,
        h: Math.abs(y1 - y0),
        fill: seriesColor(si),
        stroke: null,
      });
      const text = `${v >= 0 ? '+' : '−'}${Math.abs(bar.relativePercent).toFixed(1)}`;
      const ty = v >= 0 ? y1 - preset.tick * 0.7 : y1 + preset.tick * 0.7;
      shapes.push({
        kind: 'text',
        x: bx + (barW * 0.92) / 2,
        y: ty,
        text,
        size: preset.tick * 0.85,
        color: ink.text,
        anchor: 'middle',
        rotate: 0,
        ref: bar.runId,
      });
    });
  });
  return shapes;
};

/** Lay out the figure the recipe asks for, sized for the preset. */
export const buildScene = (data: FigureData, recipe: FigureRecipe): Scene => {
  const preset = presets[recipe.preset];
  const width = preset.width;
  const height = figureHeights[recipe.kind][recipe.preset];
  const shapes =
    recipe.kind === 'ablation'
      ? ablationFigure(data, recipe, preset, width, height)
      : seriesFigure(data, recipe, preset, width, height);
  const title = recipe.title ?? `Valley ${recipe.kind} figure`;
  return { width, height, title, shapes };
};
