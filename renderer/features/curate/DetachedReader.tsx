import { useEffect } from 'react';
import { useCurate } from './store';
import { useReader } from './reader-store';
import { TraceViewer } from './TraceViewer';
import type { ReaderRoute } from './reader-route';
import './curate.css';
import './reader.css';

/**
 * The reader in a window of its own: the trace the link names, full width, with next/previous in the order of the
 * dataset's saved Curate view (its filter and sort), search hits marked as there. It never writes that view.
 */
export const DetachedReader = ({ route }: { route: ReaderRoute }) => {
  const dataset = useCurate((s) => s.dataset);
  const total = useCurate((s) => s.total);
  const openIndex = useCurate((s) => s.openIndex);
  const search = useCurate((s) => s.filter.search);
  useEffect(() => void useReader.getState().startDetached(route), [route]);
  useEffect(() => {
    document.title = `Valley reader · ${route.dataset}`;
  }, [route.dataset]);
  return (
    <section className="curate detached" data-testid="detached-reader">
      <div className="screen-head">
        <h1>Reader</h1>
        <span className="muted" data-testid="detached-position">
          {dataset ?? route.dataset}
          {openIndex !== null && total > 0 && ` · ${(openIndex + 1).toLocaleString()} of ${total.toLocaleString()}`}
          {search && ` · search “${search}”`}
        </span>
        <small className="muted">j/k next/previous · f fold · c final code</small>
      </div>
      <div className="curate-reader" data-testid="trace-reader">
        <TraceViewer />
      </div>
    </section>
  );
};
