import { useEffect } from 'react';
import { useRuns } from '../runs/store';
import { useRunSelection } from '../runs/selection';
import { useProblems } from '../runs/problems-store';
import { useShell } from '../shell/store';
import { useAnalysis } from './store';
import { formatSize, pct } from '../../../shared/analysis/format';
import { openTracesOf } from './open-traces';

/** Where a plotted point comes from: its runs, their labels, and the subset / partition they trained on. */
export const Provenance = () => {
  const selected = useAnalysis((s) => s.selected);
  const select = useAnalysis((s) => s.select);
  const { runs, loaded, load } = useRuns();
  const go = useShell((s) => s.go);
  const setFocus = useRunSelection((s) => s.setFocus);
  const setCompare = useRunSelection((s) => s.setCompare);
  const scaling = useAnalysis((s) => s.scaling);
  useEffect(() => {
    if (!loaded) void load();
  }, [loaded, load]);
  if (!selected) return null;
  const chosen = runs.filter((r) => selected.runIds.includes(r.id));
  // the untrained score of this series: compare a point with it problem by problem ("solved at 0, broken at 1K")
  const baseline = scaling?.series.find((s) => s.key === selected.seriesKey)?.baseline?.runIds[0] ?? null;
  return (
    <div className="card analysis-provenance" data-testid="provenance">
      <div className="screen-head">
        <h2>
          {selected.label} · {formatSize(selected.size)} examples · {pct(selected.value)}
        </h2>
        <div className="actions">
          <button className="link" onClick={() => select(null)} aria-label="Close">
            ✕
          </button>
        </div>
      </div>
      {chosen.map((r) => {
        const subset = r.labels['subset'] ?? r.labels['manifest'] ?? null;
        return (
          <div key={r.id} className="analysis-run">
            <div>
              <strong>{r.name}</strong> <span className="muted">({r.id})</span>
            </div>
            <div className="muted">
              student {r.student} · partition <strong>{r.partition}</strong> · seed {r.seed ?? '–'} · {r.problems}{' '}
              problems · {r.source}
            </div>
            <div>
              pass@1 {pct(r.metrics['pass@1'])} · easy {pct(r.metrics['pass@1/easy'])} · medium{' '}
              {pct(r.metrics['pass@1/medium'])} · hard {pct(r.metrics['pass@1/hard'])} · completion{' '}
              {pct(r.metrics['completion_rate'])} · think tags {pct(r.metrics['think_rate'])}
            </div>
            {Object.keys(r.labels).length > 0 && (
              <div className="muted">
                labels:{' '}
                {Object.entries(r.labels)
                  .map(([k, v]) => `${k}=${v}`)
                  .join(', ')}
              </div>
            )}
            <div className="analysis-controls">
              <button
                data-testid="open-run"
                onClick={() => {
                  setFocus(r.id);
                  void useProblems.getState().openRun(r.id);
                }}
              >
                Open its {r.problems} problems
              </button>
              {baseline && baseline !== r.id && (
                <button
                  data-testid="compare-baseline"
                  onClick={() => {
                    setFocus(r.id);
                    setCompare(baseline, r.id);
                    useProblems.setState({ view: { kind: 'table' }, pair: 'onlyA' });
                    go('runs');
                  }}
                >
                  Problem by problem against the baseline
                </button>
              )}
              <button
                data-testid="open-traces"
                onClick={() => void openTracesOf(r.partition, subset)}
                title={subset ? `subset ${subset}` : `partition ${r.partition}`}
              >
                {subset ? `Subset “${subset}” and its traces` : `Traces of partition “${r.partition}”`}
              </button>
            </div>
          </div>
        );
      })}
    </div>
  );
};
