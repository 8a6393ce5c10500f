import { useEscape } from '../components/useEscape';
import { useWorkspaces } from '../features/shell/workspace-store';

/** Create, open, switch and reopen workspaces; the demo kept apart. */
export const WorkspaceDialog = () => {
  const {
    list,
    dialog,
    newDir,
    newName,
    busy,
    error,
    show,
    set,
    open,
    browseAndOpen,
    browseForNew,
    create,
    openDemo,
    forget,
  } = useWorkspaces();
  useEscape(() => show(null), dialog !== null);
  if (!dialog) return null;
  const current = list?.current;
  const recent = (list?.recent ?? []).filter((r) => !r.isDemo);
  const demos = (list?.recent ?? []).filter((r) => r.isDemo && r.exists);
  const defaultDemoKnown = demos.some((d) => d.dir === list?.demoDir);
  return (
    <div className="overlay" onMouseDown={(e) => e.target === e.currentTarget && show(null)}>
      <div className="dialog workspace-dialog" role="dialog" aria-label="Workspaces" data-testid="workspace-dialog">
        <div className="dialog-head">
          <h2>{dialog === 'create' ? 'New workspace' : 'Workspaces'}</h2>
          <button className="link" onClick={() => show(null)}>
            Close
          </button>
        </div>
        {current && (
          <p className="ws-current">
            Open now: <b>{current.name}</b> {current.isDemo && <span className="badge demo">DEMO DATA</span>}
            <span className="muted"> {current.dir}</span>
          </p>
        )}
        {error && (
          <div className="error-text" role="alert" data-testid="workspace-error">
            {error}
          </div>
        )}
        {dialog === 'create' ? (
          <div className="ws-create">
            <p className="muted">
              A workspace is a folder holding one DuckDB database and everything Valley writes (exports, figures,
              studies).
            </p>
            <label className="field">
              <span>Name</span>
              <input
                value={newName}
                onChange={(e) => set({ newName: e.target.value })}
                placeholder="OCR2 scaling study"
                data-testid="ws-name"
              />
            </label>
            <label className="field">
              <span>Folder (new or empty)</span>
              <div className="row">
                <input
                  className="grow"
                  value={newDir}
                  onChange={(e) => set({ newDir: e.target.value })}
                  placeholder={`${list?.home ?? ''}/valley-study`}
                  data-testid="ws-dir"
                />
                <button onClick={() => void browseForNew()}>Choose where…</button>
              </div>
            </label>
            <div className="dialog-actions">
              <button onClick={() => show('manage')}>Back</button>
              <button
                className="primary"
                disabled={busy || !newDir.trim()}
                onClick={() => void create()}
                data-testid="ws-create"
              >
                {busy ? 'Creating…' : 'Create and open'}
              </button>
            </div>
          </div>
        ) : (
          <>
            <div className="row ws-actions">
              <button className="primary" onClick={() => show('create')} data-testid="ws-new">
                New workspace…
              </button>
              <button onClick={() => void browseAndOpen()} data-testid="ws-open">
                Open folder…
              </button>
            </div>
            <h3>Recent</h3>
            {recent.length === 0 && <p className="muted">No workspace of your own yet: create one for your data.</p>}
            <ul className="ws-recent" data-testid="ws-recent">
              {recent.map((r) => (
                <li key={r.dir} className={r.dir === current?.dir ? 'current' : ''}>
                  <button
                    className="link"
                    disabled={!r.exists || busy || r.dir === current?.dir}
                    onClick={() => void open(r.dir)}
                    title={r.dir}
                  >
                    <b>{r.name}</b>
                  </button>
                  <span className="muted ws-dir">{r.dir}</span>
                  {!r.exists && <span className="badge warn">missing</span>}
                  {r.dir === current?.dir ? (
                    <span className="badge ok">open</span>
                  ) : (
                    <span className="muted">{r.openedAt.slice(0, 10)}</span>
                  )}
                  <button
                    className="link"
                    onClick={() => void forget(r.dir)}
                    title="Remove from this list (the folder stays)"
                  >
                    forget
                  </button>
                </li>
              ))}
            </ul>
            <h3>Demo</h3>
            <div className="ws-demo" data-testid="ws-demos">
              <span className="badge demo">DEMO DATA</span>
              <span className="muted">Synthetic traces and runs to try Valley; keep real data out of it.</span>
              {demos.map((d) => (
                <button
                  key={d.dir}
                  disabled={busy || d.dir === current?.dir}
                  onClick={() => void open(d.dir)}
                  title={d.dir}
                  data-demo={d.dir}
                >
                  {d.dir === current?.dir ? `${d.name} (open)` : `Open ${d.name}`}
                </button>
              ))}
              {!defaultDemoKnown && (
                <button disabled={busy} onClick={() => void openDemo()} data-testid="ws-demo" title={list?.demoDir}>
                  Open the demo (created on first use)
                </button>
              )}
            </div>
          </>
        )}
      </div>
    </div>
  );
};
