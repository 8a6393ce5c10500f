import { create } from 'zustand';
import {
  figureSidecar,
  type AblationGroup,
  type FigureRecipeInput,
  type ResponseOf,
  type Series,
  type SeriesFit,
} from '../../../shared/api';
import { api } from '../../api/client';
import { reportError, useNotices } from '../notices/store';
import { useSystem } from '../shell/system-store';
import { download } from './download';

export type ErrorMode = 'auto' | 'bootstrap' | 'binomial' | 'none';

export interface MetricFits {
  series: Series[];
  fits: SeriesFit[];
}

export interface PointRef {
  seriesKey: string;
  label: string;
  size: number;
  value: number;
  runIds: string[];
}

interface AnalysisState {
  metric: string;
  errors: ErrorMode;
  /** The fit range the user picked (sizes, inclusive); null = open. */
  rangeMin: number | null;
  rangeMax: number | null;
  /** Hidden series keys (legend toggles). */
  hidden: string[];
  /** The metric the ablation bars compare. */
  ablationMetric: string;
  scaling: MetricFits | null;
  difficulty: Record<string, MetricFits>;
  completion: Record<string, MetricFits>;
  ablations: AblationGroup[];
  loading: boolean;
  loaded: boolean;
  selected: PointRef | null;
  load(): Promise<void>;
  setMetric(metric: string): Promise<void>;
  setErrors(errors: ErrorMode): Promise<void>;
  setRange(min: number | null, max: number | null): Promise<void>;
  toggleSeries(key: string): void;
  select(point: PointRef | null): void;
  setAblationMetric(metric: string): Promise<void>;
  /** Render a figure in the backend and download it as `stem.<format>` with its sidecar recipe `stem.json`. */
  exportFigure(recipe: FigureRecipeInput & { format: 'svg' | 'pdf' | 'png' }, stem: string): Promise<void>;
  /** Download the data and fits behind a figure as CSV or LaTeX. */
  exportTable(recipe: FigureRecipeInput, tableFormat: 'csv' | 'latex', stem: string): Promise<void>;
}

const fitFor = async (
  metric: string,
  s: Pick<AnalysisState, 'errors' | 'rangeMin' | 'rangeMax'>,
): Promise<ResponseOf<'analysis.fit'>> =>
  api().call('analysis.fit', { metric, errors: s.errors, range: { min: s.rangeMin, max: s.rangeMax } });

const strip = (r: ResponseOf<'analysis.fit'>): MetricFits => ({ series: r.series, fits: r.fits });

export const difficultyMetrics = ['pass@1/easy', 'pass@1/medium', 'pass@1/hard'] as const;
export const completionMetrics = ['completion_rate', 'think_rate'] as const;

export const useAnalysis = create<AnalysisState>((set, get) => ({
  metric: 'pass@1',
  errors: 'auto',
  rangeMin: null,
  rangeMax: null,
  hidden: [],
  ablationMetric: 'pass@1',
  scaling: null,
  difficulty: {},
  completion: {},
  ablations: [],
  loading: false,
  loaded: false,
  selected: null,
  async load() {
    set({ loading: true });
    try {
      const s = get();
      const [scaling, ablations, ...rest] = await Promise.all([
        fitFor(s.metric, s),
        api().call('analysis.ablations', { metric: s.ablationMetric }),
        ...difficultyMetrics.map((m) => fitFor(m, s)),
        ...completionMetrics.map((m) => fitFor(m, s)),
      ]);
      const difficulty: Record<string, MetricFits> = {};
      difficultyMetrics.forEach((m, i) => {
        const r = rest[i];
        if (r) difficulty[m] = strip(r);
      });
      const completion: Record<string, MetricFits> = {};
      completionMetrics.forEach((m, i) => {
        const r = rest[difficultyMetrics.length + i];
        if (r) completion[m] = strip(r);
      });
      set({ scaling: strip(scaling), ablations: ablations.groups, difficulty, completion, loaded: true });
    } catch (error) {
      reportError(error, 'Could not compute the scaling analysis');
    } finally {
      set({ loading: false });
    }
  },
  async setMetric(metric) {
    set({ metric });
    try {
      set({ scaling: strip(await fitFor(metric, get())) });
    } catch (error) {
      reportError(error, `Could not fit ${metric}`);
    }
  },
  async setErrors(errors) {
    set({ errors });
    await get().load();
  },
  async setRange(rangeMin, rangeMax) {
    set({ rangeMin, rangeMax });
    try {
      set({ scaling: strip(await fitFor(get().metric, get())) });
    } catch (error) {
      reportError(error, 'Could not fit over that range');
    }
  },
  toggleSeries(key) {
    const hidden = get().hidden;
    set({ hidden: hidden.includes(key) ? hidden.filter((k) => k !== key) : [...hidden, key] });
  },
  select(selected) {
    set({ selected });
  },
  async setAblationMetric(ablationMetric) {
    set({ ablationMetric });
    try {
      set({ ablations: (await api().call('analysis.ablations', { metric: ablationMetric })).groups });
    } catch (error) {
      reportError(error, `Could not compare ${ablationMetric} across partitions`);
    }
  },
  async exportFigure(recipe, stem) {
    try {
      const fig = await api().call('analysis.figure', recipe);
      const figure = `${stem}.${recipe.format}`;
      download(figure, fig.content, fig.encoding, fig.mime);
      const sidecar = figureSidecar(
        figure,
        `${stem}.json`,
        useSystem.getState().info?.workspace.dir ?? null,
        fig.recipe,
      );
      download(`${stem}.json`, JSON.stringify(sidecar, null, 2) + '\n', 'utf8', 'application/json');
      useNotices.getState().push({
        kind: 'success',
        title: `Exported ${figure}`,
        detail: 'with its recipe (.json); CSV and LaTeX are one click away',
      });
    } catch (error) {
      reportError(error, 'Could not export the figure');
    }
  },
  async exportTable(recipe, tableFormat, stem) {
    try {
      const t = await api().call('analysis.table', { ...recipe, tableFormat });
      download(
        `${stem}.${tableFormat === 'csv' ? 'csv' : 'tex'}`,
        t.text,
        'utf8',
        tableFormat === 'csv' ? 'text/csv' : 'application/x-tex',
      );
    } catch (error) {
      reportError(error, 'Could not export the table');
    }
  },
}));
