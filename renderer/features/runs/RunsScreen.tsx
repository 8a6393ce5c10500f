import { useEffect } from 'react';
import { metricKeys } from '../../../shared/domain/metrics';
import { useRuns } from './store';
import { ClusterPanel } from '../cluster/ClusterPanel';

const pct = (v: number | undefined) => (v === undefined ? '–' : `${(v * 100).toFixed(1)}%`);

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
        <table className="data" data-testid="runs-table">
          <thead>
            <tr>
              <th>Run</th><th>Student</th><th className="num">Examples</th><th>Partition</th><th className="num">Seed</th>
              <th className="num">pass@1</th><th className="num">easy</th><th className="num">medium</th><th className="num">hard</th>
              <th className="num">completion</th><th className="num">think tags</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((r) => (
              <tr key={r.id}>
                <td>{r.isDemo && <span className="badge demo">DEMO</span>}{r.name}</td>
                <td>{r.student}</td>
                <td className="num">{r.size ?? '–'}</td>
                <td>{r.partition}</td>
                <td className="num">{r.seed ?? '–'}</td>
                <td className="num">{pct(r.metrics[metricKeys.pass1])}</td>
                <td className="num">{pct(r.metrics[metricKeys.pass1Easy])}</td>
                <td className="num">{pct(r.metrics[metricKeys.pass1Medium])}</td>
                <td className="num">{pct(r.metrics[metricKeys.pass1Hard])}</td>
                <td className="num">{pct(r.metrics[metricKeys.completionRate])}</td>
                <td className="num">{pct(r.metrics[metricKeys.thinkRate])}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ClusterPanel />
    </section>
  );
};
