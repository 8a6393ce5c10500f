import { useEffect } from 'react';
import { useRuns } from './store';
import { RunsTable } from './RunsTable';
import { RunCompare } from './RunCompare';
import './runs.css';
import { ClusterPanel } from '../cluster/ClusterPanel';

export const RunsScreen = () => {
  const { runs, loaded, load } = useRuns();
  useEffect(() => {
    void load();
  }, [load]);
  return (
    <section>
      <div className="screen-head">
        <h1>Runs</h1>
        <span className="muted">Students and their LiveCodeBench results</span>
      </div>
      {loaded && runs.length === 0 && <div className="empty-state">No runs yet.</div>}
      {runs.length > 0 && (
        <>
          <RunsTable />
          <RunCompare />
        </>
      )}
      <ClusterPanel />
    </section>
  );
};
