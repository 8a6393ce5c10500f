import { useState } from 'react';
import { figureKinds, figurePresets, type FigureRecipeInput } from '../../../shared/api';
import { useAnalysis } from './store';

type Kind = (typeof figureKinds)[number];
type Preset = (typeof figurePresets)[number];

/** Paper figures rendered by the backend (the same code as `valley figure`), saved with their CSV, LaTeX and recipe. */
export const ExportPanel = () => {
  const { metric, errors, rangeMin, rangeMax, hidden, scaling, ablationMetric, study } = useAnalysis();
  // Series hidden on screen stay out of the exported figure too (filtered by their students and partitions).
  const visible = (scaling?.series ?? []).filter((s) => !hidden.includes(s.key));
  const only =
    hidden.length > 0 && visible.length > 0
      ? {
          students: [...new Set(visible.map((s) => s.student))],
          partitions: [...new Set(visible.map((s) => s.partition))],
        }
      : {};
  const [kind, setKind] = useState<Kind>('scaling');
  const [preset, setPreset] = useState<Preset>('single');
  const [dpi, setDpi] = useState(300);
  const [busy, setBusy] = useState(false);
  const recipe = (format: 'svg' | 'pdf' | 'png'): FigureRecipeInput => ({
    kind,
    format,
    preset,
    dpi,
    query: { metric, errors, study, ...only },
    range: { min: rangeMin, max: rangeMax },
    ablation: { metric: ablationMetric, study },
  });
  const stem = `valley-${kind}-${preset}`;
  const exportFigure = async (format: 'svg' | 'pdf' | 'png') => {
    setBusy(true);
    await useAnalysis.getState().exportFigure({ ...recipe(format), format }, stem);
    setBusy(false);
  };
  const exportTable = async (tableFormat: 'csv' | 'latex') => {
    setBusy(true);
    await useAnalysis.getState().exportTable(recipe('svg'), tableFormat, stem);
    setBusy(false);
  };
  return (
    <div className="card analysis-export" data-testid="export-panel">
      <div className="analysis-controls">
        <label>
          Figure{' '}
          <select data-testid="export-kind" value={kind} onChange={(e) => setKind(e.target.value as Kind)}>
            {figureKinds.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </label>
        <label>
          Size{' '}
          <select data-testid="export-preset" value={preset} onChange={(e) => setPreset(e.target.value as Preset)}>
            <option value="single">single column (3.25 in)</option>
            <option value="double">double column (6.75 in)</option>
          </select>
        </label>
        <label>
          PNG dpi{' '}
          <select data-testid="export-dpi" value={dpi} onChange={(e) => setDpi(Number(e.target.value))}>
            {[150, 300, 600].map((d) => (
              <option key={d} value={d}>
                {d}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="analysis-controls">
        {(['svg', 'pdf', 'png'] as const).map((f) => (
          <button key={f} data-testid={`export-${f}`} disabled={busy} onClick={() => void exportFigure(f)}>
            {f.toUpperCase()}
          </button>
        ))}
        <button data-testid="export-csv" disabled={busy} onClick={() => void exportTable('csv')}>
          CSV
        </button>
        <button data-testid="export-latex" disabled={busy} onClick={() => void exportTable('latex')}>
          LaTeX
        </button>
        <span className="muted">Uses the runs, metric, error bars and fit range above.</span>
      </div>
    </div>
  );
};
