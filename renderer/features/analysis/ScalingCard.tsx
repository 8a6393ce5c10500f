import { useMemo } from 'react';
import type { PlotMouseEvent } from 'plotly.js';
import { Plot } from '../../components/Plot';
import { useShell } from '../shell/store';
import { useAnalysis } from './store';
import { formatSize, isShare } from '../../../shared/analysis/format';
import { scalingTraces, sizeTicks } from './traces';

const metricOptions = ['pass@1', 'pass@1/easy', 'pass@1/medium', 'pass@1/hard', 'completion_rate', 'think_rate'];

/** The interactive scaling plot: log x, one series per student/partition, baselines, error bars, fit + band, valley. */
export const ScalingCard = () => {
  const { scaling, metric, errors, rangeMin, rangeMax, hidden, setMetric, setErrors, setRange, select, toggleSeries } =
    useAnalysis();
  const sizes = useMemo(
    () => [...new Set((scaling?.series ?? []).flatMap((s) => s.points.map((p) => p.size)))].sort((a, b) => a - b),
    [scaling],
  );
  const keys = useMemo(() => (scaling?.series ?? []).map((s) => s.key), [scaling]);
  const theme = useShell((s) => s.theme); // series colours come from the theme's CSS variables
  const fig = useMemo(() => {
    const visible = (scaling?.series ?? []).filter((s) => !hidden.includes(s.key));
    return scalingTraces(visible, scaling?.fits ?? [], {
      colorIndex: (k) => Math.max(0, keys.indexOf(k)),
      fit: true,
      valley: true,
    });
    // theme: the CSS colours the traces read change with it
  }, [scaling, hidden, keys, theme]);
  const share = isShare(metric);
  const onClick = (e: PlotMouseEvent) => {
    const p = e.points.find((x) => typeof x.customdata === 'string');
    if (!p || typeof p.customdata !== 'string') return;
    const s = scaling?.series.find((x) => x.label === p.data.name);
    select({
      seriesKey: s?.key ?? '',
      label: String(p.data.name),
      size: Number(p.x),
      value: Number(p.y),
      runIds: p.customdata.split(','),
    });
  };
  return (
    <div className="card analysis-scaling">
      <div className="analysis-controls">
        <label>
          Metric{' '}
          <select data-testid="metric" value={metric} onChange={(e) => void setMetric(e.target.value)}>
            {metricOptions.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </label>
        <label>
          Error bars{' '}
          <select data-testid="errors" value={errors} onChange={(e) => void setErrors(e.target.value as typeof errors)}>
            <option value="auto">auto (bootstrap over problems)</option>
            <option value="bootstrap">bootstrap</option>
            <option value="binomial">binomial</option>
            <option value="none">none</option>
          </select>
        </label>
        <label>
          Fit from{' '}
          <select
            data-testid="range-min"
            value={rangeMin ?? ''}
            onChange={(e) => void setRange(e.target.value ? Number(e.target.value) : null, rangeMax)}
          >
            <option value="">smallest</option>
            {sizes.map((n) => (
              <option key={n} value={n}>
                {formatSize(n)}
              </option>
            ))}
          </select>
        </label>
        <label>
          to{' '}
          <select
            data-testid="range-max"
            value={rangeMax ?? ''}
            onChange={(e) => void setRange(rangeMin, e.target.value ? Number(e.target.value) : null)}
          >
            <option value="">largest</option>
            {sizes.map((n) => (
              <option key={n} value={n}>
                {formatSize(n)}
              </option>
            ))}
          </select>
        </label>
        <span className="muted">Click a point to see its runs.</span>
      </div>
      <Plot
        testId="scaling-plot"
        data={fig.data}
        height={400}
        onClick={onClick}
        layout={{
          xaxis: { type: 'log', title: { text: 'training examples (log scale)' }, ...sizeTicks(sizes) },
          yaxis: { title: { text: share ? `${metric} (%)` : metric }, tickformat: share ? '.0%' : '' },
          shapes: fig.shapes,
          annotations: fig.annotations,
          legend: { orientation: 'h', y: -0.22 },
          margin: { l: 60, r: 16, t: 16, b: 70 },
        }}
      />
      <div className="analysis-series-toggles">
        {(scaling?.series ?? []).map((s) => (
          <label key={s.key}>
            <input type="checkbox" checked={!hidden.includes(s.key)} onChange={() => toggleSeries(s.key)} /> {s.label}
          </label>
        ))}
      </div>
    </div>
  );
};
