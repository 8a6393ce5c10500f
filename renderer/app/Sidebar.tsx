import { useShell } from '../features/shell/store';
import { useSystem } from '../features/shell/system-store';
import { useWorkspaces } from '../features/shell/workspace-store';
import { Icon } from '../components/Icon';
import { sections } from './sections';

const mod = navigator.platform.toLowerCase().includes('mac') ? '⌘' : 'Ctrl+';

export const Sidebar = () => {
  const section = useShell((s) => s.section);
  const go = useShell((s) => s.go);
  const ws = useSystem((s) => s.info?.workspace);
  return (
    <nav className="sidebar" aria-label="Sections">
      <div className="brand" title="Valley">
        <svg width="26" height="26" viewBox="0 0 32 32" aria-hidden="true">
          <path
            d="M2 8 Q9 8 12 22 Q14 27 17 20 Q21 10 30 6"
            fill="none"
            stroke="var(--accent)"
            strokeWidth="3"
            strokeLinecap="round"
          />
        </svg>
        <span>Valley</span>
      </div>
      <button
        className={`ws-switch${ws?.isDemo ? ' demo' : ''}`}
        data-testid="ws-switch"
        title={`${ws?.dir ?? ''}\nSwitch workspace (${mod}O)`}
        onClick={() => useWorkspaces.getState().show('manage')}
      >
        <span className="ws-label">Workspace</span>
        <span className="ws-name">{ws ? ws.name : '…'}</span>
        {ws?.isDemo && <span className="badge demo">DEMO</span>}
      </button>
      {sections.map((s) => (
        <button
          key={s.id}
          className={`nav-item${section === s.id ? ' active' : ''}`}
          onClick={() => go(s.id)}
          title={`${s.label} (${mod}${s.shortcut})`}
          aria-current={section === s.id ? 'page' : undefined}
          data-section={s.id}
        >
          <Icon path={s.icon} />
          <span>{s.label}</span>
        </button>
      ))}
    </nav>
  );
};
