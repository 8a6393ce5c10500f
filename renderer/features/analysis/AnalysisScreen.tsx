import { useEffect } from 'react';
import { AblationChart, CompletionCharts, DifficultyFacets } from './Facets';
import { ExportPanel } from './ExportPanel';
import { Provenance } from './Provenance';
import { ScalingCard } from './ScalingCard';
import { ValleyTable } from './ValleyTable';
import { useAnalysis } from './store';
import { useShell } from '../shell/store';
import './analysis.css';
import { ErrorBoundary } from '../../components/ErrorBoundary';

/** All runs, or one study's: its curves with its own baseline, its ablations against the cells they continued from. */
const StudyPicker = () => {
  const study = useAnalysis((s) => s.study);
  const studies = useAnalysis((s) => s.studies);
  const setStudy = useAnalysis((s) => s.setStudy);
  // a saved study still listed before the list arrives
  const names = study !== null && !studies.includes(study) ? [...studies, study] : studies;
  return (
    <label className="analysis-study" title="Show the runs of one study, or every run of the workspace">
      Runs{' '}
      <select
        data-testid="analysis-study"
        value={study ?? ''}
        onChange={(e) => void setStudy(e.target.value === '' ? null : e.target.value)}
      >
        <option value="">All runs</option>
        {names.map((n) => (
          <option key={n} value={n}>
            Study {n}
          </option>
        ))}
      </select>
    </label>
  );
};

/** Scaling analysis: the scaling plot with fit and valley, its statistics, ablations, facets, export, provenance. */
export const AnalysisScreen = () => {
  const { load, loaded, loading, scaling, study } = useAnalysis();
  const empty = loaded && (scaling?.series.length ?? 0) === 0;
  useEffect(() => {
    void load();
  }, [load]);
  return (
    <section className="analysis">
      <div className="screen-head">
        <h1>Analysis</h1>
        <span className="muted">
          Score against training-set size · log-linear fit y = a + b·log10(n) · valley statistics
        </span>
        <div className="actions">
          <StudyPicker />
          <button onClick={() => void load()} disabled={loading}>
            {loading ? 'Computing…' : 'Refresh'}
          </button>
        </div>
      </div>
      {empty && study !== null ? (
        <div className="empty-state" data-testid="analysis-empty">
          <p>Study {study} has no scaling series yet: its curve needs runs of a student at two or more sizes.</p>
          <p>Finished chains are imported as they end; the Study screen shows where each cell is.</p>
          <button className="primary" onClick={() => useShell.getState().go('study')}>
            Go to Study
          </button>
        </div>
      ) : empty ? (
        // no axes without data: what is missing and where to get it
        <div className="empty-state" data-testid="analysis-empty">
          <p>No scaling series yet: runs of one student at two or more training sizes make one.</p>
          <p>
            Import LiveCodeBench results (or fetch finished cluster jobs) and label each run with its student and size.
          </p>
          <button className="primary" onClick={() => useShell.getState().go('data')}>
            Go to Data to import results
          </button>
        </div>
      ) : (
        <>
          <ErrorBoundary name="Scaling plot">
            <ScalingCard />
          </ErrorBoundary>
          <ErrorBoundary name="Provenance">
            <Provenance />
          </ErrorBoundary>
          <h2>Valley statistics</h2>
          <ErrorBoundary name="Valley statistics">
            <ValleyTable />
          </ErrorBoundary>
          <h2>Export for the paper</h2>
          <ErrorBoundary name="Export">
            <ExportPanel />
          </ErrorBoundary>
          <div className="grid-2">
            <div>
              <h2>Ablations: relative improvement over the reference run</h2>
              <div className="card">
                <ErrorBoundary name="Ablations">
                  <AblationChart />
                </ErrorBoundary>
              </div>
            </div>
            <div>
              <h2>Completion and think tags</h2>
              <div className="card">
                <ErrorBoundary name="Completion charts">
                  <CompletionCharts />
                </ErrorBoundary>
              </div>
            </div>
          </div>
          <h2>pass@1 by difficulty</h2>
          <div className="card">
            <ErrorBoundary name="Difficulty facets">
              <DifficultyFacets />
            </ErrorBoundary>
          </div>
        </>
      )}
    </section>
  );
};
