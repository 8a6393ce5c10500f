import { useMemo } from 'react';
import type { Data } from 'plotly.js';
import { Plot } from '../../components/Plot';
import { useShell } from '../shell/store';
import { completionMetrics, difficultyMetrics, useAnalysis, type MetricFits } from './store';
import { scalingTraces, sizeTicks, themeColor } from './traces';

const keyIndex = (fits: Record<string, MetricFits>) => {
  const keys = [...new Set(Object.values(fits).flatMap((f) => f.series.map((s) => s.key)))];
  return (k: string) => Math.max(0, keys.indexOf(k));
};

const MetricPlot = ({
  title,
  fits,
  colorIndex,
  testId,
}: {
  title: string;
  fits: MetricFits | undefined;
  colorIndex: (k: string) => number;
  testId: string;
}) => {
  const theme = useShell((s) => s.theme);
  const fig = useMemo(
    () => scalingTraces(fits?.series ?? [], fits?.fits ?? [], { colorIndex, fit: false, valley: false }),
    // theme: the CSS colours the traces read change with it
    [fits, colorIndex, theme],
  );
  return (
    <Plot
      testId={testId}
      data={fig.data}
      height={260}
      layout={{
        title: { text: title, font: { size: 13 } },
        xaxis: {
          type: 'log',
          title: { text: 'training examples' },
          ...sizeTicks((fits?.series ?? []).flatMap((s) => s.points.map((p) => p.size))),
        },
        // every metric here is a rate: a fixed 0–100% axis (autorange would put a constant 100% series mid-axis, 0–200%)
        yaxis: { tickformat: '.0%', range: [-0.03, 1.05], autorange: false },
        shapes: fig.shapes,
        showlegend: false,
        margin: { l: 48, r: 8, t: 34, b: 44 },
      }}
    />
  );
};

/** pass@1 per LiveCodeBench difficulty against size, one small plot per difficulty. */
export const DifficultyFacets = () => {
  const difficulty = useAnalysis((s) => s.difficulty);
  const colorIndex = useMemo(() => keyIndex(difficulty), [difficulty]);
  return (
    <div className="analysis-facets">
      {difficultyMetrics.map((m) => (
        <MetricPlot
          key={m}
          testId={`facet-${m.slice(7)}`}
          title={m.slice(7)}
          fits={difficulty[m]}
          colorIndex={colorIndex}
        />
      ))}
    </div>
  );
};

/** Completion rate and think-tag occurrence against size. */
export const CompletionCharts = () => {
  const completion = useAnalysis((s) => s.completion);
  const colorIndex = useMemo(() => keyIndex(completion), [completion]);
  const titles: Record<string, string> = { completion_rate: 'completion rate', think_rate: 'think-tag occurrence' };
  return (
    <div className="analysis-facets two">
      {completionMetrics.map((m) => (
        <MetricPlot key={m} testId={`facet-${m}`} title={titles[m] ?? m} fits={completion[m]} colorIndex={colorIndex} />
      ))}
    </div>
  );
};

/** Relative improvement of each ablation partition over the reference run, one bar colour per student. */
export const AblationChart = () => {
  const { ablations: groups, ablationMetric, setAblationMetric, study } = useAnalysis();
  const theme = useShell((s) => s.theme);
  const data = useMemo<Data[]>(
    () =>
      groups.map((g, i) => ({
        type: 'bar',
        name: `${g.student} (vs. ${g.referenceLabel})`,
        x: g.bars.map((b) => b.label),
        y: g.bars.map((b) => b.relativePercent),
        customdata: g.bars.map((b) => b.runId),
        marker: { color: themeColor(i) },
        text: g.bars.map((b) =>
          b.relativePercent === null ? '' : `${b.relativePercent >= 0 ? '+' : ''}${b.relativePercent.toFixed(1)}%`,
        ),
        textposition: 'outside',
        hovertemplate: '%{x}: %{y:.1f}% (run %{customdata})<extra></extra>',
      })),
    // theme: the CSS colours the bars read change with it
    [groups, theme],
  );
  const picker = (
    <div className="analysis-controls">
      <label>
        Metric{' '}
        <select
          data-testid="ablation-metric"
          value={ablationMetric}
          onChange={(e) => void setAblationMetric(e.target.value)}
        >
          {['pass@1', 'pass@1/easy', 'pass@1/medium', 'pass@1/hard', 'completion_rate', 'think_rate'].map((m) => (
            <option key={m} value={m}>
              {m}
            </option>
          ))}
        </select>
      </label>
      <span className="muted">
        {study === null
          ? 'reference: partition “all” at the same size'
          : `reference: the cell each condition continued from (else study ${study}’s baseline)`}
      </span>
    </div>
  );
  if (groups.length === 0) {
    return (
      <>
        {picker}
        <div className="empty-state">
          {study === null
            ? 'No ablation runs: runs in other partitions at a size that also has a reference run.'
            : `No ablation of study ${study} is done yet.`}
        </div>
      </>
    );
  }
  return (
    <>
      {picker}
      <Plot
        testId="ablation-plot"
        data={data}
        height={300}
        layout={{
          barmode: 'group',
          yaxis: { title: { text: `Δ ${groups[0]?.metric ?? 'pass@1'} (%)` }, zeroline: true },
          margin: { l: 56, r: 8, t: 16, b: 60 },
        }}
      />
    </>
  );
};
