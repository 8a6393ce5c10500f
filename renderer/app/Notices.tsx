import { useNotices } from '../features/notices/store';

export const Notices = () => {
  const notices = useNotices((s) => s.notices);
  const dismiss = useNotices((s) => s.dismiss);
  return (
    <div className="notices" aria-live="assertive">
      {notices.map((n) => (
        <div key={n.id} className={`notice ${n.kind}`} role={n.kind === 'error' ? 'alert' : 'status'}>
          <div className="notice-head">
            <strong>{n.title}</strong>
            <button className="link" onClick={() => dismiss(n.id)} aria-label="Dismiss">×</button>
          </div>
          {n.detail && <pre>{n.detail}</pre>}
        </div>
      ))}
    </div>
  );
};
