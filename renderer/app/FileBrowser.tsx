import { useEscape } from '../components/useEscape';
import { useFiles } from '../features/shell/files-store';

const size = (b: number | null) =>
  b === null
    ? ''
    : b >= 2 ** 30
      ? `${(b / 2 ** 30).toFixed(2)} GB`
      : b >= 2 ** 20
        ? `${(b / 2 ** 20).toFixed(1)} MB`
        : b >= 1024
          ? `${(b / 1024).toFixed(1)} KB`
          : `${b} B`;

/** Browser mode's file dialog: folders and files of the backend's machine (fs.list, behind the token), from home. */
export const FileBrowser = () => {
  const {
    options,
    dir,
    parent,
    home,
    entries,
    truncated,
    hidden,
    selected,
    loading,
    error,
    go,
    toggle,
    setHidden,
    finish,
  } = useFiles();
  useEscape(() => finish(null), options !== null);
  if (!options) return null;
  const crumbs = dir.split('/').filter(Boolean);
  const choose = options.directory ? (selected.length > 0 ? selected : [dir]) : selected;
  return (
    <div className="overlay" onMouseDown={(e) => e.target === e.currentTarget && finish(null)}>
      <div className="dialog file-browser" role="dialog" aria-label={options.title} data-testid="file-browser">
        <div className="dialog-head">
          <h2>{options.title}</h2>
          <button className="link" onClick={() => finish(null)}>
            Cancel
          </button>
        </div>
        <div className="fb-bar">
          <button onClick={() => void go(home)} title={home}>
            Home
          </button>
          <button onClick={() => parent && void go(parent)} disabled={!parent} title="Up one folder">
            ↑ Up
          </button>
          <nav className="fb-crumbs" aria-label="path">
            <button className="link" onClick={() => void go('/')}>
              /
            </button>
            {crumbs.map((c, i) => (
              <span key={i}>
                <button className="link" onClick={() => void go(`/${crumbs.slice(0, i + 1).join('/')}`)}>
                  {c}
                </button>
                /
              </span>
            ))}
          </nav>
          <label className="fb-hidden">
            <input type="checkbox" checked={hidden} onChange={(e) => void setHidden(e.target.checked)} /> hidden
          </label>
        </div>
        <form
          className="fb-path"
          onSubmit={(e) => {
            e.preventDefault();
            const v = new FormData(e.currentTarget).get('path');
            if (typeof v === 'string' && v.trim()) void go(v.trim());
          }}
        >
          <input name="path" key={dir} defaultValue={dir} aria-label="folder path" />
          <button type="submit">Go</button>
        </form>
        {error && (
          <div className="error-text" role="alert">
            {error}
          </div>
        )}
        <div className="fb-list" data-testid="fb-list">
          <table className="data compact">
            <thead>
              <tr>
                <th />
                <th>Name</th>
                <th className="num">Size</th>
                <th>Modified</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => {
                const pickable = options.directory ? e.kind === 'dir' : e.kind === 'file';
                return (
                  <tr
                    key={e.path}
                    data-entry={e.name}
                    className={`${selected.includes(e.path) ? 'active' : ''} ${pickable ? 'clickable' : 'muted'}`}
                    onClick={() => (pickable ? toggle(e.path) : undefined)}
                    onDoubleClick={() => (e.kind === 'dir' ? void go(e.path) : finish([e.path]))}
                  >
                    <td>
                      {pickable && (
                        <input
                          type="checkbox"
                          readOnly
                          checked={selected.includes(e.path)}
                          aria-label={`select ${e.name}`}
                        />
                      )}
                    </td>
                    <td>
                      {e.kind === 'dir' ? (
                        <button
                          className="link fb-dir"
                          onClick={(ev) => {
                            ev.stopPropagation();
                            void go(e.path);
                          }}
                        >
                          📁 {e.name}/
                        </button>
                      ) : (
                        <span>{e.name}</span>
                      )}
                      {e.isWorkspace && <span className="badge ok">workspace</span>}
                    </td>
                    <td className="num">{size(e.size)}</td>
                    <td className="muted">{e.modifiedAt?.slice(0, 16).replace('T', ' ') ?? ''}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {!loading && entries.length === 0 && !error && <div className="empty-state">This folder is empty.</div>}
          {truncated && <p className="muted">Only the first 5000 entries are listed.</p>}
        </div>
        <div className="dialog-actions">
          <span className="muted fb-choice">
            {options.directory
              ? `Folder: ${choose[0] ?? dir}`
              : selected.length === 0
                ? 'Click files to select them (double-click opens one)'
                : `${selected.length} selected`}
          </span>
          <button onClick={() => finish(null)}>Cancel</button>
          <button
            className="primary"
            disabled={choose.length === 0}
            onClick={() => finish(choose)}
            data-testid="fb-choose"
          >
            {options.directory
              ? 'Choose this folder'
              : `Choose ${selected.length || ''} file${selected.length === 1 ? '' : 's'}`}
          </button>
        </div>
      </div>
    </div>
  );
};
