import { useEffect } from 'react';
import { ProfilesCard } from './ProfilesCard';
import { JobsTable } from './JobsTable';
import { JobDetail } from './JobDetail';
import { SubmitDialog } from './SubmitDialog';
import { useCluster } from './store';
import './cluster.css';
import { ErrorBoundary } from '../../components/ErrorBoundary';

/** Training and evaluation on clusters: profiles, submission, the jobs table, a job's log and loss curve. */
export const ClusterPanel = () => {
  const submitting = useCluster((s) => s.submitOpen);
  const setSubmitting = (submitOpen: boolean) => useCluster.setState({ submitOpen });
  useEffect(() => {
    void useCluster
      .getState()
      .load()
      .then(() => useCluster.getState().refresh());
    return useCluster.getState().watch();
  }, []);
  return (
    <section className="cluster-panel" data-testid="cluster-panel">
      <div className="screen-head">
        <h1>Cluster jobs</h1>
        <span className="muted">Train and evaluate over SSH: Slurm, a plain GPU host, or this machine</span>
        <div className="actions">
          <button className="primary" onClick={() => setSubmitting(true)} data-testid="open-submit">
            Submit jobs…
          </button>
        </div>
      </div>
      <ErrorBoundary name="Jobs">
        <JobsTable />
      </ErrorBoundary>
      <ErrorBoundary name="Job detail">
        <JobDetail />
      </ErrorBoundary>
      <ErrorBoundary name="Cluster profiles">
        <ProfilesCard />
      </ErrorBoundary>
      <ErrorBoundary name="Submit jobs" resetKeys={[submitting]}>
        {submitting && <SubmitDialog onClose={() => setSubmitting(false)} />}
      </ErrorBoundary>
    </section>
  );
};
