import { useEffect, useMemo } from 'react';
import type { Data } from 'plotly.js';
import { metricKeys } from '../../../shared/domain/metrics';
import { Plot } from '../../components/Plot';
import { useRuns } from '../runs/store';

/** pass@1 against training examples on a log axis, one series per student (partition "all"). */
export const AnalysisScreen = () => {
  const { runs, load } = useRuns();
  useEffect(() => {
    void load();
  }, [load]);
  const data = useMemo<Data[]>(() => {
    const students = [...new Set(runs.map((r) => r.student))];
    return students.map((student) => {
      const points = runs
        .filter((r) => r.student === student && r.partition === 'all' && r.size !== null && r.size > 0)
        .sort((a, b) => (a.size ?? 0) - (b.size ?? 0));
      return {
        type: 'scatter',
        mode: 'lines+markers',
        name: student,
        x: points.map((r) => r.size ?? 0),
        y: points.map((r) => r.metrics[metricKeys.pass1] ?? null),
      };
    });
  }, [runs]);
  return (
    <section>
      <div className="screen-head">
        <h1>Analysis</h1>
        <span className="muted">Score against training-set size</span>
      </div>
      <div className="card">
        <Plot testId="scaling-plot" data={data} height={380}
          layout={{ xaxis: { type: 'log', title: { text: 'training examples' } }, yaxis: { title: { text: 'pass@1' }, tickformat: '.0%' } }} />
      </div>
    </section>
  );
};
