import { useNotices } from '../features/notices/store';

export const Notices = () => {
  const notices = useNotices((s) => s.notices);
  const dismiss = useNotices((s) => s.dismiss);
  const dismissAll = useNotices((s) => s.dismissAll);
  return (
    <div className="notices" aria-live="assertive" data-testid="notices">
      {notices.length > 1 && (
        <button className="link dismiss-all" onClick={dismissAll} data-testid="dismiss-all-notices">
          Dismiss all
        </button>
      )}
      {notices.map((n) => (
        <div
          key={n.id}
          className={`notice ${n.kind}`}
          role={n.kind === 'error' ? 'alert' : 'status'}
          data-kind={n.kind}
        >
          <div className="notice-head">
            <strong>{n.title}</strong>
            {n.count > 1 && (
              <span className="badge" title={`shown ${n.count} times`}>
                ×{n.count}
              </span>
            )}
            <button className="link" onClick={() => dismiss(n.id)} aria-label="Dismiss">
              ×
            </button>
          </div>
          {n.detail && <pre>{n.detail}</pre>}
        </div>
      ))}
    </div>
  );
};
