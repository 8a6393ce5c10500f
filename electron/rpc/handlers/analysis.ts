import type { Services } from '../../services/services';
import { buildAblations } from '../../services/analysis/ablations';
import { compareRuns } from '../../services/analysis/compare';
import { figureData, renderFigure } from '../../services/analysis/figure';
import { figureCsv, figureLatex } from '../../services/analysis/figures/tables';
import { fitSeries } from '../../services/analysis/fits';
import { buildSeries } from '../../services/analysis/series';
import { listRuns } from '../../services/runs/store';
import { getUiState, setUiState } from '../../services/curate/ui-state';
import { parseAnalysisView } from '../../../shared/api/analysis-view';
import type { Handlers } from '../router';

export const analysisHandlers = (svc: Services) =>
  ({
    'analysis.series': async (q) => ({ series: await buildSeries(svc.workspace.engine, q) }),
    'analysis.fit': async (q) => {
      const series = await buildSeries(svc.workspace.engine, q);
      return { series, fits: series.map((s) => fitSeries(s, q.range, q.level)) };
    },
    'analysis.ablations': async (q) => ({ groups: buildAblations(await listRuns(svc.workspace.engine), q) }),
    'analysis.figure': async (recipe) => renderFigure(svc.workspace.engine, recipe),
    'analysis.table': async ({ tableFormat, ...recipe }) => {
      const data = await figureData(svc.workspace.engine, recipe);
      return { format: tableFormat, text: tableFormat === 'csv' ? figureCsv(data, recipe) : figureLatex(data, recipe) };
    },
    'analysis.compareRuns': async ({ a, b }) => compareRuns(svc.workspace.engine, a, b),
    // the screen's settings live in the workspace beside Curate's (valley_ui_state), under the key 'analysis'
    'analysis.view.get': async () => parseAnalysisView(await getUiState(svc.workspace.engine, 'analysis')),
    'analysis.view.set': async ({ view }) => {
      await setUiState(svc.workspace.engine, 'analysis', view);
      return { ok: true as const };
    },
  }) satisfies Partial<Handlers>;
