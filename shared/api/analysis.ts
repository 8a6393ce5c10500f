import { z } from 'zod';
import { method } from './define';
import { runSchema } from './runs';
import { analysisViewMethods } from './analysis-view';

/** Which runs make up the series: every (student, partition) pair after these filters is one series. */
export const seriesQuerySchema = z.object({
  metric: z.string().min(1).default('pass@1'),
  /** Keep only these students / partitions; empty = all. */
  students: z.array(z.string()).default([]),
  partitions: z.array(z.string()).default([]),
  /** Only the runs of this study (label `study`); its baseline is its own. */
  study: z.string().nullable().default(null),
  /** Drop series with fewer distinct trained sizes than this (ablation-only partitions have one). */
  minSizes: z.number().int().min(1).default(2),
  /** Error bars: bootstrap over problems when per-problem results exist (auto), binomial, or none. */
  errors: z.enum(['auto', 'bootstrap', 'binomial', 'none']).default('auto'),
  resamples: z.number().int().min(2).max(100_000).default(1000),
  seed: z.number().int().default(1),
  level: z.number().gt(0).lt(1).default(0.95),
});
export type SeriesQuery = z.output<typeof seriesQuerySchema>;
export type SeriesQueryInput = z.input<typeof seriesQuerySchema>;

export const sizeRangeSchema = z.object({
  min: z.number().nullable().default(null),
  max: z.number().nullable().default(null),
});

export const errorBarSchema = z.object({
  method: z.enum(['binomial', 'bootstrap']),
  se: z.number(),
  lo: z.number(),
  hi: z.number(),
  level: z.number(),
});

export const seriesPointSchema = z.object({
  size: z.number(),
  value: z.number(),
  /** The runs averaged into this point (several seeds give several). */
  runIds: z.array(z.string()),
  /** Each run's own value, in runIds' order (the fit uses these as separate observations). */
  runValues: z.array(z.number()),
  problems: z.number().int(),
  error: errorBarSchema.nullable(),
});
export type SeriesPoint = z.infer<typeof seriesPointSchema>;

export const seriesSchema = z.object({
  key: z.string(),
  label: z.string(),
  student: z.string(),
  partition: z.string(),
  metric: z.string(),
  /** Trained sizes only (size > 0), smallest first. */
  points: z.array(seriesPointSchema),
  /** The untrained score: the series' size-0 runs, else the student's size-0 runs in any partition. */
  baseline: seriesPointSchema.nullable(),
});
export type Series = z.infer<typeof seriesSchema>;

export const fitSchema = z.object({
  intercept: z.number(),
  slope: z.number(),
  r2: z.number().nullable(),
  interceptSe: z.number().nullable(),
  slopeSe: z.number().nullable(),
  residualSe: z.number().nullable(),
  points: z.number().int(),
  df: z.number().int(),
  tQuantile: z.number().nullable(),
  level: z.number(),
  minSize: z.number(),
  maxSize: z.number(),
  meanLogSize: z.number(),
  sxx: z.number(),
});

export const valleySchema = z.object({
  baseline: z.number().nullable(),
  valleySize: z.number(),
  valleyValue: z.number(),
  dips: z.boolean(),
  dropPercent: z.number().nullable(),
  dropAbsolute: z.number().nullable(),
  recoverySize: z.number().nullable(),
  recovered: z.boolean(),
  largestSize: z.number(),
  largestValue: z.number(),
  gainAbsolute: z.number(),
  gainPercent: z.number().nullable(),
});

export const bandPointSchema = z.object({
  size: z.number(),
  value: z.number(),
  lo: z.number().nullable(),
  hi: z.number().nullable(),
});

export const seriesFitSchema = z.object({
  key: z.string(),
  label: z.string(),
  fit: fitSchema.nullable(),
  /** Why there is no fit (too few points, equal sizes). */
  fitProblem: z.string().nullable(),
  band: z.array(bandPointSchema),
  valley: valleySchema.nullable(),
  valleyProblem: z.string().nullable(),
});
export type SeriesFit = z.infer<typeof seriesFitSchema>;

export const fitRequestSchema = seriesQuerySchema.extend({ range: sizeRangeSchema.default({ min: null, max: null }) });
export type FitRequest = z.output<typeof fitRequestSchema>;

export const ablationRequestSchema = z.object({
  metric: z.string().min(1).default('pass@1'),
  students: z.array(z.string()).default([]),
  /** The reference partition; each ablation run is compared with that student's reference run at the same size. */
  referencePartition: z.string().default('all'),
  /** Or one reference run for all (overrides referencePartition). */
  referenceRunId: z.string().nullable().default(null),
  /**
   * A study's ablations: per ablation and student, its conditions' runs against the run of the cell they
   * continued from (else the study's baseline). Overrides the references above.
   */
  study: z.string().nullable().default(null),
});
export type AblationRequest = z.output<typeof ablationRequestSchema>;

export const ablationGroupSchema = z.object({
  student: z.string(),
  size: z.number().nullable(),
  metric: z.string(),
  referenceRunId: z.string(),
  referenceLabel: z.string(),
  bars: z.array(
    z.object({
      runId: z.string(),
      label: z.string(),
      value: z.number(),
      reference: z.number(),
      delta: z.number(),
      relativePercent: z.number().nullable(),
    }),
  ),
});
export type AblationGroup = z.infer<typeof ablationGroupSchema>;

export const figureKinds = ['scaling', 'ablation', 'difficulty', 'completion'] as const;
export const figureFormats = ['svg', 'pdf', 'png'] as const;
export const figurePresets = ['single', 'double'] as const;

/** Everything needed to draw a figure again: the JSON sidecar stores exactly this. */
export const figureRecipeSchema = z.object({
  kind: z.enum(figureKinds).default('scaling'),
  format: z.enum(figureFormats).default('svg'),
  /** single column = 3.25 in wide, double column = 6.75 in. */
  preset: z.enum(figurePresets).default('single'),
  dpi: z.number().int().min(50).max(1200).default(300),
  query: seriesQuerySchema.default(seriesQuerySchema.parse({})),
  range: sizeRangeSchema.default({ min: null, max: null }),
  fit: z.boolean().default(true),
  valley: z.boolean().default(true),
  /** For ablation figures. */
  ablation: ablationRequestSchema.default(ablationRequestSchema.parse({})),
  title: z.string().nullable().default(null),
});
export type FigureRecipe = z.output<typeof figureRecipeSchema>;
export type FigureRecipeInput = z.input<typeof figureRecipeSchema>;

/** What the sidecar of an exported figure says it is (the tag, read back by `valley figure --recipe`). */
export const FIGURE_SIDECAR = 'valley figure recipe v1';

/**
 * The sidecar JSON written beside every exported figure, by the UI and by `valley figure` alike: the figure's file
 * name (beside the sidecar), how to rebuild it, the workspace it came from and the complete recipe.
 */
export const figureSidecarSchema = z.object({
  sidecar: z.literal(FIGURE_SIDECAR),
  figure: z.string(),
  rebuild: z.string(),
  workspace: z.string().nullable(),
  recipe: figureRecipeSchema,
});
export type FigureSidecar = z.input<typeof figureSidecarSchema>;

/** The sidecar for `figure` (a file name), written as `sidecarFile` beside it. */
export const figureSidecar = (
  figure: string,
  sidecarFile: string,
  workspace: string | null,
  recipe: FigureRecipeInput,
): FigureSidecar => ({
  sidecar: FIGURE_SIDECAR,
  figure,
  rebuild: `valley figure --recipe ${sidecarFile}${workspace ? ` --workspace ${workspace}` : ''}`,
  workspace,
  recipe,
});

export const tableFormats = ['csv', 'latex'] as const;

export const figureResponseSchema = z.object({
  format: z.enum(figureFormats),
  mime: z.string(),
  /** UTF-8 text for SVG, base64 for PDF and PNG. */
  encoding: z.enum(['utf8', 'base64']),
  content: z.string(),
  /** Size in points (1/72 in) and, for PNG, pixels. */
  widthPt: z.number(),
  heightPt: z.number(),
  widthPx: z.number().int().nullable(),
  heightPx: z.number().int().nullable(),
  /** The figure's data and fit parameters, ready to be written beside it. */
  csv: z.string(),
  latex: z.string(),
  recipe: figureRecipeSchema,
});
export type FigureResponse = z.infer<typeof figureResponseSchema>;

const problemDiffSchema = z.object({
  questionId: z.string(),
  difficulty: z.string().nullable(),
  a: z.number(),
  b: z.number(),
});

/** A problem both runs answered: each run's pass@1 and whether it solved it (at least one passing generation). */
const problemPairSchema = problemDiffSchema.extend({
  title: z.string().nullable(),
  solvedA: z.boolean(),
  solvedB: z.boolean(),
});

export const analysisMethods = {
  ...analysisViewMethods,
  'analysis.series': method(
    'Scaling series (score against training size) with error bars and baselines',
    seriesQuerySchema,
    z.object({ series: z.array(seriesSchema) }),
  ),
  'analysis.fit': method(
    'Log-linear fit y = a + b·log10(n) over a size range, with its 95% band, and valley statistics, per series',
    fitRequestSchema,
    z.object({ series: z.array(seriesSchema), fits: z.array(seriesFitSchema) }),
  ),
  'analysis.ablations': method(
    'Relative improvement of ablation runs over a reference run',
    ablationRequestSchema,
    z.object({ groups: z.array(ablationGroupSchema) }),
  ),
  'analysis.figure': method(
    'Render a paper figure (SVG, PDF or PNG) with its data as CSV and LaTeX and its recipe',
    figureRecipeSchema,
    figureResponseSchema,
  ),
  'analysis.table': method(
    'The data behind a figure and its fit parameters as CSV or a LaTeX table',
    figureRecipeSchema.extend({ tableFormat: z.enum(tableFormats).default('csv') }),
    z.object({ format: z.enum(tableFormats), text: z.string() }),
  ),
  'analysis.compareRuns': method(
    'Two runs side by side, down to the problems one solved and the other did not',
    z.object({ a: z.string().min(1), b: z.string().min(1) }),
    z.object({
      a: runSchema,
      b: runSchema,
      onlyA: z.array(problemDiffSchema),
      onlyB: z.array(problemDiffSchema),
      both: z.number().int(),
      neither: z.number().int(),
      /** Problems present in only one of the runs. */
      unmatched: z.number().int(),
      /** Every problem both runs answered, for filtering (solved by a, failed by b, …). */
      problems: z.array(problemPairSchema),
    }),
  ),
};
