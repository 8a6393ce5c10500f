import { useEffect, useMemo } from 'react';
import type { RunProblem } from '../../../shared/api';
import { useProblems, type Outcome } from './problems-store';
import { ProblemTable, type ProblemColumn } from './ProblemTable';
import { pct } from '../../../shared/analysis/format';
import { runMetrics } from './metrics';

const outcomeOf = (p: RunProblem): Outcome => (p.passed === 0 ? 'failed' : p.passed === p.n ? 'passed' : 'partial');

/** The difficulty filter shared by a run's problems and a comparison: the difficulties the problems have. */
export const DifficultySelect = ({ problems }: { problems: readonly { difficulty: string | null }[] }) => {
  const { difficulty, set } = useProblems();
  const difficulties = [...new Set(problems.map((p) => p.difficulty).filter((d): d is string => d !== null))];
  return (
    <select aria-label="difficulty" value={difficulty} onChange={(e) => set({ difficulty: e.target.value })}>
      <option value="">every difficulty</option>
      {difficulties.map((d) => (
        <option key={d} value={d}>
          {d}
        </option>
      ))}
    </select>
  );
};

export const filterProblems = (
  problems: readonly RunProblem[],
  difficulty: string,
  outcome: Outcome,
  query: string,
) => {
  const q = query.trim().toLowerCase();
  return problems.filter(
    (p) =>
      (!difficulty || p.difficulty === difficulty) &&
      (outcome === 'all' || outcomeOf(p) === outcome) &&
      (!q || p.questionId.toLowerCase().includes(q) || (p.title ?? '').toLowerCase().includes(q)),
  );
};

const columns: ProblemColumn<RunProblem>[] = [
  { key: 'pass1', head: 'pass@1', cell: (p) => <span className={`verdict ${outcomeOf(p)}`}>{pct(p.pass1)}</span> },
  { key: 'passed', head: 'passed', cell: (p) => `${p.passed}/${p.n}` },
  { key: 'completed', head: 'completed', cell: (p) => (p.completed === null ? '–' : `${p.completed}/${p.n}`) },
];

/** A run opened to its benchmark problems: difficulty, pass@1 and completion per problem, filterable; a row opens the problem. */
export const RunProblems = () => {
  const { runProblems, difficulty, outcome, query, set, openProblem, back } = useProblems();
  const shown = useMemo(
    () => (runProblems ? filterProblems(runProblems.problems, difficulty, outcome, query) : []),
    [runProblems, difficulty, outcome, query],
  );
  useEffect(() => set({ sequence: shown.map((p) => p.questionId) }), [shown, set]);
  if (!runProblems) return <p className="muted">Loading the run…</p>;
  const { run, problems, withOutputs } = runProblems;
  const count = (o: Outcome) =>
    problems.filter((p) => (o === 'all' || outcomeOf(p) === o) && (!difficulty || p.difficulty === difficulty)).length;
  return (
    <div className="run-problems" data-testid="run-problems">
      <div className="screen-head">
        <button onClick={back} title="Back (Esc)">
          ← Back
        </button>
        <h1>{run.name}</h1>
        <span className="muted">
          {run.student} · {run.size === null ? 'size –' : `${run.size.toLocaleString()} examples`} · partition{' '}
          {run.partition}
        </span>
      </div>
      <div className="run-summary">
        {runMetrics.map(([m, label]) => (
          <span key={m}>
            {label} <b>{pct(run.metrics[m])}</b>
          </span>
        ))}
        <span className="muted">
          {problems.length} problems ·{' '}
          {withOutputs === 0
            ? 'no generations stored (results without output text)'
            : `${withOutputs} with their generations`}
        </span>
      </div>
      <div className="problem-filters">
        <div className="seg" role="group" aria-label="outcome">
          {(['all', 'passed', 'partial', 'failed'] as const).map((o) => (
            <button
              key={o}
              className={outcome === o ? 'active' : ''}
              data-outcome={o}
              onClick={() => set({ outcome: o })}
            >
              {o} ({count(o)})
            </button>
          ))}
        </div>
        <DifficultySelect problems={problems} />
        <input
          type="search"
          placeholder="Filter by id or title"
          value={query}
          onChange={(e) => set({ query: e.target.value })}
          aria-label="filter problems"
        />
        <span className="muted">{shown.length} shown · click a problem to read every run’s outputs</span>
      </div>
      <ProblemTable
        rows={shown}
        columns={columns}
        onOpen={(q) => void openProblem(q, [run.id])}
        testId="problems-table"
        className="problems-table"
        empty="No problem matches these filters."
      />
    </div>
  );
};
