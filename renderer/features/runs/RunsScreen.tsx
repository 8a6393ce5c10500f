import { useEffect } from 'react';
import { useRuns } from './store';
import { RunsTable } from './RunsTable';
import { RunCompare } from './RunCompare';
import { RunProblems } from './RunProblems';
import { ProblemView } from './ProblemView';
import { useProblems } from './problems-store';
import './runs.css';
import { ClusterPanel } from '../cluster/ClusterPanel';
import { ErrorBoundary } from '../../components/ErrorBoundary';

export const RunsScreen = () => {
  const { runs, loaded, load } = useRuns();
  const view = useProblems((s) => s.view);
  useEffect(() => {
    void load();
  }, [load]);
  if (view.kind === 'run')
    return (
      <section className="runs-screen">
        <RunProblems />
      </section>
    );
  if (view.kind === 'problem')
    return (
      <section className="runs-screen">
        <ProblemView />
      </section>
    );
  return (
    <section>
      <div className="screen-head">
        <h1>Runs</h1>
        <span className="muted">Students and their LiveCodeBench results · click a run to open its problems</span>
      </div>
      {loaded && runs.length === 0 && <div className="empty-state">No runs yet.</div>}
      {runs.length > 0 && (
        <>
          <ErrorBoundary name="Runs table">
            <RunsTable />
          </ErrorBoundary>
          <ErrorBoundary name="Run comparison">
            <RunCompare />
          </ErrorBoundary>
        </>
      )}
      <ErrorBoundary name="Cluster jobs">
        <ClusterPanel />
      </ErrorBoundary>
    </section>
  );
};
