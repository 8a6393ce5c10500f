import { useShell } from '../features/shell/store';
import { Icon } from '../components/Icon';
import { sections } from './sections';

const mod = navigator.platform.toLowerCase().includes('mac') ? '⌘' : 'Ctrl+';

export const Sidebar = () => {
  const section = useShell((s) => s.section);
  const go = useShell((s) => s.go);
  return (
    <nav className="sidebar" aria-label="Sections">
      <div className="brand" title="Valley">
        <svg width="26" height="26" viewBox="0 0 32 32" aria-hidden="true">
          <path d="M2 8 Q9 8 12 22 Q14 27 17 20 Q21 10 30 6" fill="none" stroke="var(--accent)" strokeWidth="3" strokeLinecap="round" />
        </svg>
        <span>Valley</span>
      </div>
      {sections.map((s) => (
        <button key={s.id} className={`nav-item${section === s.id ? ' active' : ''}`} onClick={() => go(s.id)}
          title={`${s.label} (${mod}${s.shortcut})`} aria-current={section === s.id ? 'page' : undefined}
          data-section={s.id}>
          <Icon path={s.icon} />
          <span>{s.label}</span>
        </button>
      ))}
    </nav>
  );
};
