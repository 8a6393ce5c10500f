import { useTasks } from '../features/tasks/store';
import { useShell } from '../features/shell/store';
import { usePalette } from '../features/palette/store';
import { useSystem } from '../features/shell/system-store';
import { useDesktopNotify } from '../features/notices/desktop-store';

const pct = (p: number | null) => (p === null ? '…' : `${Math.round(p * 100)}%`);

export const StatusBar = () => {
  const tasks = useTasks((s) => s.tasks);
  const cancel = useTasks((s) => s.cancel);
  const info = useSystem((s) => s.info);
  const theme = useShell((s) => s.theme);
  const toggleTheme = useShell((s) => s.toggleTheme);
  const openPalette = usePalette((s) => s.setOpen);
  const notify = useDesktopNotify();
  const running = tasks.filter((t) => t.state === 'running');
  const last = tasks.find((t) => t.state !== 'running');
  return (
    <footer className="statusbar">
      <span className="ws" title={info?.workspace.dir}>
        {info?.workspace.isDemo && <span className="badge demo">DEMO DATA</span>}
        {info ? info.workspace.name : 'connecting…'}
      </span>
      <span className="tasks" aria-live="polite">
        {running.map((t) => (
          <span key={t.id} className="task" data-task={t.kind}>
            <span className="task-title">{t.title}</span>
            <span
              className="progress"
              role="progressbar"
              aria-valuenow={t.progress === null ? undefined : Math.round(t.progress * 100)}
            >
              <span
                className={t.progress === null ? 'bar indeterminate' : 'bar'}
                style={{ width: t.progress === null ? undefined : pct(t.progress) }}
              />
            </span>
            <span className="task-detail">{t.detail || pct(t.progress)}</span>
            <button className="link" onClick={() => void cancel(t.id)} title="Cancel">
              Cancel
            </button>
          </span>
        ))}
        {running.length === 0 && last && (
          <span className={`task done ${last.state}`}>
            {last.title}: {last.state}
          </span>
        )}
      </span>
      <span className="right">
        <button className="link" onClick={() => openPalette(true)} title="Command palette">
          ⌘K / Ctrl+K
        </button>
        {notify.offered && notify.permission !== 'unsupported' && (
          <button
            className="link"
            onClick={() => void notify.toggle()}
            title="Browser notifications when a study's condition or a job finishes (the browser asks first)"
            data-testid="notify-toggle"
            aria-pressed={notify.enabled}
          >
            {notify.enabled ? 'Notifications on' : 'Notify me'}
          </button>
        )}
        <button className="link" onClick={toggleTheme} title="Toggle theme" data-testid="theme-toggle">
          {theme === 'dark' ? 'Light' : 'Dark'} theme
        </button>
        {info && (
          <span className="muted">
            DuckDB {info.duckdbVersion} · {info.host}
          </span>
        )}
      </span>
    </footer>
  );
};
