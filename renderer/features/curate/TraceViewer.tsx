import '../../components/code.css';
import { useEffect, useState } from 'react';
import type { TraceDetail } from '../../../shared/api';
import { THINK_CLOSE, THINK_OPEN } from '../../../shared/domain/trace';
import { reportError, useNotices } from '../notices/store';
import { useCurate } from './store';
import { Answer, Highlight, ThinkFolds, searchTerms } from './TraceText';
import { useReader } from './reader-store';

/** Split a response into its think section, whether it closed, and the answer after it. */
export const splitTrace = (response: string): { think: string | null; closed: boolean; answer: string } => {
  const open = response.indexOf(THINK_OPEN);
  const close = response.indexOf(THINK_CLOSE);
  if (open < 0 && close < 0) return { think: null, closed: true, answer: response };
  const start = open < 0 ? 0 : open + THINK_OPEN.length;
  if (close < 0) return { think: response.slice(start), closed: false, answer: '' };
  return { think: response.slice(start, close), closed: true, answer: response.slice(close + THINK_CLOSE.length) };
};

const approx = (n: number) => (n >= 1000 ? `${(n / 1000).toFixed(1)}K` : String(n));

const TracePane = ({ trace }: { trace: TraceDetail }) => {
  const showThink = useCurate((s) => s.showThink);
  const search = useCurate((s) => s.filter.search);
  const wide = useReader((s) => s.wide);
  const terms = searchTerms(search);
  const parts = splitTrace(trace.response);
  // tokens per section, in proportion to characters (the dataset stores the whole response's count)
  const share = (chars: number) =>
    trace.tokens && trace.response.length ? Math.round((trace.tokens * chars) / trace.response.length) : null;
  const thinkTokens = parts.think === null ? null : share(parts.think.length);
  const answerTokens = share(parts.answer.length);
  const jump = (e: React.MouseEvent) =>
    (
      e.currentTarget
        .closest('[data-testid="trace-pane"]')
        ?.querySelector('[data-testid="final-answer"]') as HTMLElement | null
    )?.scrollIntoView({ block: 'start' });
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
        {!parts.closed && (
          <span className="badge warn" data-testid="incomplete">
            incomplete: no &lt;/think&gt;
          </span>
        )}
        <span className="muted" data-testid="token-counts">
          {trace.tokens?.toLocaleString()} tokens
          {thinkTokens !== null && ` · reasoning ≈${approx(thinkTokens)} · answer ≈${approx(answerTokens ?? 0)}`}
        </span>
        <button className="link" onClick={jump} data-testid="jump-final" title="Jump to the final code (c)">
          ↓ final code
        </button>
      </div>
      <h3>Question</h3>
      <pre className="prose tv-question">
        <Highlight text={trace.question} terms={terms} />
      </pre>
      {parts.think !== null &&
        (wide ? (
          <div className="tv-think wide">
            <div className="tv-think-head">
              Reasoning ({parts.think.length.toLocaleString()} chars{parts.closed ? '' : ', never closed'}) ·{' '}
              <button
                className="link"
                onClick={() => useReader.getState().toggleFolded()}
                title="Fold or unfold every paragraph (f)"
              >
                {useReader.getState().folded ? 'unfold all' : 'fold all'} (f)
              </button>
            </div>
            <ThinkFolds think={parts.think} rowKey={String(trace.rowId)} terms={terms} />
          </div>
        ) : (
          <details
            className="tv-think"
            open={showThink}
            onToggle={(e) => useCurate.getState().set({ showThink: e.currentTarget.open })}
          >
            <summary>
              Reasoning ({parts.think.length.toLocaleString()} chars{parts.closed ? '' : ', never closed'})
            </summary>
            <ThinkFolds think={parts.think} rowKey={String(trace.rowId)} terms={terms} />
          </details>
        ))}
      {parts.answer.trim() ? (
        <Answer text={parts.answer} terms={terms} />
      ) : (
        <p className="muted">No answer after the reasoning.</p>
      )}
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
  const wide = useReader((s) => s.wide);
  const detached = useReader((s) => s.detached);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (
        e.ctrlKey ||
        e.metaKey ||
        e.altKey ||
        (t && (/^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName) || t.isContentEditable))
      )
        return;
      const r = useReader.getState();
      if (e.key === 'j') void useCurate.getState().step(1);
      else if (e.key === 'k') void useCurate.getState().step(-1);
      else if (e.key === 'f') r.toggleFolded();
      else if (e.key === 'r') r.setWide(!r.wide);
      else if (e.key === 'w' && !r.detached) r.openWindow();
      else if (e.key === 'c')
        document
          .querySelector<HTMLElement>('[data-testid="trace-pane"] [data-testid="final-answer"]')
          ?.scrollIntoView({ block: 'start' });
      else if (e.key === 'Escape' && r.wide) r.setWide(false);
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
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
        <button onClick={() => void step(-1)} disabled={!openIndex} title="Previous trace (k)">
          ◀ prev
        </button>
        <button onClick={() => void step(1)} data-testid="next-trace" title="Next trace (j)">
          next ▶
        </button>
        {!detached && (
          <>
            <button
              onClick={() => useReader.getState().setWide(!wide)}
              data-testid="reader-toggle"
              title="Full-width reader (r); Esc returns to the table"
            >
              {wide ? '⤡ table' : '⤢ reader'}
            </button>
            <button
              onClick={() => useReader.getState().openWindow()}
              data-testid="reader-window"
              title="Read this trace in a window of its own (w)"
            >
              ↗ window
            </button>
          </>
        )}
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
        {detached ? (
          <button className="link" onClick={() => window.close()} title="Close this window">
            close window
          </button>
        ) : (
          <button className="link" onClick={() => useCurate.getState().set({ openRow: null, compareRow: null })}>
            close
          </button>
        )}
      </div>
      <div className={other ? 'tv-split' : ''}>
        <TracePane trace={trace} />
        {other && <TracePane trace={other} />}
      </div>
    </div>
  );
};
