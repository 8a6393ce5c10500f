import { z } from 'zod';
import { method } from './define';
import { ok } from './common';
import { parseSavedFields } from './ui-state';

export const errorModes = ['auto', 'bootstrap', 'binomial', 'none'] as const;
export type ErrorMode = (typeof errorModes)[number];

/** What reopening the workspace restores of the Analysis screen (saved in the workspace as it changes). */
export interface AnalysisView {
  metric: string;
  errors: ErrorMode;
  /** The fit range (sizes, inclusive); null = open. */
  rangeMin: number | null;
  rangeMax: number | null;
  /** Hidden series keys (legend toggles). */
  hidden: string[];
  /** The metric the ablation bars compare. */
  ablationMetric: string;
  /** Only this study's runs (its own baseline, its ablations against their base cells); null = all runs. */
  study: string | null;
}

export const analysisViewDefaults = (): AnalysisView => ({
  metric: 'pass@1',
  errors: 'auto',
  rangeMin: null,
  rangeMax: null,
  hidden: [],
  ablationMetric: 'pass@1',
  study: null,
});

const size = z.number().positive().nullable();
const viewFields = {
  metric: z.string().min(1).max(200),
  errors: z.enum(errorModes),
  rangeMin: size,
  rangeMax: size,
  hidden: z.array(z.string().max(500)).max(1000),
  ablationMetric: z.string().min(1).max(200),
  study: z.string().min(1).max(200).nullable(),
} satisfies { [K in keyof AnalysisView]: z.ZodType };

export const analysisViewSchema = z.object(viewFields);

/** A saved Analysis view, field by field: a field that does not pass is dropped (its default used). */
export const parseAnalysisView = (saved: unknown): { view: AnalysisView; dropped: string[] } => {
  const { state, dropped } = parseSavedFields<AnalysisView>(viewFields, analysisViewDefaults(), saved);
  return { view: state, dropped };
};

export const analysisViewMethods = {
  'analysis.view.get': method(
    'The saved Analysis settings of this workspace (metric, error bars, fit range, hidden series, study)',
    z.object({}),
    z.object({ view: analysisViewSchema, dropped: z.array(z.string()) }),
  ),
  'analysis.view.set': method(
    'Save the Analysis settings of this workspace',
    z.object({ view: analysisViewSchema }),
    ok,
  ),
};
