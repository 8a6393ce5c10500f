import { useEffect, type ReactNode } from 'react';
import { traceRoles, type ApiErrorValue, type TraceRole, type Unwrap } from '../../../shared/api';
import { presetNames, presets, type PresetName } from '../../../shared/domain/presets';
import { useImport, type Storage } from './import-store';
import { useData } from './store';
import { useSystem } from '../shell/system-store';
import { useWorkspaces } from '../shell/workspace-store';
import { useEscape } from '../../components/useEscape';

const roleLabels: Record<TraceRole, string> = {
  id: 'Row id',
  questionId: 'Question id',
  question: 'Question text',
  response: 'Response / trace',
  correct: 'Correctness',
  passRate: 'Pass rate',
  difficulty: 'Difficulty',
  source: 'Source',
  split: 'Split',
};

const presetLabel = (p: string) =>
  p === 'auto'
    ? 'Detect automatically'
    : p === 'generic'
      ? 'none (guessed by column name)'
      : (presets.find((x) => x.name === p)?.label ?? p);

const mb = (bytes: number) =>
  bytes >= 2 ** 30
    ? `${(bytes / 2 ** 30).toFixed(2)} GB`
    : bytes >= 2 ** 20
      ? `${(bytes / 2 ** 20).toFixed(1)} MB`
      : `${(bytes / 1024).toFixed(1)} KB`;

/** An error as the backend named it: message, then where (file, line, field). */
/** In the demo workspace, importing real data offers a workspace of its own. */
export const DemoOffer = () => {
  const isDemo = useSystem((s) => s.info?.workspace.isDemo);
  if (!isDemo) return null;
  return (
    <div className="demo-offer" data-testid="demo-offer">
      <span>
        <span className="badge demo">DEMO DATA</span> This is the demo workspace. Real data belongs in a workspace of
        its own.
      </span>
      <button onClick={() => useWorkspaces.getState().show('create')} data-testid="demo-offer-create">
        New workspace…
      </button>
    </div>
  );
};

export const ErrorBox = ({ error, children }: { error: ApiErrorValue; children?: ReactNode }) => {
  const d = error.details;
  const where = [d?.file, d?.line !== undefined ? `line ${d.line}` : null, d?.field ? `field ${d.field}` : null]
    .filter(Boolean)
    .join(' · ');
  return (
    <div className="import-error" role="alert" data-testid="import-error">
      <strong>{error.code === 'cancelled' ? 'Cancelled' : 'Could not import'}</strong>
      <div>{error.message}</div>
      {where && <div className="muted">{where}</div>}
      {children}
    </div>
  );
};

const cell = (v: unknown) => {
  const text = v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
};

const Sample = () => {
  const preview = useImport((s) => s.preview);
  if (!preview || preview.sample.length === 0) return null;
  const cols = preview.columns.map((c) => c.name);
  return (
    <div className="sample-wrap">
      <table className="data sample" data-testid="import-sample">
        <thead>
          <tr>
            {cols.map((c) => (
              <th key={c}>{c}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {preview.sample.map((row, i) => (
            <tr key={i}>
              {cols.map((c) => (
                <td key={c}>{cell(row[c])}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
};

const isListType = (type: string | undefined) =>
  !!type && /\[\d*\]$/.test(type) && !/STRUCT\(.*role.*content/i.test(type);

/** A list-valued question/response column needs an explicit choice: Valley never exports a list literal as text. */
const UnwrapChoice = ({ role }: { role: 'question' | 'response' }) => {
  const { preview, roles, unwrap, set } = useImport();
  const type = preview?.columns.find((c) => c.name === roles[role])?.type;
  if (!isListType(type)) return null;
  return (
    <select
      value={unwrap[role] ?? ''}
      onChange={(e) => set({ unwrap: { ...unwrap, [role]: (e.target.value || undefined) as Unwrap | undefined } })}
      className={unwrap[role] ? '' : 'needs-choice'}
      title="This column holds lists: choose how each list becomes text"
      data-testid={`unwrap-${role}`}
    >
      <option value="">list → choose…</option>
      <option value="first">list → first element</option>
      <option value="last">list → last element</option>
      <option value="join">list → all, joined</option>
    </select>
  );
};

const RoleEditor = () => {
  const { preview, roles, setRole } = useImport();
  if (!preview) return null;
  return (
    <div className="role-grid" data-testid="role-editor">
      {traceRoles.map((role) => (
        <label key={role}>
          <span>{roleLabels[role]}</span>
          <select value={roles[role] ?? ''} onChange={(e) => setRole(role, e.target.value || null)} data-role={role}>
            <option value="">— none —</option>
            {preview.columns.map((c) => (
              <option key={c.name} value={c.name}>
                {c.name} ({c.type.length > 24 ? `${c.type.slice(0, 24)}…` : c.type})
              </option>
            ))}
          </select>
          {(role === 'question' || role === 'response') && <UnwrapChoice role={role} />}
        </label>
      ))}
    </div>
  );
};

const Progress = () => {
  const { task, cancel } = useImport();
  if (!task) return null;
  const pct = task.progress === null ? null : Math.round(task.progress * 100);
  return (
    <div className="import-progress" data-testid="import-progress" data-state={task.state}>
      <div className="progress">
        <div className={`bar${pct === null ? ' indeterminate' : ''}`} style={{ width: `${pct ?? 30}%` }} />
      </div>
      <span>
        {task.state === 'running'
          ? `${pct === null ? '' : `${pct}% · `}${task.detail}`
          : task.state === 'done'
            ? task.detail
            : task.state}
      </span>
      {task.state === 'running' && <button onClick={() => void cancel()}>Cancel</button>}
    </div>
  );
};

export const ImportDialog = () => {
  const st = useImport();
  const { open } = useData();
  // the datasets list refetches on workspace.changed when the import lands
  useEffect(() => st.follow(), [st.follow]);
  const running = st.task?.state === 'running';
  const close = () => {
    if (!running) {
      st.reset();
      open(null);
    }
  };
  useEscape(close);
  const p = st.preview;
  // a preview that failed on one bad line: offer what the import would do anyway (skip it), right there
  const badLine = !p && st.error?.details?.line !== undefined && st.error.code !== 'cancelled' && !st.task;
  return (
    <div className="overlay" onMouseDown={(e) => e.target === e.currentTarget && close()}>
      <div className="dialog import-dialog" role="dialog" aria-label="Import a dataset" data-testid="import-dialog">
        <div className="dialog-head">
          <h2>Import a trace dataset</h2>
          <button className="link" onClick={close} disabled={running}>
            Close
          </button>
        </div>
        <DemoOffer />
        <label className="field">
          <span>Files, folders or globs (one per line): JSONL (.gz, .zst), Parquet, CSV/TSV</span>
          <textarea
            rows={2}
            value={st.pathsText}
            placeholder="/data/OpenCodeReasoning-2/python/*.parquet"
            onChange={(e) => st.set({ pathsText: e.target.value, preview: null })}
            data-testid="import-paths"
          />
        </label>
        <div className="row">
          <button onClick={() => void st.browse(false)} data-testid="browse-files">
            Browse files…
          </button>
          <button onClick={() => void st.browse(true)}>Browse folder…</button>
          <button
            className="primary"
            disabled={st.busy || st.paths().length === 0}
            onClick={() => void st.runPreview()}
            data-testid="import-preview"
          >
            Preview
          </button>
        </div>
        {st.error && (
          <ErrorBox error={st.error}>
            {badLine && (
              <button
                onClick={() => void st.previewSkippingBadLines()}
                disabled={st.busy}
                data-testid="preview-skip-bad-lines"
              >
                Skip bad lines and preview again
              </button>
            )}
          </ErrorBox>
        )}
        {p && (
          <>
            <div className="preview-summary" data-testid="preview-summary">
              <span>
                <b>{p.format.toUpperCase()}</b> · {p.files.length} file{p.files.length === 1 ? '' : 's'} ·{' '}
                {mb(p.totalBytes)}
                {p.rows !== null ? ` · ${p.rows.toLocaleString('en-US')} rows` : ''}
              </span>
              <label>
                Preset{' '}
                <select
                  value={st.preset}
                  onChange={(e) => void st.runPreview(e.target.value as PresetName)}
                  data-testid="import-preset"
                >
                  {presetNames.map((n) => (
                    <option key={n} value={n}>
                      {presetLabel(n)}
                    </option>
                  ))}
                </select>
              </label>
              <span className="muted">
                detected: {presetLabel(p.preset)} ({p.kind})
              </span>
            </div>
            <h3>Column roles</h3>
            <RoleEditor />
            <h3>Sample rows</h3>
            <Sample />
            <div className="row options">
              <label>
                Name{' '}
                <input value={st.name} onChange={(e) => st.set({ name: e.target.value })} data-testid="import-name" />
              </label>
              <label>
                Storage{' '}
                <select value={st.storage} onChange={(e) => st.set({ storage: e.target.value as Storage })}>
                  <option value="auto">auto (now: {p.storage})</option>
                  <option value="table">copy into the workspace</option>
                  {p.format === 'parquet' && <option value="view">view over the files</option>}
                </select>
              </label>
              <label>
                <input
                  type="checkbox"
                  checked={st.skipBadLines}
                  onChange={(e) => st.set({ skipBadLines: e.target.checked })}
                  data-testid="import-skip-bad-lines"
                />{' '}
                Skip bad lines
              </label>
              <label>
                Tokenizer{' '}
                <input
                  value={st.tokenizer}
                  placeholder="optional: …/tokenizer.json"
                  onChange={(e) => st.set({ tokenizer: e.target.value })}
                />
              </label>
            </div>
            <div className="row">
              <span className="muted">
                {st.tokenizer.trim()
                  ? 'Token counts: exact'
                  : 'Token counts: estimated (chars / 3.7) until a tokenizer.json is given'}
              </span>
              <button
                className="primary push"
                disabled={st.busy || (!st.roles.response && p.kind === 'traces')}
                onClick={() => void st.start()}
                data-testid="import-start"
              >
                Import
              </button>
            </div>
          </>
        )}
        <Progress />
      </div>
    </div>
  );
};
