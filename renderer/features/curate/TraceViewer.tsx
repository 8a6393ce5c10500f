import { useEffect, useState } from 'react';
import type { TraceDetail } from '../../../shared/api';
import { THINK_CLOSE, THINK_OPEN } from '../../../shared/domain/trace';
import { reportError, useNotices } from '../notices/store';
import { useCurate } from './store';
import { Code } from './Code';

/** Split a response into its think section, whether it closed, and the answer after it. */
export const splitTrace = (response: string): { think: string | null; closed: boolean; answer: string } => {
  const open = response.indexOf(THINK_OPEN);
  const close = response.indexOf(THINK_CLOSE);
  if (open < 0 && close < 0) return { think: null, closed: true, answer: response };
  const start = open < 0 ? 0 : open + THINK_OPEN.length;
  if (close < 0) return { think: response.slice(start), closed: false, answer: '' };
  return { think: response.slice(start, close), closed: true, answer: response.slice(close + THINK_CLOSE.length) };
};

/** Text with fenced code blocks highlighted; the last block is the final answer LiveCodeBench would run. */
const Answer = ({ text }: { text: string }) => {
  const parts = text.split(/(```[^\n]*\n[\s\S]*?\n```)/g);
  const lastCode = parts.map((p, i) => (p.startsWith('```') ? i : -1)).filter((i) => i >= 0).pop();
  return (
    <>
      {parts.map((p, i) => {
        if (!p.startsWith('```')) return p.trim() ? <p key={i} className="tv-text">{p.trim()}</p> : null;
        const body = p.replace(/^```[^\n]*\n/, '').replace(/\n```$/, '');
        return (
          <div key={i} className={i === lastCode ? 'tv-final' : ''} data-testid={i === lastCode ? 'final-answer' : undefined}>
            {i === lastCode && <div className="tv-label">final answer</div>}
            <Code code={body} />
          </div>
        );
      })}
    </>
  );
};

const TracePane = ({ trace }: { trace: TraceDetail }) => {
  const showThink = useCurate((s) => s.showThink);
  const parts = splitTrace(trace.response);
  return (
    <div className="tv-pane" data-testid="trace-pane">
      <div className="tv-meta">
        <b>{trace.id ?? `row ${trace.rowId}`}</b>
        <span className={`badge ${trace.correct ? 'ok' : trace.correct === false ? 'danger' : ''}`}>
          {trace.correct === null ? 'unjudged' : trace.correct ? 'correct' : 'incorrect'}
        </span>
        {trace.passRate !== null && <span className="badge">pass {trace.passRate.toFixed(2)}</span>}
        {trace.difficulty && <span className="badge">{trace.difficulty}</span>}
        {trace.source && <span className="badge">{trace.source}</span>}
        {!parts.closed && <span className="badge warn" data-testid="incomplete">incomplete: no &lt;/think&gt;</span>}
        <span className="muted">{trace.tokens?.toLocaleString()} tokens</span>
      </div>
      <h3>Question</h3>
      <pre className="tv-question">{trace.question}</pre>
      {parts.think !== null && (
        <details className="tv-think" open={showThink} onToggle={(e) => useCurate.getState().set({ showThink: e.currentTarget.open })}>
          <summary>
            Reasoning ({parts.think.length.toLocaleString()} chars{parts.closed ? '' : ', never closed'})
          </summary>
          <pre>{parts.think}</pre>
        </details>
      )}
      {parts.answer.trim() ? <Answer text={parts.answer} /> : <p className="muted">No answer after the reasoning.</p>}
    </div>
  );
};

const useTrace = (dataset: string | null, rowId: number | null): TraceDetail | null => {
  const [trace, setTrace] = useState<TraceDetail | null>(null);
  useEffect(() => {
    if (!dataset || rowId === null) {
      setTrace(null);
      return;
    }
    let live = true;
    void useCurate
      .getState()
      .trace(rowId)
      .then((t) => live && setTrace(t));
    return () => {
      live = false;
    };
  }, [dataset, rowId]);
  return trace;
};

/** The open trace (and, for comparison, a second one side by side), with previous/next, copy and marks. */
export const TraceViewer = () => {
  const { dataset, openRow, openIndex, compareRow } = useCurate();
  const trace = useTrace(dataset, openRow);
  const other = useTrace(dataset, compareRow);
  if (!trace) return <div className="tv empty-state">Click a row to read its trace.</div>;
  const { step } = useCurate.getState();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(`${trace.question}\n\n${trace.response}`);
      useNotices.getState().push({ kind: 'success', title: 'Trace copied' });
    } catch (error) {
      reportError(error, 'Could not copy');
    }
  };
  return (
    <div className="tv" data-testid="trace-viewer">
      <div className="tv-bar">
        <button onClick={() => void step(-1)} disabled={!openIndex} title="Previous trace">◀ prev</button>
        <button onClick={() => void step(1)} data-testid="next-trace" title="Next trace">next ▶</button>
        <button onClick={() => void copy()}>copy</button>
        <button onClick={() => void useCurate.getState().mark([trace.rowId], 'include')}>include</button>
        <button onClick={() => void useCurate.getState().mark([trace.rowId], 'exclude')}>exclude</button>
        <select
          aria-label="compare with"
          value={compareRow ?? ''}
          onChange={(e) => useCurate.getState().set({ compareRow: e.target.value ? Number(e.target.value) : null })}
        >
          <option value="">compare with…</option>
          {trace.siblings.map((s) => (
            <option key={s.rowId} value={s.rowId}>
              same question, row {s.rowId} {s.correct ? '✓' : s.correct === false ? '✗' : ''}
            </option>
          ))}
        </select>
        <button className="link" onClick={() => useCurate.getState().set({ openRow: null, compareRow: null })}>close</button>
      </div>
      <div className={other ? 'tv-split' : ''}>
        <TracePane trace={trace} />
        {other && <TracePane trace={other} />}
      </div>
    </div>
  );
};
