import { useEffect } from 'react';
import { ErrorBoundary } from '../components/ErrorBoundary';
import { DetachedReader } from '../features/curate/DetachedReader';
import { parseReaderRoute, type ReaderRoute } from '../features/curate/reader-route';
import { useShell } from '../features/shell/store';
import { followWorkspaceChanges } from './changes';
import { Notices } from './Notices';

/** The reader route this page was opened at (a detached reader window), or null for the app. */
export const readerRouteOfPage = (): ReaderRoute | { error: string } | null => parseReaderRoute(window.location.hash);

/** A window of its own for one trace (`#/reader?…`): the reader, notices, and the backend's changes followed. */
export const ReaderApp = ({ route }: { route: ReaderRoute | { error: string } }) => {
  useShell((s) => s.theme); // the theme is applied as the shell store loads
  useEffect(() => followWorkspaceChanges(), []);
  return (
    <div className="reader-app">
      <ErrorBoundary name="Trace reader">
        {'error' in route ? (
          <div className="empty-state" data-testid="reader-link-error">
            {route.error}
          </div>
        ) : (
          <DetachedReader route={route} />
        )}
      </ErrorBoundary>
      <Notices />
    </div>
  );
};
