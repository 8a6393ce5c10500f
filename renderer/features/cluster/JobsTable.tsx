import type { Job } from '../../../shared/api/cluster';
import { isRunning, useCluster } from './store';

export const elapsed = (s: number | null): string =>
  s === null
    ? '–'
    : `${Math.floor(s / 3600)}:${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}:${String(Math.floor(s % 60)).padStart(2, '0')}`;

const StateBadge = ({ job }: { job: Job }) => (
  <span className={`cluster-state ${job.state}`} title={job.detail}>
    {job.state}
  </span>
);

export const JobsTable = () => {
  const { jobs, selected, select, cancel, fetch, refresh } = useCluster();
  return (
    <div className="card">
      <div className="cluster-card-head">
        <h2>Jobs</h2>
        <button onClick={() => void refresh()}>Refresh</button>
      </div>
      {jobs.length === 0 ? (
        <div className="muted">No jobs yet: submit one to a cluster.</div>
      ) : (
        <table className="data" data-testid="jobs-table">
          <thead>
            <tr>
              <th>State</th>
              <th>Job</th>
              <th>Cluster</th>
              <th>Scheduler id</th>
              <th className="num">Elapsed</th>
              <th>Node</th>
              <th className="num">Exit</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {jobs.map((j) => (
              <tr key={j.id} className={j.id === selected ? 'selected' : ''} onClick={() => void select(j.id)}>
                <td>
                  <StateBadge job={j} />
                </td>
                <td
                  title={Object.entries(j.labels)
                    .map(([k, v]) => `${k}=${v}`)
                    .join('\n')}
                >
                  {j.name}
                </td>
                <td>{j.cluster}</td>
                <td>{j.remoteId ?? ''}</td>
                <td className="num">{elapsed(j.elapsedSeconds)}</td>
                <td>{j.node ?? ''}</td>
                <td className="num">{j.exitCode ?? ''}</td>
                <td onClick={(e) => e.stopPropagation()}>
                  {isRunning(j) && <button onClick={() => void cancel(j.id)}>Cancel</button>}
                  {j.state === 'completed' && !j.runId && (
                    <button onClick={() => void fetch(j.id)}>Fetch results</button>
                  )}
                  {j.runId && <span className="muted">imported</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
};
