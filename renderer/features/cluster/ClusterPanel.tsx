import { useEffect, useState } from 'react';
import { ProfilesCard } from './ProfilesCard';
import { JobsTable } from './JobsTable';
import { JobDetail } from './JobDetail';
import { SubmitDialog } from './SubmitDialog';
import { useCluster } from './store';
import './cluster.css';

/** Training and evaluation on clusters: profiles, submission, the jobs table, a job's log and loss curve. */
export const ClusterPanel = () => {
  const [submitting, setSubmitting] = useState(false);
  useEffect(() => {
    void useCluster.getState().load().then(() => useCluster.getState().refresh());
    return useCluster.getState().watch();
  }, []);
  return (
    <section className="cluster-panel" data-testid="cluster-panel">
      <div className="screen-head">
        <h1>Cluster jobs</h1>
        <span className="muted">Train and evaluate over SSH: Slurm, a plain GPU host, or this machine</span>
        <div className="actions">
          <button className="primary" onClick={() => setSubmitting(true)} data-testid="open-submit">Submit jobs…</button>
        </div>
      </div>
      <JobsTable />
      <JobDetail />
      <ProfilesCard />
      {submitting && <SubmitDialog onClose={() => setSubmitting(false)} />}
    </section>
  );
};
