import { create } from 'zustand';
import {
  analysisViewDefaults,
  figureSidecar,
  parseAnalysisView,
  type AblationGroup,
  type AnalysisView,
  type FigureRecipeInput,
  type ResponseOf,
  type Series,
  type SeriesFit,
} from '../../../shared/api';
import { api } from '../../api/client';
import { reportError, useNotices } from '../notices/store';
import { useSystem } from '../shell/system-store';
import { download } from './download';

export type { ErrorMode } from '../../../shared/api';

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

/** The screen's settings (metric, error bars, range, hidden series, study) are AnalysisView, saved in the workspace. */
interface AnalysisState extends AnalysisView {
  /** The workspace's studies that can be picked (files that check). */
  studies: string[];
  /** Whether the saved settings were read back (nothing is saved before, so defaults never overwrite them). */
  restored: boolean;
  scaling: MetricFits | null;
  difficulty: Record<string, MetricFits>;
  completion: Record<string, MetricFits>;
  ablations: AblationGroup[];
  loading: boolean;
  loaded: boolean;
  selected: PointRef | null;
  load(): Promise<void>;
  /** Refetch the list of studies (a study file was written or removed). */
  loadStudies(): Promise<void>;
  /** Show only one study's runs (null: all runs); its curves, its baseline, its ablations against their base cells. */
  setStudy(study: string | null): Promise<void>;
  setMetric(metric: string): Promise<void>;
  setErrors(errors: AnalysisView['errors']): Promise<void>;
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
  s: Pick<AnalysisState, 'errors' | 'rangeMin' | 'rangeMax' | 'study'>,
): Promise<ResponseOf<'analysis.fit'>> =>
  api().call('analysis.fit', { metric, errors: s.errors, range: { min: s.rangeMin, max: s.rangeMax }, study: s.study });

const ablationsFor = async (s: Pick<AnalysisState, 'ablationMetric' | 'study'>): Promise<AblationGroup[]> =>
  (await api().call('analysis.ablations', { metric: s.ablationMetric, study: s.study })).groups;

const viewOf = (s: AnalysisView): AnalysisView => ({
  metric: s.metric,
  errors: s.errors,
  rangeMin: s.rangeMin,
  rangeMax: s.rangeMax,
  hidden: s.hidden,
  ablationMetric: s.ablationMetric,
  study: s.study,
});

let saveTimer: ReturnType<typeof setTimeout> | null = null;

const strip = (r: ResponseOf<'analysis.fit'>): MetricFits => ({ series: r.series, fits: r.fits });

export const difficultyMetrics = ['pass@1/easy', 'pass@1/medium', 'pass@1/hard'] as const;
export const completionMetrics = ['completion_rate', 'think_rate'] as const;

export const useAnalysis = create<AnalysisState>((set, get) => {
  /** Save the settings a moment after the last change (only once they were read back). */
  const persist = () => {
    if (!get().restored) return;
    if (saveTimer) clearTimeout(saveTimer);
    const view = viewOf(get());
    saveTimer = setTimeout(() => {
      api()
        .call('analysis.view.set', { view })
        .catch((e: unknown) => reportError(e, 'Could not save the Analysis settings'));
    }, 300);
  };
  /** Read the saved settings back once; a field that no longer checks is reset and said once. */
  const restore = async () => {
    const { view, dropped } = parseAnalysisView((await api().call('analysis.view.get', {})).view);
    set({ ...view, restored: true });
    if (dropped.length > 0) {
      useNotices.getState().push({
        kind: 'info',
        title: `The saved Analysis settings were partly unreadable; reset: ${dropped.join(', ')}`,
      });
      persist();
    }
  };
  return {
    ...analysisViewDefaults(),
    studies: [],
    restored: false,
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
        if (!get().restored) await restore();
        await get().loadStudies();
        const chosen = get().study;
        if (chosen !== null && !get().studies.includes(chosen)) {
          // the study's file was removed or renamed: all runs again, said once
          set({ study: null, hidden: [] });
          persist();
          useNotices.getState().push({ kind: 'info', title: `Study ${chosen} is gone; Analysis shows all runs` });
        }
        const s = get();
        const [scaling, ablations, ...rest] = await Promise.all([
          fitFor(s.metric, s),
          ablationsFor(s),
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
        set({ scaling: strip(scaling), ablations, difficulty, completion, loaded: true });
      } catch (error) {
        reportError(error, 'Could not compute the scaling analysis');
      } finally {
        set({ loading: false });
      }
    },
    async loadStudies() {
      try {
        const { studies } = await api().call('study.list', {});
        set({ studies: studies.filter((x) => !x.error).map((x) => x.name) });
      } catch (error) {
        reportError(error, 'Could not list the studies');
      }
    },
    async setStudy(study) {
      // series keys differ between studies: what was hidden in one means nothing in the other
      set({ study, hidden: [], selected: null });
      persist();
      await get().load();
    },
    async setMetric(metric) {
      set({ metric });
      persist();
      try {
        set({ scaling: strip(await fitFor(metric, get())) });
      } catch (error) {
        reportError(error, `Could not fit ${metric}`);
      }
    },
    async setErrors(errors) {
      set({ errors });
      persist();
      await get().load();
    },
    async setRange(rangeMin, rangeMax) {
      set({ rangeMin, rangeMax });
      persist();
      try {
        set({ scaling: strip(await fitFor(get().metric, get())) });
      } catch (error) {
        reportError(error, 'Could not fit over that range');
      }
    },
    toggleSeries(key) {
      const hidden = get().hidden;
      set({ hidden: hidden.includes(key) ? hidden.filter((k) => k !== key) : [...hidden, key] });
      persist();
    },
    select(selected) {
      set({ selected });
    },
    async setAblationMetric(ablationMetric) {
      set({ ablationMetric });
      persist();
      try {
        set({ ablations: await ablationsFor(get()) });
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
  };
});
