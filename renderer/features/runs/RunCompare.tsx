import { useEffect, useMemo } from 'react';
import { useRunSelection } from './selection';
import { useProblems, type Comparison, type PairFilter } from './problems-store';
import { DifficultySelect } from './RunProblems';
import { ProblemTable, type ProblemColumn } from './ProblemTable';
import { pct } from '../../../shared/analysis/format';
import { runMetrics } from './metrics';

type Pair = Comparison['problems'][number];
const inPair = (f: PairFilter, p: Pair): boolean =>
  f === 'all' ||
  (f === 'onlyA'
    ? p.solvedA && !p.solvedB
    : f === 'onlyB'
      ? !p.solvedA && p.solvedB
      : f === 'both'
        ? p.solvedA && p.solvedB
        : !p.solvedA && !p.solvedB);

/** Two ticked runs side by side: their metrics, then problem by problem, filtered (solved by one, failed by the other…). */
export const RunCompare = () => {
  const { compareA, compareB, setCompare } = useRunSelection();
  const { comparison: c, pair, difficulty, compare, set, openProblem } = useProblems();
  useEffect(() => {
    void compare(compareA, compareB);
  }, [compareA, compareB, compare]);
  const shown = useMemo(
    () => (c ? c.problems.filter((p) => inPair(pair, p) && (!difficulty || p.difficulty === difficulty)) : []),
    [c, pair, difficulty],
  );
  if (!compareA || !compareB) {
    return <p className="muted">Tick two runs (⇄) to compare them problem by problem.</p>;
  }
  if (!c || c.a.id !== compareA || c.b.id !== compareB) return <p className="muted">Comparing…</p>;
  const filters: [PairFilter, string][] = [
    ['onlyA', `Solved by ${c.a.name}, failed by ${c.b.name}`],
    ['onlyB', `Solved by ${c.b.name}, failed by ${c.a.name}`],
    ['both', 'Solved by both'],
    ['neither', 'Solved by neither'],
    ['all', 'Every problem'],
  ];
  const count = (f: PairFilter) =>
    c.problems.filter((p) => inPair(f, p) && (!difficulty || p.difficulty === difficulty)).length;
  const columns: ProblemColumn<Pair>[] = [
    {
      key: 'a',
      head: c.a.name,
      cell: (p) => <span className={`verdict ${p.solvedA ? 'passed' : 'failed'}`}>{pct(p.a)}</span>,
    },
    {
      key: 'b',
      head: c.b.name,
      cell: (p) => <span className={`verdict ${p.solvedB ? 'passed' : 'failed'}`}>{pct(p.b)}</span>,
    },
  ];
  const open = (questionId: string) => {
    set({ sequence: shown.map((p) => p.questionId) });
    void openProblem(questionId, [c.a.id, c.b.id]);
  };
  return (
    <div className="card run-compare" data-testid="run-compare">
      <div className="screen-head">
        <h2>
          {c.a.name} ⇄ {c.b.name}
        </h2>
        <div className="actions">
          <button onClick={() => setCompare(compareB, compareA)}>Swap</button>
          <button onClick={() => setCompare(null, null)}>Clear</button>
        </div>
      </div>
      <table className="data">
        <thead>
          <tr>
            <th>Run</th>
            {runMetrics.map(([, l]) => (
              <th key={l} className="num">
                {l}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {[c.a, c.b].map((r) => (
            <tr key={r.id}>
              <td>{r.name}</td>
              {runMetrics.map(([m]) => (
                <td key={m} className="num">
                  {pct(r.metrics[m])}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">
        Solved by both: {c.both} · by neither: {c.neither}
        {c.unmatched > 0 ? ` · in only one run's results: ${c.unmatched}` : ''} (solved = at least one passing
        generation)
      </p>
      <div className="problem-filters">
        <div className="seg" role="group" aria-label="which problems">
          {filters.map(([f, label]) => (
            <button
              key={f}
              data-testid={f === 'onlyA' ? 'only-a' : f === 'onlyB' ? 'only-b' : `pair-${f}`}
              className={pair === f ? 'active' : ''}
              onClick={() => set({ pair: f })}
            >
              {label} ({count(f)})
            </button>
          ))}
        </div>
        <DifficultySelect problems={c.problems} />
      </div>
      <ProblemTable
        rows={shown}
        columns={columns}
        onOpen={open}
        testId="compare-problems"
        wrapClassName="short"
        limit={500}
        empty="No problem in this group."
      />
    </div>
  );
};
