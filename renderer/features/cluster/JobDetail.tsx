import { useEffect, useMemo, useRef } from 'react';
import type { Data } from 'plotly.js';
import { Plot } from '../../components/Plot';
import { useCluster } from './store';

/** The selected job: the end of its log (kept scrolled to the bottom) and the loss curve parsed from it. */
export const JobDetail = () => {
  const { jobs, selected, log } = useCluster();
  const job = jobs.find((j) => j.id === selected);
  const pre = useRef<HTMLPreElement>(null);
  useEffect(() => {
    if (pre.current) pre.current.scrollTop = pre.current.scrollHeight;
  }, [log?.text]);
  const data = useMemo<Data[]>(
    () =>
      log && log.loss.length > 0
        ? [
            {
              x: log.loss.map((p) => p.step),
              y: log.loss.map((p) => p.loss),
              type: 'scatter',
              mode: 'lines+markers',
              name: 'loss',
            },
          ]
        : [],
    [log],
  );
  const layout = useMemo(
    () => ({ xaxis: { title: { text: 'step' } }, yaxis: { title: { text: 'training loss' } }, showlegend: false }),
    [],
  );
  if (!job) return null;
  return (
    <div className="grid-2 cluster-detail" data-testid="job-detail">
      <div className="card">
        <h2>Log · {job.name}</h2>
        <pre ref={pre} className="cluster-log" data-testid="job-log">
          {log ? `${log.truncated ? '…\n' : ''}${log.text || '(empty)'}` : 'Loading…'}
        </pre>
      </div>
      <div className="card">
        <h2>Loss</h2>
        {data.length > 0 ? (
          <Plot data={data} layout={layout} height={260} testId="loss-curve" />
        ) : (
          <div className="muted">No `Step N | loss:…` lines yet.</div>
        )}
      </div>
    </div>
  );
};
