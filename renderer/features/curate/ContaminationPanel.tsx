import { useMemo, useState } from 'react';
import type { ResponseOf } from '../../../shared/api';
import { useData } from '../data/store';
import { useCurate } from './store';

/** N-gram overlap of training questions with a benchmark's problems; flagged questions excluded in one step. */
export const ContaminationPanel = () => {
  const dataset = useCurate((s) => s.dataset);
  // select the stored array and derive from it: a selector returning a new array each render loops forever (React #185)
  const datasets = useData((s) => s.datasets);
  const benchmarks = useMemo(() => datasets.filter((d) => d.kind === 'benchmark'), [datasets]);
  const [benchmark, setBenchmark] = useState('');
  const [n, setN] = useState(13);
  const [threshold, setThreshold] = useState(0.5);
  const [target, setTarget] = useState('decontaminated');
  const [result, setResult] = useState<ResponseOf<'curate.contamination.check'> | null>(null);
  const [busy, setBusy] = useState(false);
  const bench = benchmark || benchmarks[0]?.name || '';
  if (!dataset) return null;
  if (!bench)
    return (
      <div className="panel muted">Import a benchmark (e.g. LiveCodeBench) in Data to check for contamination.</div>
    );
  const check = async () => {
    setBusy(true);
    setResult(await useCurate.getState().checkContamination(bench, n, threshold));
    setBusy(false);
  };
  const exclude = () => useCurate.getState().excludeContaminated(bench, n, threshold, target);
  return (
    <div className="panel" data-testid="contamination-panel">
      <div className="form-grid">
        <label>
          benchmark
          <select value={bench} onChange={(e) => setBenchmark(e.target.value)}>
            {benchmarks.map((b) => (
              <option key={b.name}>{b.name}</option>
            ))}
          </select>
        </label>
        <label>
          n-gram <input type="number" min={3} max={50} value={n} onChange={(e) => setN(Number(e.target.value))} />
        </label>
        <label>
          threshold {threshold.toFixed(2)}
          <input
            type="range"
            min={0.05}
            max={1}
            step={0.05}
            value={threshold}
            onChange={(e) => setThreshold(Number(e.target.value))}
          />
        </label>
        <button onClick={() => void check()} disabled={busy} data-testid="check-contamination">
          {busy ? 'Checking…' : 'Check'}
        </button>
      </div>
      {result && (
        <>
          <p>
            <b>{result.flaggedQuestions}</b> of {result.questionsChecked.toLocaleString()} questions (
            {result.flaggedTraces} traces) share ≥ {Math.round(threshold * 100)}% of their {n}-grams with one of{' '}
            {result.problems} problems <span className="muted">({result.elapsedMs} ms)</span>
          </p>
          <div className="row">
            <input value={target} onChange={(e) => setTarget(e.target.value)} aria-label="partition to exclude from" />
            <button disabled={!result.flaggedTraces} onClick={() => void exclude()} data-testid="exclude-contaminated">
              Exclude them from this partition
            </button>
          </div>
          <table className="data compact" data-testid="contamination-hits">
            <thead>
              <tr>
                <th className="num">overlap</th>
                <th className="num">traces</th>
                <th>question</th>
                <th>benchmark problem</th>
              </tr>
            </thead>
            <tbody>
              {result.hits.slice(0, 200).map((h, i) => (
                <tr key={i}>
                  <td className="num">{(h.overlap * 100).toFixed(0)}%</td>
                  <td className="num">{h.traces}</td>
                  <td className="clip" title={h.question}>
                    {h.questionId} {h.question}
                  </td>
                  <td className="clip" title={h.problem}>
                    {h.problemId} {h.problem}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
};
