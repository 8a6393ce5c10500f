import { useEffect, useState } from 'react';
import type { ResponseOf } from '../../../shared/api';
import { api } from '../../api/client';
import { reportError } from '../notices/store';
import { useRunSelection } from './selection';

type Comparison = ResponseOf<'analysis.compareRuns'>;

const pct = (v: number | undefined) => (v === undefined ? '–' : `${(v * 100).toFixed(1)}%`);
const metrics: [string, string][] = [
  ['pass@1', 'pass@1'], ['pass@1/easy', 'easy'], ['pass@1/medium', 'medium'], ['pass@1/hard', 'hard'],
  ['completion_rate', 'completion'], ['think_rate', 'think tags'],
];

const ProblemList = ({ title, items, testId }: { title: string; items: Comparison['onlyA']; testId: string }) => (
  <div data-testid={testId}>
    <h3>{title} ({items.length})</h3>
    <ul className="problem-list">
      {items.slice(0, 200).map((p) => (
        <li key={p.questionId}>
          <code>{p.questionId}</code> <span className="muted">{p.difficulty ?? ''}</span> <span className="muted">{pct(p.a)} vs {pct(p.b)}</span>
        </li>
      ))}
      {items.length > 200 && <li className="muted">… and {items.length - 200} more</li>}
    </ul>
  </div>
);

/** Two ticked runs side by side: their metrics, and the problems one solved and the other did not. */
export const RunCompare = () => {
  const { compareA, compareB, setCompare } = useRunSelection();
  const [c, setC] = useState<Comparison | null>(null);
  useEffect(() => {
    if (!compareA || !compareB) {
      setC(null);
      return;
    }
    let live = true;
    api()
      .call('analysis.compareRuns', { a: compareA, b: compareB })
      .then((r) => live && setC(r))
      .catch((error: unknown) => reportError(error, 'Could not compare the runs'));
    return () => {
      live = false;
    };
  }, [compareA, compareB]);
  if (!compareA || !compareB) {
    return <p className="muted">Tick two runs (⇄) to compare them problem by problem.</p>;
  }
  if (!c) return <p className="muted">Comparing…</p>;
  return (
    <div className="card run-compare" data-testid="run-compare">
      <div className="screen-head">
        <h2>{c.a.name} ⇄ {c.b.name}</h2>
        <div className="actions">
          <button onClick={() => setCompare(compareB, compareA)}>Swap</button>
          <button onClick={() => setCompare(null, null)}>Clear</button>
        </div>
      </div>
      <table className="data">
        <thead>
          <tr><th>Run</th>{metrics.map(([, l]) => <th key={l} className="num">{l}</th>)}</tr>
        </thead>
        <tbody>
          {[c.a, c.b].map((r) => (
            <tr key={r.id}><td>{r.name}</td>{metrics.map(([m]) => <td key={m} className="num">{pct(r.metrics[m])}</td>)}</tr>
          ))}
        </tbody>
      </table>
      <p className="muted">
        Solved by both: {c.both} · by neither: {c.neither}
        {c.unmatched > 0 ? ` · in only one run's results: ${c.unmatched}` : ''} (solved = at least one passing generation)
      </p>
      <div className="grid-2">
        <ProblemList testId="only-a" title={`Solved only by ${c.a.name}`} items={c.onlyA} />
        <ProblemList testId="only-b" title={`Solved only by ${c.b.name}`} items={c.onlyB} />
      </div>
    </div>
  );
};
