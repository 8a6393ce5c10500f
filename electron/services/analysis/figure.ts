import { ValleyError, type FigureRecipe, type FigureResponse, type SeriesQuery } from '../../../shared/api';
import { metricKeys } from '../../../shared/domain/metrics';
import type { Engine } from '../engine/engine';
import { listRuns } from '../runs/store';
import { buildAblations } from './ablations';
import { fitSeries } from './fits';
import { buildSeries } from './series';
import { buildScene, type FigureData, type MetricPanel } from './figures/charts';
import { sceneToPdf } from './figures/pdf';
import { svgToPng } from './figures/png';
import { sceneToSvg } from './figures/svg';
import { figureCsv, figureLatex } from './figures/tables';

const panelMetrics = (recipe: FigureRecipe): string[] => {
  switch (recipe.kind) {
    case 'scaling':
      return [recipe.query.metric];
    case 'difficulty':
      return [metricKeys.pass1Easy, metricKeys.pass1Medium, metricKeys.pass1Hard];
    case 'completion':
      return [metricKeys.completionRate, metricKeys.thinkRate];
    case 'ablation':
      return [];
  }
};

/** The numbers a figure shows: series and fits per panel metric, or ablation groups. */
export const figureData = async (engine: Engine, recipe: FigureRecipe): Promise<FigureData> => {
  const runs = await listRuns(engine);
  const panels: MetricPanel[] = [];
  for (const metric of panelMetrics(recipe)) {
    const query: SeriesQuery = { ...recipe.query, metric };
    const series = await buildSeries(engine, query, runs);
    panels.push({ metric, series, fits: series.map((s) => fitSeries(s, recipe.range, query.level)) });
  }
  const ablations = recipe.kind === 'ablation' ? buildAblations(runs, recipe.ablation) : [];
  return { panels, ablations };
};

const mimes = { svg: 'image/svg+xml', pdf: 'application/pdf', png: 'image/png' } as const;

/** Render the figure in the recipe's format, with its CSV, LaTeX and the recipe itself. */
export const renderFigure = async (engine: Engine, recipe: FigureRecipe): Promise<FigureResponse> => {
  const data = await figureData(engine, recipe);
  const empty =
    recipe.kind === 'ablation' ? data.ablations.length === 0 : data.panels.every((p) => p.series.length === 0);
  if (empty) {
    throw new ValleyError(
      'not_found',
      recipe.kind === 'ablation'
        ? 'Nothing to draw: no run in another partition at a size that has a reference run'
        : 'Nothing to draw: no series matched (a series needs runs of one student and partition at two or more sizes)',
      { field: recipe.kind === 'ablation' ? 'ablation' : 'query' },
    );
  }
  const scene = buildScene(data, recipe);
  const svg = sceneToSvg(scene);
  const base = {
    format: recipe.format,
    mime: mimes[recipe.format],
    widthPt: scene.width,
    heightPt: scene.height,
    csv: figureCsv(data, recipe),
    latex: figureLatex(data, recipe),
    recipe,
  };
  if (recipe.format === 'svg') return { ...base, encoding: 'utf8', content: svg, widthPx: null, heightPx: null };
  if (recipe.format === 'pdf') {
    const pdf = await sceneToPdf(scene);
    return { ...base, encoding: 'base64', content: pdf.toString('base64'), widthPx: null, heightPx: null };
  }
  const png = svgToPng(svg, scene.width, recipe.dpi);
  return { ...base, encoding: 'base64', content: png.png.toString('base64'), widthPx: png.width, heightPx: png.height };
};
