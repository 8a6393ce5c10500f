import '../../components/code.css';
import { useEffect } from 'react';
import type { ProblemDetail, ProblemOutput } from '../../../shared/api';
import { Code } from '../../components/Code';
import { useProblems } from './problems-store';

const pct = (v: number) => `${(v * 100).toFixed(0)}%`;

/** LiveCodeBench's grading detail (a JSON string) as a few readable lines: error, input, expected, got. */
const gradeLines = (detail: string | null): [string, string][] => {
  if (!detail) return [];
  let value: unknown;
  try {
    value = JSON.parse(detail);
  } catch {
    return [['detail', detail]];
  }
  if (!value || typeof value !== 'object') return [['detail', String(value)]];
  const o = value as Record<string, unknown>;
  const keys: [string, string][] = [
    ['error_message', 'error'],
    ['error', 'error'],
    ['inputs', 'input'],
    ['expected', 'expected'],
    ['output', 'got'],
    ['execution time', 'time'],
  ];
  return keys
    .filter(([k]) => o[k] !== undefined && o[k] !== null && o[k] !== '')
    .map(([k, label]) => {
      const v = typeof o[k] === 'string' ? (o[k] as string) : JSON.stringify(o[k]);
      return [
        label,
        k === 'execution time' ? `${Number(o[k]).toFixed(3)} s` : v.length > 400 ? `${v.slice(0, 400)}…` : v,
      ];
    });
};

const Generation = ({ g, unfold }: { g: ProblemOutput; unfold: boolean }) => (
  <div className={`generation ${g.passed ? 'pass' : g.passed === false ? 'fail' : ''}`} data-testid="generation">
    <div className="gen-head">
      <span className="muted">generation {g.index + 1}</span>
      <span className={`badge ${g.passed ? 'ok' : g.passed === false ? 'danger' : ''}`} data-testid="verdict">
        {g.passed === null ? 'not graded' : g.passed ? 'passed' : 'failed'}
      </span>
      <span className="muted">{g.output.length.toLocaleString()} chars</span>
    </div>
    {gradeLines(g.detail).map(([k, v]) => (
      <div key={k} className="grade-line">
        <b>{k}</b> <code>{v}</code>
      </div>
    ))}
    {g.code === null ? (
      <p className="muted">The results file holds no extracted code (code_list).</p>
    ) : g.code.trim() === '' ? (
      <p className="muted" data-testid="no-code">
        LiveCodeBench extracted no code from this output.
      </p>
    ) : (
      <Code code={g.code} testId="extracted-code" />
    )}
    <details open={unfold}>
      <summary>whole output</summary>
      <pre className="gen-output">{g.output}</pre>
    </details>
  </div>
);

const RunColumn = ({ r }: { r: ProblemDetail['runs'][number] }) => {
  const unfold = useProblems((s) => s.showOutputs);
  return (
    <div className="problem-run" data-testid="problem-run" data-run={r.run.id}>
      <div className="problem-run-head">
        <b title={r.run.name}>{r.run.name}</b>
        <span className={`badge ${r.passed === r.n ? 'ok' : r.passed === 0 ? 'danger' : 'warn'}`}>
          {r.passed}/{r.n} · {pct(r.pass1)}
        </span>
        <div className="muted">
          {r.run.student} · {r.run.size === null ? '–' : r.run.size.toLocaleString()} ex · {r.run.partition}
        </div>
      </div>
      {r.outputs.length === 0 && (
        <p className="muted">No generations stored for this run (its results carry no output text).</p>
      )}
      {r.outputs.map((g) => (
        <Generation key={g.index} g={g} unfold={unfold} />
      ))}
    </div>
  );
};

/** One problem: its question, then every run's generations side by side (extracted code, graded result, whole output). */
export const ProblemView = () => {
  const { problem, showOutputs, sequence, set, back, step } = useProblems();
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (e.ctrlKey || e.metaKey || e.altKey || (t && /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
      if (e.key === 'j') void step(1);
      else if (e.key === 'k') void step(-1);
      else if (e.key === 'o') set({ showOutputs: !useProblems.getState().showOutputs });
      else if (e.key === 'Escape') back();
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [step, set, back]);
  if (!problem) return <p className="muted">Loading the problem…</p>;
  const at = sequence.indexOf(problem.questionId);
  return (
    <div className="problem-view" data-testid="problem-view">
      <div className="screen-head">
        <button onClick={back} title="Back (Esc)">
          ← Back
        </button>
        <h1>
          <code>{problem.questionId}</code> {problem.title ?? ''}
        </h1>
        {problem.difficulty && <span className="badge">{problem.difficulty}</span>}
        {problem.platform && <span className="badge">{problem.platform}</span>}
        {problem.contestDate && <span className="muted">{problem.contestDate.slice(0, 10)}</span>}
        <div className="actions">
          {at >= 0 && (
            <span className="muted">
              {at + 1} of {sequence.length}
            </span>
          )}
          <button onClick={() => void step(-1)} disabled={at <= 0} title="Previous problem (k)">
            ◀ prev
          </button>
          <button onClick={() => void step(1)} disabled={at < 0 || at >= sequence.length - 1} title="Next problem (j)">
            next ▶
          </button>
          <label>
            <input type="checkbox" checked={showOutputs} onChange={(e) => set({ showOutputs: e.target.checked })} />{' '}
            whole outputs (o)
          </label>
        </div>
      </div>
      {problem.content ? (
        <details className="problem-question">
          <summary>Question ({problem.content.length.toLocaleString()} chars)</summary>
          <pre className="prose">{problem.content}</pre>
          {problem.starterCode && <Code code={problem.starterCode} />}
        </details>
      ) : (
        <p className="muted">The results hold no question text for this problem.</p>
      )}
      <div className="problem-runs" data-testid="problem-runs">
        {problem.runs.map((r) => (
          <RunColumn key={r.run.id} r={r} />
        ))}
      </div>
    </div>
  );
};
